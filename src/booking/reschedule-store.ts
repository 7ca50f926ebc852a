import { sql } from 'kysely';
import type { Executor } from '../platform/db.js';
import type { Channel } from '../platform/db-schema.js';
import { storeOp } from '../platform/problems.js';
import type { Quota } from '../registration/quota-rules.js';

/**
 * SQL of moving a registration (SPEC rule 3). The claims (place, limit unit, ticket number) and
 * the status write are registration/'s; here: the row lock that serialises two moves of one
 * registration, the service read, and giving back a limit unit of the month left behind.
 */

export interface MovableRegistration {
  id: string;
  person_id: string;
  legal_entity: string | null;
  channel: Channel;
  status: string;
  service_id: string;
  group_id: string;
  center_id: string;
  slot_id: number | null;
  day: string;
  starts_at: Date;
  move_count: number;
  exam_category: string | null;
}

/**
 * The registration, locked until commit: a second move of the same registration waits here and
 * then reads the first one's result (its new month and move count), so a limit unit is never
 * given back twice.
 */
export async function lockRegistration(db: Executor, id: string): Promise<MovableRegistration | undefined> {
  return storeOp('registration.lockForMove', async () => {
    const { rows } = await sql<MovableRegistration>`
      SELECT id, person_id, legal_entity, channel, status, service_id, group_id, center_id, slot_id, day,
        starts_at, move_count, exam_category
      FROM registrations WHERE id = ${id}::uuid FOR UPDATE`.execute(db);
    const r = rows[0];
    return r ? { ...r, slot_id: r.slot_id === null ? null : Number(r.slot_id) } : undefined;
  });
}

export async function findService(db: Executor, id: string) {
  return storeOp('service.find', () =>
    db
      .selectFrom('services')
      .select(['id', 'group_id', 'is_exam', 'name'])
      .where('id', '=', id)
      .executeTakeFirst(),
  );
}

/**
 * Rule 3: a moved registration counts once, in the month (day, for a legal entity) of its new
 * time, so the period it leaves gets its unit back. Only ever after the new period's unit was
 * claimed in the same transaction.
 */
export async function releaseQuota(db: Executor, q: Quota, channel: Channel): Promise<void> {
  await storeOp('quota.release', () =>
    db
      .updateTable('usage_counters')
      .set((eb) => ({ used: eb('used', '-', 1) }))
      .where('subject', '=', q.subject)
      .where('channel', '=', channel)
      .where('period', '=', q.period)
      .where('used', '>', 0)
      .execute(),
  );
}
