import { useState } from 'react';
import type {
  absenceAdded,
  absenceRemoved,
  absenceView,
  previewDayView,
  staffView,
} from '../../src/capacity/capacity-api-schema.js';
import { type Answer, api } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { useServerTime } from '../shared/server-time.js';
import { dayAsDate, formatWeekdayLong } from '../shared/time.js';
import { ErrorNote, Loading, useLoad } from '../shared/ui.js';
import { DateField, Field, RemoveButton, RowForm, StaffSelect } from './form.js';
import { useGroupNames } from './names.js';
import { DataTable } from './table.js';

type Absence = Answer<typeof absenceView>;
type Staff = Answer<typeof staffView>;
type PreviewDay = Answer<typeof previewDayView>;

const enc = encodeURIComponent;

type Change = Answer<typeof absenceAdded> | Answer<typeof absenceRemoved>;

/** Places of a day per service group (both pools), as the capacity preview reports them. */
function placesOf(day: PreviewDay | undefined): Map<string, { capacity: number; booked: number }> {
  return new Map(
    (day?.groups ?? []).map((g) => [
      g.groupId,
      { capacity: g.online.capacity + g.terminal.capacity, booked: g.online.booked + g.terminal.booked },
    ]),
  );
}

/**
 * Staff absences: the day's places per service group before the change and after it (the
 * regeneration's answer), and how many registrations lost their place.
 */
export function AbsencesSection({ centerId }: { centerId: string }) {
  const today = useServerTime()?.today;
  return today ? <Absences centerId={centerId} today={today} /> : <Loading />;
}

function Absences({ centerId, today }: { centerId: string; today: string }) {
  const base = `/api/v1/admin/centers/${enc(centerId)}`;
  const list = useLoad(() => api.get<Absence[]>(`${base}/absences?from=${today}`), [centerId, today]);
  const staff = useLoad(() => api.get<Staff[]>(`${base}/staff`), [centerId]);
  const groupName = useGroupNames();
  const [form, setForm] = useState({ staffId: '', day: today, reason: '' });
  const dayPreview = useLoad(
    () => api.get<PreviewDay[]>(`${base}/capacity?from=${form.day}&to=${form.day}`),
    [centerId, form.day],
  );
  const [effect, setEffect] = useState<{
    before: Map<string, { capacity: number; booked: number }>;
    after: Map<string, { capacity: number; booked: number }>;
    conflicts: number;
  } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const before = placesOf(dayPreview.data?.[0]);

  const act = async (fn: () => Promise<Change>, day: string) => {
    setBusy(true);
    setError(null);
    try {
      const was = placesOf((await api.get<PreviewDay[]>(`${base}/capacity?from=${day}&to=${day}`))[0]);
      const r = await fn();
      const now = placesOf((await api.get<PreviewDay[]>(`${base}/capacity?from=${day}&to=${day}`))[0]);
      setEffect({ before: was, after: now, conflicts: r.conflicts.length });
      list.reload();
      dayPreview.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="abs-title">
      <h2 id="abs-title">{t('admin.absences')}</h2>
      <p className="muted">{t('admin.absencesIntro')}</p>
      <ErrorNote error={list.error} onRetry={list.reload} />
      {list.data && list.data.length === 0 ? <p className="muted">{t('admin.noAbsences')}</p> : null}
      {list.data?.length ? (
        <DataTable
          caption={t('admin.absences')}
          rows={list.data}
          rowKey={(a) => `${a.staffId}|${a.day}`}
          columns={[
            { header: t('admin.day'), cell: (a) => formatWeekdayLong(dayAsDate(a.day)) },
            { header: t('admin.staff2'), cell: (a) => a.fullName },
            { header: t('admin.reason'), cell: (a) => a.reason ?? '—' },
            {
              header: t('admin.actions'),
              hideHeader: true,
              cell: (a) => (
                <RemoveButton
                  what={a.fullName}
                  disabled={busy}
                  onClick={() =>
                    void act(() => api.del<Change>(`${base}/absences/${enc(a.staffId)}/${a.day}`), a.day)
                  }
                />
              ),
            },
          ]}
        />
      ) : null}
      <RowForm
        onSubmit={() => {
          const body = {
            staffId: form.staffId,
            day: form.day,
            ...(form.reason ? { reason: form.reason } : {}),
          };
          void act(() => api.post<Change>(`${base}/absences`, body), form.day);
        }}
      >
        <StaffSelect
          id="abs-staff"
          staff={staff.data?.filter((s) => s.active)}
          value={form.staffId}
          onChange={(staffId) => setForm({ ...form, staffId })}
        />
        <DateField
          id="abs-day"
          label={t('admin.day')}
          min={today}
          value={form.day}
          onChange={(day) => setForm({ ...form, day })}
        />
        <Field id="abs-reason" label={t('admin.reason')}>
          <input
            id="abs-reason"
            maxLength={200}
            value={form.reason}
            onChange={(e) => setForm({ ...form, reason: e.target.value })}
          />
        </Field>
        <button type="submit" className="button" disabled={busy}>
          {t('admin.addAbsence')}
        </button>
      </RowForm>
      <p className="muted small" data-testid="absence-day-places">
        {t('admin.placesThatDay')}:{' '}
        {before.size
          ? [...before.entries()]
              .map(
                ([g, p]) =>
                  `${groupName(g)} ${p.capacity} (${t('admin.statBooked').toLowerCase()} ${p.booked})`,
              )
              .join('; ')
          : '—'}
      </p>
      <ErrorNote error={error} />
      {effect ? (
        <div className={`notice ${effect.conflicts ? 'notice-warn' : 'notice-ok'}`} role="status">
          <p>
            {[...new Set([...effect.before.keys(), ...effect.after.keys()])]
              .map(
                (g) =>
                  `${groupName(g)}: ${effect.before.get(g)?.capacity ?? 0} → ${effect.after.get(g)?.capacity ?? 0}`,
              )
              .join('; ') || t('admin.noPlacesThatDay')}
          </p>
          <p>{t('admin.holidayConflicts', { count: effect.conflicts })}</p>
        </div>
      ) : null}
    </section>
  );
}
