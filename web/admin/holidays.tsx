import { useState } from 'react';
import type {
  holidayAdded,
  holidayRemoved,
  holidayView,
  previewDayView,
} from '../../src/capacity/capacity-api-schema.js';
import { type Answer, api } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { useServerTime } from '../shared/server-time.js';
import { dayAsDate, formatWeekdayLong } from '../shared/time.js';
import { ErrorNote, useLoad } from '../shared/ui.js';
import { HolidayFields, RemoveButton, RowForm, useHolidayDraft } from './form.js';
import { useSave } from './save.js';
import { TableCard } from './table.js';

type Holiday = Answer<typeof holidayView>;
type HolidayChange = Answer<typeof holidayAdded> | Answer<typeof holidayRemoved>;

const enc = encodeURIComponent;

/**
 * A center's holidays (its own and the nation's; the head removes only its own), adding one, and
 * what a day would hit before it is added: the day's registrations per pool.
 */
export function CenterHolidays({ centerId, national }: { centerId: string; national: boolean }) {
  const base = `/api/v1/admin/centers/${enc(centerId)}`;
  const holidays = useLoad(() => api.get<Holiday[]>(`${base}/holidays`), [base]);
  const draft = useHolidayDraft();
  const { day } = draft;
  const save = useSave();
  const holidayDay = useLoad(
    () =>
      /^\d{4}-\d{2}-\d{2}$/.test(day)
        ? api.get<Answer<typeof previewDayView>[]>(`${base}/capacity?from=${day}&to=${day}`)
        : Promise.resolve(null),
    [base, day],
  );
  const hit = (pool: 'online' | 'terminal') =>
    (holidayDay.data?.[0]?.groups ?? []).reduce((n, g) => n + g[pool].booked, 0);
  const remove = (h: Holiday) =>
    void save
      .run(
        () =>
          api.del<HolidayChange>(h.national ? `/api/v1/admin/holidays/${h.id}` : `${base}/holidays/${h.id}`),
        t('admin.holidayRemoved'),
      )
      .then(holidays.reload);

  return (
    <section className="card">
      <h2>{t('admin.holidays')}</h2>
      <ErrorNote error={holidays.error} onRetry={holidays.reload} />
      <ul className="plain">
        {holidays.data?.map((h) => (
          <li key={h.id} className="row">
            <span>
              {h.day} — {h.name} {h.national ? <span className="badge">{t('admin.national')}</span> : null}
            </span>
            {!h.national || national ? <RemoveButton onClick={() => remove(h)} /> : null}
          </li>
        ))}
      </ul>
      <RowForm
        onSubmit={() => {
          void save
            .run(
              () => api.post<HolidayChange>(`${base}/holidays`, { day, name: draft.name }),
              t('admin.holidayAdded'),
            )
            .then((ok) => {
              if (!ok) return;
              draft.clear();
              holidays.reload();
            });
        }}
      >
        <HolidayFields
          idPrefix="h"
          labels={{ day: t('admin.date'), name: t('admin.name') }}
          draft={draft}
          busy={save.busy}
        />
      </RowForm>
      {day && holidayDay.data ? (
        <p className="small" data-testid="holiday-impact">
          {hit('online') + hit('terminal') > 0
            ? t('admin.holidayImpact', {
                booked: hit('online') + hit('terminal'),
                online: hit('online'),
                terminal: hit('terminal'),
              })
            : t('admin.holidayImpactNone')}
        </p>
      ) : null}
      {save.view}
    </section>
  );
}

/** National holidays; adding or removing one lists the registrations it leaves without a place. */
export function NationalHolidaysSection() {
  const today = useServerTime()?.today;
  const list = useLoad(
    () => (today ? api.get<Holiday[]>(`/api/v1/admin/holidays?from=${today}`) : Promise.resolve([])),
    [today],
  );
  const draft = useHolidayDraft();
  const { day, name } = draft;
  const [error, setError] = useState<unknown>(null);
  const [hit, setHit] = useState<HolidayChange['conflicts'] | null>(null);
  const act = async (fn: () => Promise<HolidayChange>) => {
    setError(null);
    try {
      setHit((await fn()).conflicts);
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <TableCard
      intro={t('admin.nationalHolidaysIntro')}
      caption={t('admin.nationalHolidays')}
      load={list}
      rowKey={(h) => String(h.id)}
      columns={[
        { header: t('admin.day'), cell: (h) => formatWeekdayLong(dayAsDate(h.day)) },
        { header: t('admin.holidayName'), cell: (h) => h.name },
        {
          header: t('admin.actions'),
          hideHeader: true,
          cell: (h) => (
            <RemoveButton
              what={h.name}
              onClick={() => {
                if (window.confirm(t('admin.confirmRemoveHoliday', { name: h.name })))
                  void act(() => api.del<HolidayChange>(`/api/v1/admin/holidays/${h.id}`));
              }}
            />
          ),
        },
      ]}
    >
      <RowForm
        onSubmit={() => {
          if (window.confirm(t('admin.confirmNationalHoliday', { day, name })))
            void act(() => api.post<HolidayChange>('/api/v1/admin/holidays', { day, name }));
        }}
      >
        <HolidayFields
          idPrefix="nh"
          labels={{ day: t('admin.day'), name: t('admin.holidayName') }}
          draft={draft}
        />
      </RowForm>
      <ErrorNote error={error} />
      {hit ? (
        <div
          className={`notice ${hit.length ? 'notice-warn' : 'notice-ok'}`}
          role="status"
          data-testid="holiday-hit"
        >
          <p>{t('admin.holidayConflicts', { count: hit.length })}</p>
          {hit.length ? (
            <ul>
              {hit.map((c) => (
                <li key={c.registrationId}>
                  {formatWeekdayLong(dayAsDate(c.day))} · {c.centerId} · {t('admin.seeConflictsOfCenter')}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </TableCard>
  );
}
