import { useState } from 'react';
import type { centersNow } from '../../src/hall/stats-api-schema.js';
import { type Answer, api } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { useServerTime } from '../shared/server-time.js';
import { dayAsDate, formatWeekdayLong } from '../shared/time.js';
import { ErrorNote, Loading, useLoad } from '../shared/ui.js';
import { roleName, useGroupNames, useSave } from './center.js';
import { PolicySection } from './policy.js';
import { DataTable } from './table.js';

type CentersNow = Answer<typeof centersNow>;

/** Ukraine's bounding box, for placing the centers on a plain map without tiles from elsewhere. */
const BOX = { west: 22, east: 40.3, south: 44.3, north: 52.4 };

/** Every center now: free places today, people waiting, alerts — a map and the same as a table. */
export function CentersNowSection() {
  const now = useLoad(() => api.get<CentersNow>('/api/v1/admin/centers-now'));
  const list = now.data?.centers ?? [];
  const W = 640;
  const H = 420;
  const x = (lon: number) => ((lon - BOX.west) / (BOX.east - BOX.west)) * W;
  const y = (lat: number) => ((BOX.north - lat) / (BOX.north - BOX.south)) * H;
  const alerts = list.filter((c) => c.alert).length;
  return (
    <>
      <ErrorNote error={now.error} onRetry={now.reload} />
      {now.loading && !now.data ? <Loading /> : null}
      {now.data ? (
        <>
          <div className="kpis">
            <div className="kpi">
              <span className="kpi-n">{list.reduce((n, c) => n + c.freeToday, 0)}</span>
              {t('admin.freeToday')}
            </div>
            <div className="kpi">
              <span className="kpi-n">{list.reduce((n, c) => n + c.waiting, 0)}</span>
              {t('admin.waiting')}
            </div>
            <div className="kpi">
              <span className="kpi-n">{alerts}</span>
              {t('admin.alertsNow')}
            </div>
          </div>
          {list.some((c) => c.latitude !== null && c.longitude !== null) ? (
            <figure className="chart map">
              <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('admin.centersMap')}>
                <rect x="0" y="0" width={W} height={H} fill="#eef3f9" rx="8" />
                {list
                  .filter((c) => c.latitude !== null && c.longitude !== null)
                  .map((c) => (
                    <g key={c.id}>
                      <circle
                        cx={x(c.longitude ?? 0)}
                        cy={y(c.latitude ?? 0)}
                        r={6 + Math.min(14, Math.sqrt(c.freeToday))}
                        fill={c.alert ? '#b3261e' : '#0a4a94'}
                        fillOpacity="0.75"
                      >
                        <title>
                          {c.name}: {t('admin.freeToday')} {c.freeToday}, {t('admin.waiting')} {c.waiting}
                          {c.alert ? `, ${t('admin.airRaidAlert')}` : ''}
                        </title>
                      </circle>
                    </g>
                  ))}
              </svg>
              <figcaption>
                <strong>{t('admin.centersMap')}</strong>
                <span className="legend">
                  <span>
                    <span className="swatch" style={{ background: '#0a4a94' }} aria-hidden="true" />{' '}
                    {t('admin.mapNoAlert')}
                  </span>
                  <span>
                    <span className="swatch" style={{ background: '#b3261e' }} aria-hidden="true" />{' '}
                    {t('admin.airRaidAlert')}
                  </span>
                </span>
              </figcaption>
            </figure>
          ) : null}
          <DataTable
            caption={t('admin.centersNowTable')}
            rows={list}
            rowKey={(c) => c.id}
            columns={[
              { header: t('admin.center'), cell: (c) => c.name },
              { header: t('admin.region'), cell: (c) => c.region },
              { header: t('admin.freeToday'), cell: (c) => c.freeToday },
              { header: t('admin.waiting'), cell: (c) => c.waiting },
              {
                header: t('admin.airRaidAlert'),
                cell: (c) => (c.alert ? <strong className="alert-on">{t('admin.on')}</strong> : '—'),
              },
            ]}
          />
        </>
      ) : null}
    </>
  );
}

interface Norm {
  groupId: string;
  role: 'administrator' | 'examiner';
  perDay: number | null;
}

