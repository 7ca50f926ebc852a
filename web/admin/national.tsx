import { useState } from 'react';
import type { martialLawState } from '../../src/hall/hall-api-schema.js';
import type { centersNow } from '../../src/hall/stats-api-schema.js';
import { type Answer, api } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { ErrorNote, Loading, useLoad } from '../shared/ui.js';
import { Kpi } from './charts.js';
import { PolicySection } from './policy.js';
import { DataTable } from './table.js';

type CentersNow = Answer<typeof centersNow>;
type MartialLaw = Answer<typeof martialLawState>;

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
            <Kpi value={list.reduce((n, c) => n + c.freeToday, 0)}>{t('admin.freeToday')}</Kpi>
            <Kpi value={list.reduce((n, c) => n + c.waiting, 0)}>{t('admin.waiting')}</Kpi>
            <Kpi value={alerts}>{t('admin.alertsNow')}</Kpi>
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

/** The martial-law switch (priority for serving military, rule 5c) and the national policy values (editable). */
export function MartialLawSection() {
  const law = useLoad(() => api.get<MartialLaw>('/api/v1/admin/settings/martial-law'));
  const [error, setError] = useState<unknown>(null);
  const active = law.data?.active === true;
  const toggle = async () => {
    const ask = active ? t('admin.confirmMartialLawOff') : t('admin.confirmMartialLawOn');
    if (!window.confirm(ask)) return;
    setError(null);
    try {
      await api.put<MartialLaw>('/api/v1/admin/settings/martial-law', { active: !active });
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
