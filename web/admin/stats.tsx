import { useState } from 'react';
import type { previewDayView } from '../../src/capacity/capacity-api-schema.js';
import type { feedbackSummary } from '../../src/feedback/feedback-api-schema.js';
import type { alertState } from '../../src/hall/hall-api-schema.js';
import type { todayStats } from '../../src/hall/stats-api-schema.js';
import { type Answer, api } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { useServerTime } from '../shared/server-time.js';
import { addDays, dayAsDate, formatDateTime, formatDayShort } from '../shared/time.js';
import { ErrorNote, Loading, useLoad } from '../shared/ui.js';
import { BarChart, downloadCsv, Kpi } from './charts.js';

const enc = encodeURIComponent;

export function AlertSwitch({ centerId }: { centerId: string }) {
  const state = useLoad(
    () => api.get<Answer<typeof alertState>>(`/api/v1/centers/${enc(centerId)}/alert`),
    [centerId],
  );
  // Rule 7: what the switch affects, in front of the head before they press it.
  const today = useLoad(
    () => api.get<Answer<typeof todayStats>>(`/api/v1/centers/${enc(centerId)}/stats/today`),
    [centerId],
  );
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const active = state.data?.active === true;
  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/v1/centers/${enc(centerId)}/alert`, { active: !active });
      state.reload();
      today.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className={`card alert-card ${active ? 'on' : ''}`} aria-labelledby="alert-title">
      <h2 id="alert-title">{t('admin.airRaidAlert')}</h2>
      {state.loading && !state.data ? <Loading /> : null}
      <p className="alert-state" role="status" data-testid="alert-state">
        {active
          ? `${t('admin.on')}${state.data?.since ? ` ${t('admin.since')} ${formatDateTime(state.data.since)}` : ''}. ${t('admin.callingPausedBoardShows')}`
          : t('admin.offCenterWorksNormally')}
      </p>
      <button
        type="button"
        className={`button big ${active ? 'ok' : 'danger'}`}
        disabled={busy || !state.data}
        onClick={toggle}
      >
        {active ? t('admin.allClear') : t('admin.startAlert')}
      </button>
      {today.data ? (
        <p className="small" data-testid="alert-impact">
          {t(active ? 'admin.alertImpactOn' : 'admin.alertImpactOff', {
            waiting: today.data.waiting.total,
            atDesks: today.data.atDesks,
          })}
        </p>
      ) : null}
      <p className="muted small">{t('admin.afterAllClearCalling')}</p>
      <ErrorNote error={error} />
    </section>
  );
}

type Today = Answer<typeof todayStats>;

type PreviewDay = Answer<typeof previewDayView>;

type FeedbackSummary = Answer<typeof feedbackSummary>;

const minutes = (s: number | null | undefined) =>
  s === null || s === undefined ? '—' : `${Math.round(s / 60)} ${t('admin.min')}`;

export function StatsSection({ centerId, compact = false }: { centerId: string; compact?: boolean }) {
  // The charted period and the CSV file names take the server's today, not the device's.
  const today = useServerTime()?.today;
  return today ? <Stats centerId={centerId} compact={compact} today={today} /> : <Loading />;
}

function Stats({ centerId, compact, today }: { centerId: string; compact: boolean; today: string }) {
  const from = addDays(today, -13);
  const to = addDays(today, 7);
  const day = useLoad(() => api.get<Today>(`/api/v1/centers/${enc(centerId)}/stats/today`), [centerId]);
  const preview = useLoad(
    () => api.get<PreviewDay[]>(`/api/v1/admin/centers/${enc(centerId)}/capacity?from=${from}&to=${to}`),
    [centerId],
  );
  const feedback = useLoad(
    () => api.get<FeedbackSummary>(`/api/v1/admin/centers/${enc(centerId)}/feedback/summary`),
    [centerId],
  );

  const days = preview.data ?? [];
  const labels = days.map((d) => formatDayShort(dayAsDate(d.day)));
  const sum = (d: PreviewDay, pool: 'online' | 'terminal', k: 'booked' | 'capacity') =>
    d.groups.reduce((a, g) => a + g[pool][k], 0);
  const online = days.map((d) => sum(d, 'online', 'booked'));
  const terminal = days.map((d) => sum(d, 'terminal', 'booked'));
  const dayStats = day.data;
  const closed = dayStats ? dayStats.served + dayStats.noShows + dayStats.refused : 0;
  const noShowRate = dayStats && closed > 0 ? Math.round((dayStats.noShows / closed) * 100) : 0;

  const exportCsv = () =>
    downloadCsv(
      `e-zapys-${centerId}-${today}.csv`,
      [
        t('admin.csvDay'),
        t('admin.csvOnlineBooked'),
        t('admin.csvTerminalBooked'),
        t('admin.csvOnlineCapacity'),
        t('admin.csvTerminalCapacity'),
      ],
      days.map((d) => [
        d.day,
        sum(d, 'online', 'booked'),
        sum(d, 'terminal', 'booked'),
        sum(d, 'online', 'capacity'),
        sum(d, 'terminal', 'capacity'),
      ]),
    );
  const exportDesks = () =>
    downloadCsv(
      `e-zapys-${centerId}-${today}-desks.csv`,
      [
        t('admin.desk'),
        t('admin.csvServedToday'),
        t('admin.csvServiceMin'),
        t('admin.csvFeedbackCount'),
        t('admin.csvFeedbackAverage'),
      ],
      (dayStats?.perDesk ?? []).map((d) => {
        const f = feedback.data?.desks.find((x) => x.number === d.desk);
        return [
          d.desk,
          d.served,
          d.averageServiceSeconds === null ? null : Math.round(d.averageServiceSeconds / 60),
          f?.count ?? 0,
          f?.average ?? null,
        ];
      }),
    );

  return (
    <>
      <section aria-labelledby="today-title">
        <h2 id="today-title">{t('admin.today')}</h2>
        <ErrorNote error={day.error} onRetry={day.reload} />
        {dayStats ? (
          <div className="kpis">
            <Kpi value={dayStats.waiting.total}>{t('admin.waiting')}</Kpi>
            <Kpi value={dayStats.served}>{t('admin.served')}</Kpi>
            <Kpi value={`${noShowRate}%`}>{t('admin.showRate')}</Kpi>
            <Kpi value={minutes(dayStats.averageWaitSeconds)}>{t('admin.averageWait')}</Kpi>
            <Kpi value={feedback.data?.average?.toFixed(1) ?? '—'}>
              {t('admin.averageRating')} ({feedback.data?.count ?? 0})
            </Kpi>
          </div>
        ) : day.loading ? (
          <Loading />
        ) : null}
      </section>
      {!compact || days.length ? (
        <section aria-labelledby="chan-title">
          <h2 id="chan-title">{t('admin.registrationsPerDayChannel')}</h2>
          <ErrorNote error={preview.error} onRetry={preview.reload} />
          {days.length ? (
            <BarChart
              title={t('admin.registrationsPerDayOnline')}
              labels={labels}
              series={[
                { name: t('admin.online'), color: '#0a4a94', values: online },
                { name: t('admin.terminal2'), color: '#c98a00', values: terminal },
              ]}
            />
          ) : null}
          <button type="button" className="button secondary" onClick={exportCsv} disabled={!days.length}>
            {t('admin.exportCsvPerDay')}
          </button>
        </section>
      ) : null}
      {!compact && dayStats ? (
        <section aria-labelledby="desk-title">
          <h2 id="desk-title">{t('admin.servedPerDeskQuality')}</h2>
          {dayStats.perDesk.length === 0 ? (
            <p className="muted">{t('admin.nobodyHasBeenServed')}</p>
          ) : (
            <BarChart
              title={t('admin.servedTodayPerDesk')}
              labels={dayStats.perDesk.map((d) => `${t('admin.desk')} ${d.desk}`)}
              series={[
                {
                  name: t('admin.served2'),
                  color: '#0b6b2f',
                  values: dayStats.perDesk.map((d) => d.served),
                },
              ]}
            />
          )}
          <table>
            <caption className="sr-only">{t('admin.desks3')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.desk')}</th>
                <th scope="col">{t('admin.served2')}</th>
                <th scope="col">{t('admin.averageServiceTime')}</th>
                <th scope="col">{t('admin.ratingsAverage')}</th>
              </tr>
            </thead>
            <tbody>
              {dayStats.perDesk.map((d) => {
                const f = feedback.data?.desks.find((x) => x.number === d.desk);
                return (
                  <tr key={d.desk}>
                    <td>{d.desk}</td>
                    <td>{d.served}</td>
                    <td>{minutes(d.averageServiceSeconds)}</td>
                    <td>{f ? `${f.count} (${f.average?.toFixed(1) ?? '—'})` : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p>
            <button type="button" className="button secondary" onClick={exportDesks}>
              {t('admin.exportCsvPerDesk')}
            </button>
          </p>
        </section>
      ) : null}
    </>
  );
}
