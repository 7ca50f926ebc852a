import { sql } from 'kysely';
import type { Executor } from '../platform/db.js';
import { storeOp } from '../platform/problems.js';
import type { QueueTicket } from './queue-rules.js';
import './hall-schema.js';

/** The waiting states: booked, or checked in at the kiosk (rule 13). */
const WAITING = ['booked', 'arrived'] as const;

/** Read side of the hall: the queue, the board snapshot and the center-day statistics. */

/** The center a board or the statistics are for: its id and name (undefined: no such center). */
export async function centerOf(db: Executor, centerId: string) {
  return storeOp('board.center', () =>
    db.selectFrom('centers').select(['id', 'name']).where('id', '=', centerId).executeTakeFirst(),
  );
}

/** The service groups in display order, for the statistics' waiting per group. */
export async function serviceGroups(db: Executor) {
  return storeOp('board.serviceGroups', () =>
    db.selectFrom('service_groups').select(['id', 'name']).orderBy('sort').orderBy('id').execute(),
  );
}

/** Today's waiting tickets of a center (optionally some groups), as plain queue data. */
export async function loadQueue(
  db: Executor,
  centerId: string,
  day: string,
  groups?: string[],
): Promise<QueueTicket[]> {
  const rows = await storeOp('queue.load', () =>
    db
      .selectFrom('registrations')
      .select(['id', 'group_id', 'channel', 'priority_category', 'call_at', 'created_at', 'parked_at'])
      .where('center_id', '=', centerId)
      .where('day', '=', day)
      .where('status', 'in', WAITING)
      .$if(groups !== undefined, (q) => q.where('group_id', 'in', groups as string[]))
      .execute(),
  );
  return rows.map((r) => ({
    id: r.id,
    groupId: r.group_id,
    channel: r.channel,
    priority: r.priority_category,
    callAt: new Date(r.call_at),
    createdAt: new Date(r.created_at),
    parked: r.parked_at !== null,
  }));
}

/** Average service time of the day at a center (served visits), or the default. */
export async function serviceMsOf(db: Executor, centerId: string, day: string, fallbackMs: number) {
  const row = await storeOp('stats.serviceMs', () =>
    sql<{ ms: number | null }>`
      SELECT avg(extract(epoch FROM (outcome_at - called_at)) * 1000)::float8 AS ms
      FROM registrations WHERE center_id = ${centerId} AND day = ${day} AND status = 'served'
        AND called_at IS NOT NULL AND outcome_at IS NOT NULL`.execute(db),
  );
  const ms = row.rows[0]?.ms;
  return ms && ms > 0 ? Math.round(ms) : fallbackMs;
}

/** Free terminal places left today per group (slots that have not ended). */
export async function freeToday(db: Executor, centerId: string, day: string, now: Date) {
  const rows = await storeOp('board.free', () =>
    db
      .selectFrom('slots')
      .select(['group_id', sql<number>`sum(capacity - booked)::int`.as('free')])
      .where('center_id', '=', centerId)
      .where('day', '=', day)
      .where('pool', '=', 'terminal')
      .where('ends_at', '>', now)
      .groupBy('group_id')
      .orderBy('group_id')
      .execute(),
  );
  const byGroup = Object.fromEntries(rows.map((r) => [r.group_id, Number(r.free)]));
  return { total: rows.reduce((a, r) => a + Number(r.free), 0), byGroup };
}

/**
 * Free places left today per service (SPEC §4 board row): terminal and online places of the
 * slots that have not ended. Slots belong to a service group, so every service of a group shows
 * its group's places; only groups the center opens today are listed.
 */
export async function freeByService(db: Executor, centerId: string, day: string, now: Date) {
  return storeOp('board.freeByService', () =>
    db
      .selectFrom('services as s')
      .innerJoin(
        (eb) =>
          eb
            .selectFrom('slots')
            .select(['group_id', sql<number>`sum(greatest(capacity - booked, 0))::int`.as('free')])
            .where('center_id', '=', centerId)
            .where('day', '=', day)
            .where('ends_at', '>', now)
            .groupBy('group_id')
            .as('f'),
        (join) => join.onRef('f.group_id', '=', 's.group_id'),
      )
      .innerJoin('service_groups as g', 'g.id', 's.group_id')
      .select(['s.id', 's.name', 'f.free'])
      .orderBy('g.sort')
      .orderBy('s.sort')
      .orderBy('s.id')
      .execute(),
  );
}

/** Called tickets of the day, newest first: numbers, desks and times only (no personal data). */
export async function calledTickets(db: Executor, centerId: string, day: string, limit: number) {
  return storeOp('board.called', () =>
    db
      .selectFrom('registrations as r')
      .innerJoin('desks as d', 'd.id', 'r.desk_id')
      .select(['r.number', 'r.priority_category', 'r.status', 'r.called_at', 'd.number as desk'])
      .where('r.center_id', '=', centerId)
      .where('r.day', '=', day)
      .where('r.called_at', 'is not', null)
      .orderBy('r.called_at', 'desc')
      .orderBy('r.number', 'desc')
      .limit(limit)
      .execute(),
  );
}

/** Center-day statistics (operators and head at a glance). */
export async function dayStats(db: Executor, centerId: string, day: string) {
  return storeOp('stats.day', async () => {
    const waiting = await db
      .selectFrom('registrations')
      .select(['group_id', sql<number>`count(*)::int`.as('n')])
      .where('center_id', '=', centerId)
      .where('day', '=', day)
      .where('status', 'in', WAITING)
      .groupBy('group_id')
      .orderBy('group_id')
      .execute();
    const totals = await sql<{
      served: number;
      no_show: number;
      refused: number;
      called: number;
      avg_wait_ms: number | null;
    }>`
      SELECT count(*) FILTER (WHERE status = 'served')::int AS served,
             count(*) FILTER (WHERE status = 'no_show')::int AS no_show,
             count(*) FILTER (WHERE status = 'refused_mismatch')::int AS refused,
             count(*) FILTER (WHERE status = 'called')::int AS called,
             -- A ticket called before its time (an idle desk) waited zero, not minus twenty minutes.
             (avg(greatest(0, extract(epoch FROM (called_at - greatest(call_at, created_at)))) * 1000)
               FILTER (WHERE called_at IS NOT NULL))::float8 AS avg_wait_ms
      FROM registrations WHERE center_id = ${centerId} AND day = ${day}`.execute(db);
    const perDesk = await sql<{ desk: number; served: number; avg_service_ms: number | null }>`
      SELECT d.number AS desk, count(*)::int AS served,
             avg(extract(epoch FROM (r.outcome_at - r.called_at)) * 1000)::float8 AS avg_service_ms
      FROM registrations r JOIN desks d ON d.id = r.desk_id
      WHERE r.center_id = ${centerId} AND r.day = ${day} AND r.status = 'served'
      GROUP BY d.number ORDER BY d.number`.execute(db);
    return { waiting, totals: totals.rows[0], perDesk: perDesk.rows };
  });
}