/** The national norms every center uses unless it sets its own. */
export function NationalNormsSection() {
  const norms = useLoad(() => api.get<Norm[]>('/api/v1/admin/norms'));
  const groupName = useGroupNames();
  const [edit, setEdit] = useState<Record<string, string>>({});
  const save = useSave();
  const key = (n: Norm) => `${n.groupId}|${n.role}`;
  return (
    <section className="card">
      <p>{t('admin.nationalNormsIntro')}</p>
      <ErrorNote error={norms.error} onRetry={norms.reload} />
      {norms.loading && !norms.data ? <Loading /> : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const body = (norms.data ?? []).map((n) => {
            const v = edit[key(n)];
            return {
              groupId: n.groupId,
              role: n.role,
              perDay: v === undefined || v === '' ? n.perDay : Number(v),
            };
          });
          void save
            .run(() => api.put('/api/v1/admin/norms', body), t('admin.normsSavedCapacityRegenerated'))
            .then(norms.reload);
        }}
      >
        <DataTable
          caption={t('admin.nationalNorms')}
          rows={norms.data}
          rowKey={key}
          columns={[
            { header: t('admin.serviceGroup'), cell: (n) => groupName(n.groupId) },
            { header: t('admin.role'), cell: (n) => roleName(n.role) },
            {
              header: t('admin.operationsDay'),
              cell: (n) => (
                <input
                  type="number"
                  min={1}
                  max={500}
                  aria-label={`${groupName(n.groupId)}, ${roleName(n.role)}`}
                  value={edit[key(n)] ?? (n.perDay === null ? '' : String(n.perDay))}
                  onChange={(e) => setEdit({ ...edit, [key(n)]: e.target.value })}
                />
              ),
            },
          ]}
        />
        <p>
          <button type="submit" className="button" disabled={save.busy || !norms.data?.length}>
            {t('admin.saveNorms')}
          </button>
        </p>
      </form>
      {save.view}
    </section>
  );
}

interface Holiday {
  id: number;
  day: string;
  name: string;
}
interface HolidayChange {
  conflicts?: Array<{ registrationId: string; day: string; reason: string; centerId?: string }>;
}

/** National holidays; adding one lists the registrations it leaves without a place. */
export function NationalHolidaysSection() {
  const today = useServerTime()?.today;
  const list = useLoad(
    () => (today ? api.get<Holiday[]>(`/api/v1/admin/holidays?from=${today}`) : Promise.resolve([])),
    [today],
  );
  const [day, setDay] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [hit, setHit] = useState<HolidayChange['conflicts'] | null>(null);
  const act = async (fn: () => Promise<HolidayChange>) => {
    setError(null);
    try {
      const r = await fn();
      setHit(r.conflicts ?? []);
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section className="card">
      <p>{t('admin.nationalHolidaysIntro')}</p>
      <ErrorNote error={list.error} onRetry={list.reload} />
      <DataTable
        caption={t('admin.nationalHolidays')}
        rows={list.data}
        rowKey={(h) => String(h.id)}
        columns={[
          { header: t('admin.day'), cell: (h) => formatWeekdayLong(dayAsDate(h.day)) },
          { header: t('admin.holidayName'), cell: (h) => h.name },
          {
            header: t('admin.actions'),
            hideHeader: true,
            cell: (h) => (
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  if (window.confirm(t('admin.confirmRemoveHoliday', { name: h.name })))
                    void act(() => api.del<HolidayChange>(`/api/v1/admin/holidays/${h.id}`));
                }}
              >
                {t('admin.remove')} <span className="sr-only">{h.name}</span>
              </button>
            ),
          },
        ]}
      />
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (window.confirm(t('admin.confirmNationalHoliday', { day, name })))
            void act(() => api.post<HolidayChange>('/api/v1/admin/holidays', { day, name }));
        }}
      >
        <div>
          <label htmlFor="nh-day">{t('admin.day')}</label>
          <input id="nh-day" type="date" value={day} onChange={(e) => setDay(e.target.value)} required />
        </div>
        <div>
          <label htmlFor="nh-name">{t('admin.holidayName')}</label>
          <input
            id="nh-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={200}
          />
        </div>
        <button type="submit" className="button">
          {t('admin.addHoliday')}
        </button>
      </form>
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
                  {formatWeekdayLong(dayAsDate(c.day))} · {c.centerId ?? ''} ·{' '}
                  {t('admin.seeConflictsOfCenter')}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

/** The martial-law switch (priority for serving military, rule 5c) and the national policy values (editable). */
export function MartialLawSection() {
  const law = useLoad(() => api.get<{ active: boolean }>('/api/v1/admin/settings/martial-law'));
  const [error, setError] = useState<unknown>(null);
  const active = law.data?.active === true;
  const toggle = async () => {
    const ask = active ? t('admin.confirmMartialLawOff') : t('admin.confirmMartialLawOn');
    if (!window.confirm(ask)) return;
    setError(null);
    try {
      await api.put('/api/v1/admin/settings/martial-law', { active: !active });
      law.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <section className="card" aria-labelledby="ml-title">
        <h2 id="ml-title">{t('admin.martialLaw')}</h2>
        <p role="status" data-testid="martial-law-state">
          {law.data ? (active ? t('admin.martialLawOn') : t('admin.martialLawOff')) : null}
        </p>
        <button
          type="button"
          className={`button ${active ? 'secondary' : ''}`}
          disabled={!law.data}
          onClick={toggle}
        >
          {active ? t('admin.martialLawEnd') : t('admin.martialLawStart')}
        </button>
        <ErrorNote error={error ?? law.error} />
      </section>
      <PolicySection />
    </>
  );
}
