import { useState } from 'react';
import type { periodStats } from '../../src/hall/stats-api-schema.js';
import { type Answer, api } from '../shared/api.js';
import { t } from '../shared/i18n.js';
import { useServerTime } from '../shared/server-time.js';
import { addDays, dayAsDate, formatDayShort, formatMonthShort } from '../shared/time.js';
import { ErrorNote, Loading, useLoad } from '../shared/ui.js';
import { BarChart, downloadCsv, Kpi } from './charts.js';
import { DateField } from './form.js';
import { DataTable } from './table.js';

type Stats = Answer<typeof periodStats>;
type Row = Stats['byChannel'][number];
type Grain = Stats['grain'];

const enc = encodeURIComponent;

const minutes = (s: number | null) => (s === null ? '—' : `${Math.round(s / 60)} ${t('admin.min')}`);
const percent = (r: number | null) => (r === null ? '—' : `${Math.round(r * 100)} %`);

/** The period a preset covers, ending on the server's today. */
function preset(today: string, grain: Grain): { from: string; to: string } {
  if (grain === 'day') return { from: today, to: today };
  if (grain === 'week') return { from: addDays(today, -6), to: today };
  return { from: addDays(today, -29), to: today };
}

/** Statistics of any period for one center (head) or all centers (national admin, `centerId` null). */
export function PeriodStatsSection({ centerId }: { centerId: string | null }) {
  const today = useServerTime()?.today;
  return today ? <PeriodStats centerId={centerId} today={today} /> : <Loading />;
}

