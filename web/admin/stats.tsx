import { useState } from 'react';
import { api } from '../shared/api.js';
import { L } from '../shared/i18n.js';
import { addDays, dayAsDate, formatDateTime, formatDayShort, kyivDay } from '../shared/time.js';
import { ErrorNote, Loading, useLoad } from '../shared/ui.js';
import { BarChart, downloadCsv } from './charts.js';

const enc = encodeURIComponent;

export function AlertSwitch({ centerId }: { centerId: string }) {
  const state = useLoad(
    () => api.get<{ active: boolean; since?: string | null }>(`/api/v1/centers/${enc(centerId)}/alert`),
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
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className={`card alert-card ${active ? 'on' : ''}`} aria-labelledby="alert-title">
      <h2 id="alert-title">{L('Повітряна тривога', 'Air-raid alert')}</h2>
      {state.loading && !state.data ? <Loading /> : null}
      <p className="alert-state" role="status" data-testid="alert-state">
        {active
          ? `${L('Увімкнено', 'On')}${state.data?.since ? ` ${L('з', 'since')} ${formatDateTime(state.data.since)}` : ''}. ${L('Виклик призупинено, табло показує тривогу.', 'Calling is paused; the board shows the alert.')}`
          : L('Вимкнено. Центр працює у звичайному режимі.', 'Off. The center works normally.')}
      </p>
      <button
        type="button"
        className={`button big ${active ? 'ok' : 'danger'}`}
        disabled={busy || !state.data}
        onClick={toggle}
      >
        {active ? L('Відбій тривоги', 'All-clear') : L('Оголосити тривогу', 'Start alert')}
      </button>
      <p className="muted small">
        {L(
          'Після відбою виклик продовжиться з того місця, де зупинився; очікувані часи зсунуться, людей буде повідомлено.',
          'After the all-clear, calling resumes where it stopped; expected times shift and people are notified.',
        )}
      </p>
      <ErrorNote error={error} />
    </section>
  );
}

interface Today {
  served: number;
  noShows: number;
  refused: number;
  atDesks: number;
  averageWaitSeconds: number | null;
  averageServiceSeconds?: number | null;
  waiting: { total: number };
  perDesk: Array<{ desk: number; served: number; averageServiceSeconds: number | null }>;
  freeToday?: { total: number } | number;
}

interface PreviewDay {
  day: string;
  groups: Array<{
    groupId: string;
    online: { capacity: number; booked: number };
    terminal: { capacity: number; booked: number };
  }>;
}

interface FeedbackSummary {
  count: number;
  average: number | null;
  desks: Array<{ deskId: string; number: number; count: number; average: number | null }>;
}

const minutes = (s: number | null | undefined) =>
  s === null || s === undefined ? '—' : `${Math.round(s / 60)} ${L('хв', 'min')}`;

export function StatsSection({ centerId, compact = false }: { centerId: string; compact?: boolean }) {
  const today = kyivDay();
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
  const t = day.data;
  const closed = t ? t.served + t.noShows + t.refused : 0;
  const noShowRate = t && closed > 0 ? Math.round((t.noShows / closed) * 100) : 0;

  const exportCsv = () =>
    downloadCsv(
      `e-zapys-${centerId}-${today}.csv`,
      ['day', 'online_booked', 'terminal_booked', 'online_capacity', 'terminal_capacity'],
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
      ['desk', 'served_today', 'avg_service_min', 'feedback_count', 'feedback_avg'],
      (t?.perDesk ?? []).map((d) => {
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
        <h2 id="today-title">{L('Сьогодні', 'Today')}</h2>
        <ErrorNote error={day.error} onRetry={day.reload} />
        {t ? (
          <div className="kpis">
            <div className="kpi">
              <span className="kpi-n">{t.waiting.total}</span>
              {L('очікують', 'waiting')}
            </div>
            <div className="kpi">
              <span className="kpi-n">{t.served}</span>
              {L('обслуговано', 'served')}
            </div>
            <div className="kpi">
              <span className="kpi-n">{noShowRate}%</span>
              {L('неявок', 'no-show rate')}
            </div>
            <div className="kpi">
              <span className="kpi-n">{minutes(t.averageWaitSeconds)}</span>
              {L('середнє очікування', 'average wait')}
            </div>
            <div className="kpi">
              <span className="kpi-n">{feedback.data?.average?.toFixed(1) ?? '—'}</span>
              {L('середня оцінка', 'average rating')} ({feedback.data?.count ?? 0})
            </div>
          </div>
        ) : day.loading ? (
          <Loading />
        ) : null}
      </section>
      {!compact || days.length ? (
        <section aria-labelledby="chan-title">
          <h2 id="chan-title">{L('Записи по днях за каналами', 'Registrations per day by channel')}</h2>
          <ErrorNote error={preview.error} onRetry={preview.reload} />
          {days.length ? (
            <BarChart
              title={L('Записи по днях: онлайн і термінал', 'Registrations per day: online and terminal')}
              labels={labels}
              series={[
                { name: L('Онлайн', 'Online'), color: '#0a4a94', values: online },
                { name: L('Термінал', 'Terminal'), color: '#c98a00', values: terminal },
              ]}
            />
          ) : null}
          <button type="button" className="button secondary" onClick={exportCsv} disabled={!days.length}>
            {L('Експорт CSV (по днях)', 'Export CSV (per day)')}
          </button>
        </section>
      ) : null}
      {!compact && t ? (
        <section aria-labelledby="desk-title">
          <h2 id="desk-title">{L('Обслуговано по вікнах і якість', 'Served per desk and quality')}</h2>
          {t.perDesk.length === 0 ? (
            <p className="muted">
              {L('Сьогодні ще нікого не обслуговано.', 'Nobody has been served yet today.')}
            </p>
          ) : (
            <BarChart
              title={L('Обслуговано сьогодні по вікнах', 'Served today per desk')}
              labels={t.perDesk.map((d) => `${L('Вікно', 'Desk')} ${d.desk}`)}
              series={[
                {
                  name: L('Обслуговано', 'Served'),
                  color: '#0b6b2f',
                  values: t.perDesk.map((d) => d.served),
                },
              ]}
            />
          )}
          <table>
            <caption className="sr-only">{L('Вікна', 'Desks')}</caption>
            <thead>
              <tr>
                <th scope="col">{L('Вікно', 'Desk')}</th>
                <th scope="col">{L('Обслуговано', 'Served')}</th>
                <th scope="col">{L('Середній час прийому', 'Average service time')}</th>
                <th scope="col">{L('Оцінки (середня)', 'Ratings (average)')}</th>
              </tr>
            </thead>
            <tbody>
              {t.perDesk.map((d) => {
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
              {L('Експорт CSV (по вікнах)', 'Export CSV (per desk)')}
            </button>
          </p>
        </section>
      ) : null}
    </>
  );
}
