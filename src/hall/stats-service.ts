import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db.js';
import { daysBetween, kyivDay } from '../platform/kyiv-time.js';
import { DomainError } from '../platform/problems.js';
import type { PeriodStats } from './stats-api-schema.js';
import { capacityBy, centersNow, type Grain, type OutcomeRow, outcomesBy, sellOut } from './stats-store.js';

/** A year at most: longer reports belong to an export from the database, not to a screen. */
export const MAX_PERIOD_DAYS = 366;

export interface Viewer {
  role: string;
  centerId: string | null;
}

const round = (v: number | null) => (v === null || v === undefined ? null : Math.round(v));

function outcome(r: OutcomeRow) {
  const closed = r.served + r.no_show + r.refused;
  return {
    key: r.key,
    label: r.label,
    registrations: r.registrations,
    online: r.online,
    terminal: r.terminal,
    served: r.served,
    noShows: r.no_show,
    refused: r.refused,
    cancelled: r.cancelled,
    noShowRate: closed > 0 ? r.no_show / closed : null,
    waitP50Seconds: round(r.wait_p50),
    waitP90Seconds: round(r.wait_p90),
    serviceAverageSeconds: round(r.service_avg),
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? null) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

export function createStatsService({ db, clock }: { db: Db; clock: Clock }) {
  return {
    /**
     * Outcomes, waits and capacity of a period. A center head sees their own center only; a
     * national admin any center, or all of them together (`centerId` omitted).
     */
    async period(
      viewer: Viewer,
      q: { centerId?: string; from: string; to: string; grain: Grain },
    ): Promise<PeriodStats> {
      let centerId = q.centerId ?? null;
      if (viewer.role !== 'national_admin') {
        if (centerId !== null && centerId !== viewer.centerId) throw new DomainError('FORBIDDEN');
        centerId = viewer.centerId;
        if (!centerId) throw new DomainError('FORBIDDEN');
      }
      const span = daysBetween(q.from, q.to);
      if (span < 0 || span >= MAX_PERIOD_DAYS)
        throw new DomainError('VALIDATION', {
          detail: `Період має бути від 1 до ${MAX_PERIOD_DAYS} днів, «з» не пізніше за «по»`,
        });
      const scope = { centerId, from: q.from, to: q.to };
      const [all, periods, channels, services, desks, centers, capacity, sold] = await Promise.all([
        outcomesBy(db, scope, 'all'),
        outcomesBy(db, scope, 'period', q.grain),
        outcomesBy(db, scope, 'channel'),
        outcomesBy(db, scope, 'service'),
        centerId ? outcomesBy(db, scope, 'desk') : Promise.resolve([]),
        centerId ? Promise.resolve([]) : outcomesBy(db, scope, 'center'),
        capacityBy(db, scope, q.grain),
        sellOut(db, scope),
      ]);
      const cap = new Map(capacity.map((c) => [c.key, c]));
      const keys = [...new Set([...periods.map((p) => p.key), ...capacity.map((c) => c.key)])].sort();
      const empty = (key: string): OutcomeRow => ({
        key,
        label: null,
        registrations: 0,
        online: 0,
        terminal: 0,
        served: 0,
        no_show: 0,
        refused: 0,
        cancelled: 0,
        wait_p50: null,
        wait_p90: null,
        service_avg: null,
      });
      const byPeriod = new Map(periods.map((p) => [p.key, p]));
      const whole = all[0] ?? empty('total');
      const sum = (k: 'planned' | 'booked') => capacity.reduce((n, c) => n + c[k], 0);
      return {
        centerId,
        from: q.from,
        to: q.to,
        grain: q.grain,
        totals: { ...outcome(whole), planned: sum('planned'), booked: sum('booked') },
        periods: keys.map((k) => ({
          ...outcome(byPeriod.get(k) ?? empty(k)),
          planned: cap.get(k)?.planned ?? 0,
          booked: cap.get(k)?.booked ?? 0,
        })),
        byChannel: channels.map(outcome),
        byService: services.map(outcome),
        byDesk: desks.map(outcome),
        byCenter: centers.map(outcome),
        sellOut: {
          days: sold.map((d) => ({ centerId: d.center_id, day: d.day, minutes: round(d.minutes) })),
          medianMinutes: round(median(sold.flatMap((d) => (d.minutes === null ? [] : [d.minutes])))),
        },
      };
    },

    /** Every center now: free places today, people waiting, alerts (the national map). */
    async centersNow() {
      const now = clock.now();
      const today = kyivDay(now);
      const rows = await centersNow(db, today, now);
      return {
        now: now.toISOString(),
        today,
        centers: rows.map((r) => ({
          id: r.id,
          name: r.name,
          region: r.region,
          latitude: r.latitude,
          longitude: r.longitude,
          freeToday: r.free,
          waiting: r.waiting,
          alert: r.alert,
        })),
      };
    },
  };
}

export type StatsService = ReturnType<typeof createStatsService>;
