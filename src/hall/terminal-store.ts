import { sql } from 'kysely';
import type { Executor } from '../platform/db.js';
import { storeOp } from '../platform/problems.js';
import './hall-schema.js';

/**
 * SQL of the kiosk's time choice (SPEC §2 terminal channel): today's terminal places read from
 * the same `slots` rows the online side reads, so kiosk and portal show one availability.
 */

/**
 * Rule 8: what is left of an exam category's terminal places on the slot's day (`s` is the slot),
 * as availability-store reads the online pool's; no category leaves the slots' own free places.
 */
const categoryLeft = (category: string | null) =>
  category
    ? sql<number>`greatest(0, exam_category_cap(s.center_id, s.group_id, s.day, 'terminal', ${category}::text)
        - coalesce((SELECT c.booked FROM exam_category_places c WHERE c.center_id = s.center_id
            AND c.day = s.day AND c.pool = 'terminal' AND c.category = ${category}::text), 0))`
    : sql<number>`${2 ** 31 - 1}::int`;

/**
 * Today's terminal start times of a group with places left (slots not ended), earliest first.
 * With a practical exam's vehicle category (rule 8) no time offers more than the category has left
 * in the terminal pool that day, and none once it has none.
 */
export async function terminalTimes(
  db: Executor,
  centerId: string,
  groupId: string,
  day: string,
  now: Date,
  category: string | null = null,
) {
  const { rows } = await storeOp('terminal.times', () =>
    sql<{ starts_at: Date; free: number }>`
      SELECT s.starts_at, least(sum(s.capacity - s.booked), min(${categoryLeft(category)}))::int AS free
      FROM slots s
      WHERE s.center_id = ${centerId} AND s.group_id = ${groupId} AND s.day = ${day}
        AND s.pool = 'terminal' AND s.ends_at > ${now} AND s.booked < s.capacity
      GROUP BY s.starts_at
      HAVING min(${categoryLeft(category)}) > 0
      ORDER BY s.starts_at`.execute(db),
  );
  return rows.map((r) => ({ startsAt: new Date(r.starts_at), free: Number(r.free) }));
}

/** The open terminal slots of a group today starting exactly at `startsAt` (the chosen time). */
export async function terminalSlotsAt(
  db: Executor,
  c: { centerId: string; groupId: string; day: string; startsAt: Date; now: Date },
) {
  return storeOp('terminal.slotsAt', () =>
    db
      .selectFrom('slots')
      .select(['id', 'starts_at'])
      .where('center_id', '=', c.centerId)
      .where('group_id', '=', c.groupId)
      .where('day', '=', c.day)
      .where('pool', '=', 'terminal')
      .where('starts_at', '=', c.startsAt)
      .where('ends_at', '>', c.now)
      .where(sql<boolean>`booked < capacity`)
      .orderBy('id')
      .execute(),
  );
}

/** The name a legal entity is registered under (SPEC §2), as the kiosk's ticket shows it. */
export async function legalEntityName(db: Executor, edrpou: string): Promise<string | null> {
  const row = await storeOp('terminal.legalEntityName', () =>
    db.selectFrom('legal_entities').select('name').where('edrpou', '=', edrpou).executeTakeFirst(),
  );
  return row?.name ?? null;
}
