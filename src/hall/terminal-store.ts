import { sql } from 'kysely';
import type { Executor } from '../platform/db.js';
import { storeOp } from '../platform/problems.js';
import './hall-schema.js';

/**
 * SQL of the kiosk's time choice (SPEC §2 terminal channel): today's terminal places read from
 * the same `slots` rows the online side reads, so kiosk and portal show one availability.
 */

/** Today's terminal start times of a group with places left (slots not ended), earliest first. */
export async function terminalTimes(db: Executor, centerId: string, groupId: string, day: string, now: Date) {
  const rows = await storeOp('terminal.times', () =>
    db
      .selectFrom('slots')
      .select(['starts_at', sql<number>`sum(capacity - booked)::int`.as('free')])
      .where('center_id', '=', centerId)
      .where('group_id', '=', groupId)
      .where('day', '=', day)
      .where('pool', '=', 'terminal')
      .where('ends_at', '>', now)
      .where(sql<boolean>`booked < capacity`)
      .groupBy('starts_at')
      .orderBy('starts_at')
      .execute(),
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
