import { sql } from 'kysely';
import type { Executor } from '../platform/db.js';
import { storeOp } from '../platform/problems.js';

/** Statistics over a period: SQL of the head's and the national admin's reports. */

export type Grain = 'day' | 'week' | 'month';

export interface StatsScope {
  /** null: every center (national admin). */
  centerId: string | null;
  from: string;
  to: string;
}

/** Who waited how long: from the later of the call time and the arrival, never negative. */
const WAIT = sql`greatest(0, extract(epoch FROM (r.called_at - greatest(r.call_at, r.created_at, r.arrived_at))))`;

const centerFilter = (centerId: string | null, column: string) =>
  centerId === null ? sql`true` : sql`${sql.ref(column)} = ${centerId}`;

export interface OutcomeRow {
  key: string;
  label: string | null;
  registrations: number;
  online: number;
  terminal: number;
  served: number;
  no_show: number;
  refused: number;
  cancelled: number;
  wait_p50: number | null;
  wait_p90: number | null;
  service_avg: number | null;
}

const OUTCOMES = sql`
  count(*) FILTER (WHERE r.status NOT IN ('pending', 'offered', 'lost', 'released'))::int AS registrations,
  count(*) FILTER (WHERE r.channel = 'online' AND r.status NOT IN ('pending', 'offered', 'lost', 'released'))::int AS online,
  count(*) FILTER (WHERE r.channel = 'terminal' AND r.status NOT IN ('pending', 'offered', 'lost', 'released'))::int AS terminal,
  count(*) FILTER (WHERE r.status = 'served')::int AS served,
  count(*) FILTER (WHERE r.status = 'no_show')::int AS no_show,
  count(*) FILTER (WHERE r.status = 'refused_mismatch')::int AS refused,
  count(*) FILTER (WHERE r.status = 'cancelled')::int AS cancelled,
  (percentile_cont(0.5) WITHIN GROUP (ORDER BY ${WAIT}) FILTER (WHERE r.called_at IS NOT NULL))::float8 AS wait_p50,
  (percentile_cont(0.9) WITHIN GROUP (ORDER BY ${WAIT}) FILTER (WHERE r.called_at IS NOT NULL))::float8 AS wait_p90,
  (avg(extract(epoch FROM (r.outcome_at - r.called_at))) FILTER (WHERE r.status = 'served' AND r.called_at IS NOT NULL))::float8 AS service_avg`;

/** Outcomes grouped by one dimension: the period (day/week/month), channel, service, desk or center. */
export function outcomesBy(
  db: Executor,
  scope: StatsScope,
  by: 'all' | 'period' | 'channel' | 'service' | 'desk' | 'center',
  grain: Grain = 'day',
) {
  return storeOp(`stats.by_${by}`, async () => {
    const key =
      by === 'all'
        ? sql`'total'`
        : by === 'period'
          ? sql`to_char(date_trunc(${grain}, r.day), 'YYYY-MM-DD')`
          : by === 'channel'
            ? sql`r.channel`
            : by === 'service'
              ? sql`r.service_id`
              : by === 'desk'
                ? sql`coalesce(r.desk_id, '')`
                : sql`r.center_id`;
    const label =
      by === 'service'
        ? sql`(SELECT s.name FROM services s WHERE s.id = r.service_id)`
        : by === 'desk'
          ? sql`(SELECT d.number::text FROM desks d WHERE d.id = r.desk_id)`
          : by === 'center'
            ? sql`(SELECT c.name FROM centers c WHERE c.id = r.center_id)`
            : sql`NULL::text`;
    const where =
      by === 'desk'
        ? sql`AND r.desk_id IS NOT NULL AND r.status IN ('served', 'no_show', 'refused_mismatch', 'called')`
        : sql``;
    const res = await sql<OutcomeRow>`
      SELECT ${key} AS key, min(${label}) AS label, ${OUTCOMES}
      FROM registrations r
      WHERE ${centerFilter(scope.centerId, 'r.center_id')} AND r.day BETWEEN ${scope.from} AND ${scope.to} ${where}
      GROUP BY 1 ORDER BY 1`.execute(db);
    return res.rows;
  });
}

export interface CapacityRow {
  key: string;
  planned: number;
  booked: number;
  planned_online: number;
  booked_online: number;
}

/** Planned and booked places per period (both pools; online apart for the release figures). */
export function capacityBy(db: Executor, scope: StatsScope, grain: Grain) {
  return storeOp('stats.capacity', async () => {
    const res = await sql<CapacityRow>`
      SELECT to_char(date_trunc(${grain}, s.day), 'YYYY-MM-DD') AS key,
             coalesce(sum(s.capacity), 0)::int AS planned,
             coalesce(sum(s.booked), 0)::int AS booked,
             coalesce(sum(s.capacity) FILTER (WHERE s.pool = 'online'), 0)::int AS planned_online,
             coalesce(sum(s.booked) FILTER (WHERE s.pool = 'online'), 0)::int AS booked_online
      FROM slots s
      WHERE ${centerFilter(scope.centerId, 's.center_id')} AND s.day BETWEEN ${scope.from} AND ${scope.to}
      GROUP BY 1 ORDER BY 1`.execute(db);
    return res.rows;
  });
}

/**
 * How long the online places of each released day lasted: from its release to the booking that
 * took its last online place (null while places remain). Only days whose online pool is full.
 */
export function sellOut(db: Executor, scope: StatsScope) {
  return storeOp('stats.sell_out', async () => {
    const res = await sql<{ center_id: string; day: string; minutes: number | null }>`
      SELECT cd.center_id, to_char(cd.day, 'YYYY-MM-DD') AS day,
             (extract(epoch FROM (
               (SELECT max(r.created_at) FROM registrations r
                 WHERE r.center_id = cd.center_id AND r.day = cd.day AND r.channel = 'online'
                   AND r.status NOT IN ('pending', 'offered', 'lost', 'released')) - cd.released_at)) / 60)::float8 AS minutes
      FROM capacity_days cd
      WHERE ${centerFilter(scope.centerId, 'cd.center_id')} AND cd.day BETWEEN ${scope.from} AND ${scope.to}
        AND EXISTS (SELECT 1 FROM slots s WHERE s.center_id = cd.center_id AND s.day = cd.day AND s.pool = 'online')
        AND NOT EXISTS (SELECT 1 FROM slots s WHERE s.center_id = cd.center_id AND s.day = cd.day
                          AND s.pool = 'online' AND s.booked < s.capacity)
      ORDER BY cd.day`.execute(db);
    return res.rows;
  });
}

/** The national picture now: free places today, people waiting, alerts, per center. */
export function centersNow(db: Executor, today: string, now: Date) {
  return storeOp('stats.centers_now', async () => {
    const res = await sql<{
      id: string;
      name: string;
      region: string;
      latitude: number | null;
      longitude: number | null;
      free: number;
      waiting: number;
      alert: boolean;
    }>`
      SELECT c.id, c.name, c.region, c.latitude, c.longitude,
             coalesce((SELECT sum(s.capacity - s.booked) FROM slots s
                        WHERE s.center_id = c.id AND s.day = ${today} AND s.ends_at > ${now}), 0)::int AS free,
             (SELECT count(*) FROM registrations r
               WHERE r.center_id = c.id AND r.day = ${today} AND r.status IN ('booked', 'arrived', 'called'))::int AS waiting,
             EXISTS (SELECT 1 FROM alert_periods a WHERE a.center_id = c.id AND a.ended_at IS NULL) AS alert
      FROM centers c ORDER BY c.name`.execute(db);
    return res.rows;
  });
}