function PeriodStats({ centerId, today }: { centerId: string | null; today: string }) {
  const [range, setRange] = useState(() => ({ ...preset(today, 'week'), grain: 'day' as Grain }));
  const [draft, setDraft] = useState(range);
  const q = `${centerId ? `centerId=${enc(centerId)}&` : ''}from=${range.from}&to=${range.to}&grain=${range.grain}`;
  const stats = useLoad(() => api.get<Stats>(`/api/v1/admin/stats?${q}`), [q]);
  const s = stats.data;

  const label = (key: string) =>
    range.grain === 'month'
      ? `${formatMonthShort(dayAsDate(key))} ${key.slice(0, 4)}`
      : range.grain === 'week'
        ? `${t('admin.weekOf')} ${formatDayShort(dayAsDate(key))}`
        : formatDayShort(dayAsDate(key));
  const channelName = (k: string) =>
    k === 'online' ? t('admin.online') : k === 'terminal' ? t('admin.terminal2') : k;

  const outcomeColumns = (first: string, name: (r: Row) => string) => [
    { header: first, cell: name },
    { header: t('admin.statRegistrations'), cell: (r: Row) => r.registrations },
    { header: t('admin.served2'), cell: (r: Row) => r.served },
    { header: t('admin.statNoShowRate'), cell: (r: Row) => percent(r.noShowRate) },
    { header: t('admin.statWaitP50'), cell: (r: Row) => minutes(r.waitP50Seconds) },
    { header: t('admin.statWaitP90'), cell: (r: Row) => minutes(r.waitP90Seconds) },
  ];

  const csvHeader = [
    t('admin.csvPeriod'),
    t('admin.statRegistrations'),
    t('admin.online'),
    t('admin.terminal2'),
    t('admin.served2'),
    t('admin.csvNoShows'),
    t('admin.csvRefused'),
    t('admin.csvCancelled'),
    t('admin.statNoShowRate'),
    t('admin.csvWaitP50'),
    t('admin.csvWaitP90'),
    t('admin.statPlanned'),
    t('admin.statBooked'),
  ];
  const exportCsv = () =>
    s &&
    downloadCsv(
      `e-zapys-${centerId ?? 'all'}-${today}.csv`,
      csvHeader,
      s.periods.map((p) => [
        p.key,
        p.registrations,
        p.online,
        p.terminal,
        p.served,
        p.noShows,
        p.refused,
        p.cancelled,
        p.noShowRate === null ? null : Math.round(p.noShowRate * 100),
        p.waitP50Seconds === null ? null : Math.round(p.waitP50Seconds / 60),
        p.waitP90Seconds === null ? null : Math.round(p.waitP90Seconds / 60),
        p.planned,
        p.booked,
      ]),
    );

  return (
    <>
      <form
        className="row card"
        aria-label={t('admin.statPeriod')}
        onSubmit={(e) => {
          e.preventDefault();
          setRange(draft);
        }}
      >
        <fieldset className="presets">
          <legend>{t('admin.statPeriod')}</legend>
          {(['day', 'week', 'month'] as const).map((g) => (
            <button
              key={g}
              type="button"
              className="button secondary"
              onClick={() => {
                const next = {
                  ...preset(today, g),
                  grain: g === 'month' ? ('week' as Grain) : ('day' as Grain),
                };
                setDraft(next);
                setRange(next);
              }}
            >
              {t(`admin.preset_${g}`)}
            </button>
          ))}
        </fieldset>
        <DateField
          id="ps-from"
          label={t('admin.from')}
          value={draft.from}
          onChange={(from) => setDraft({ ...draft, from })}
        />
        <DateField
          id="ps-to"
          label={t('admin.to')}
          value={draft.to}
          onChange={(to) => setDraft({ ...draft, to })}
        />
        <div>
          <label htmlFor="ps-grain">{t('admin.statGrain')}</label>
          <select
            id="ps-grain"
            value={draft.grain}
            onChange={(e) => setDraft({ ...draft, grain: e.target.value as Grain })}
          >
            <option value="day">{t('admin.grain_day')}</option>
            <option value="week">{t('admin.grain_week')}</option>
            <option value="month">{t('admin.grain_month')}</option>
          </select>
        </div>
        <button type="submit" className="button">
          {t('admin.show')}
        </button>
      </form>
      <ErrorNote error={stats.error} onRetry={stats.reload} />
      {stats.loading && !s ? <Loading /> : null}
      {s ? (
        <>
          <section aria-labelledby="ps-totals">
            <h2 id="ps-totals">{t('admin.statTotals')}</h2>
            <div className="kpis">
              <Kpi value={s.totals.registrations}>{t('admin.statRegistrations')}</Kpi>
              <Kpi value={s.totals.served}>{t('admin.served')}</Kpi>
              <Kpi value={percent(s.totals.noShowRate)}>{t('admin.statNoShowRate')}</Kpi>
              <Kpi value={minutes(s.totals.waitP50Seconds)}>{t('admin.statWaitP50')}</Kpi>
              <Kpi value={minutes(s.totals.waitP90Seconds)}>{t('admin.statWaitP90')}</Kpi>
              <Kpi
                value={
                  s.sellOut.medianMinutes === null ? '—' : `${s.sellOut.medianMinutes} ${t('admin.min')}`
                }
              >
                {t('admin.statSellOut', { days: s.sellOut.days.length })}
              </Kpi>
            </div>
          </section>
          <section aria-labelledby="ps-cap">
            <h2 id="ps-cap">{t('admin.statCapacity')}</h2>
            {s.periods.length ? (
              <BarChart
                title={t('admin.statCapacity')}
                labels={s.periods.map((p) => label(p.key))}
                series={[
                  { name: t('admin.statPlanned'), color: '#9aa9bd', values: s.periods.map((p) => p.planned) },
                  { name: t('admin.statBooked'), color: '#0a4a94', values: s.periods.map((p) => p.booked) },
                  { name: t('admin.served2'), color: '#0b6b2f', values: s.periods.map((p) => p.served) },
                ]}
              />
            ) : (
              <p className="muted">{t('admin.statNothing')}</p>
            )}
            {s.periods.length ? (
              <BarChart
                title={t('admin.registrationsPerDayOnline')}
                labels={s.periods.map((p) => label(p.key))}
                series={[
                  { name: t('admin.online'), color: '#0a4a94', values: s.periods.map((p) => p.online) },
                  { name: t('admin.terminal2'), color: '#c98a00', values: s.periods.map((p) => p.terminal) },
                ]}
              />
            ) : null}
            <button
              type="button"
              className="button secondary"
              onClick={exportCsv}
              disabled={!s.periods.length}
            >
              {t('admin.exportCsvPerDay')}
            </button>
          </section>
          <section aria-labelledby="ps-chan">
            <h2 id="ps-chan">{t('admin.statByChannel')}</h2>
            <DataTable
              caption={t('admin.statByChannel')}
              rows={s.byChannel}
              rowKey={(r) => r.key}
              columns={outcomeColumns(t('admin.statChannel'), (r) => channelName(r.key))}
            />
          </section>
          <section aria-labelledby="ps-svc">
            <h2 id="ps-svc">{t('admin.statByService')}</h2>
            <DataTable
              caption={t('admin.statByService')}
              rows={s.byService}
              rowKey={(r) => r.key}
              columns={outcomeColumns(t('admin.statService'), (r) => r.label ?? r.key)}
            />
          </section>
          {centerId ? (
            <section aria-labelledby="ps-desk">
              <h2 id="ps-desk">{t('admin.statByDesk')}</h2>
              <DataTable
                caption={t('admin.statByDesk')}
                rows={s.byDesk}
                rowKey={(r) => r.key}
                columns={[
                  ...outcomeColumns(t('admin.desk'), (r) => r.label ?? '—'),
                  {
                    header: t('admin.averageServiceTime'),
                    cell: (r: Row) => minutes(r.serviceAverageSeconds),
                  },
                ]}
              />
            </section>
          ) : (
            <section aria-labelledby="ps-center">
              <h2 id="ps-center">{t('admin.statByCenter')}</h2>
              <DataTable
                caption={t('admin.statByCenter')}
                rows={s.byCenter}
                rowKey={(r) => r.key}
                columns={outcomeColumns(t('admin.center'), (r) => r.label ?? r.key)}
              />
            </section>
          )}
        </>
      ) : null}
    </>
  );
}
