import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../platform/db.js';
import type { Channel } from '../platform/db-schema.js';
import { storeOp } from '../platform/problems.js';
import type { Quota } from './quota-rules.js';

/**
 * The claims every way of getting a registration makes (online booking, the lottery draw, the
 * terminal, a waitlist offer): a place of a slot, a unit of a limit, a ticket number. Each is
 * ONE conditional statement, written once here as a fragment: run alone, or as a CTE of a
 * larger single statement (the release hot path, see online-booking-store). `gate` names an
 * earlier CTE the claim depends on: without a row there, nothing is claimed.
 */

const gated = (gate: string | undefined) => (gate ? sql`AND EXISTS (SELECT 1 FROM ${sql.id(gate)})` : sql``);

/** `n` places of a slot, only while `booked + n <= capacity`: no slot is ever overbooked. RETURNING id. */
export function placeClaim(slotId: number, n = 1, gate?: string): RawBuilder<{ id: number }> {
  return sql<{ id: number }>`UPDATE slots SET booked = booked + ${n}
    WHERE id = ${slotId} AND booked + ${n} <= capacity ${gated(gate)}
    RETURNING id`;
}

/**
 * Rule 1: one unit of a limit counter, only while it is below the limit. Never given back:
 * cancelled registrations keep counting. RETURNING used.
 */
export function quotaClaim(q: Quota, channel: Channel): RawBuilder<{ used: number }> {
  return sql<{ used: number }>`INSERT INTO usage_counters AS u (subject, channel, period, used)
    VALUES (${q.subject}, ${channel}, ${q.period}, 1)
    ON CONFLICT (subject, channel, period) DO UPDATE SET used = u.used + 1 WHERE u.used < ${q.limit}
    RETURNING used`;
}

/**
 * Rule 8: `n` places of an exam category (SPEC §2) in the slot's center, day and pool, only while
 * the category's claimed places stay within its cap (`exam_category_cap`, migration 0018: cars ×
 * the examiner norm, at most the exam group's capacity, in the pool's proportion). One
 * conditional upsert: concurrent claims of the last places serialize on the counter row and each
 * re-checks the cap against the row as committed. RETURNING booked.
 */
export function categoryClaim(
  slotId: number,
  category: string,
  n = 1,
  gate?: string,
): RawBuilder<{ booked: number }> {
  return sql<{
    booked: number;
  }>`INSERT INTO exam_category_places AS c (center_id, day, pool, category, booked)
    SELECT s.center_id, s.day, s.pool, ${category}::text, ${n}::int FROM slots s
    WHERE s.id = ${slotId}
      AND ${n}::int <= exam_category_cap(s.center_id, s.group_id, s.day, s.pool, ${category}::text) ${gated(gate)}
    ON CONFLICT (center_id, day, pool, category) DO UPDATE SET booked = c.booked + excluded.booked
    WHERE c.booked + excluded.booked <= exam_category_cap(c.center_id,
      (SELECT s.group_id FROM slots s WHERE s.id = ${slotId}), c.day, c.pool, c.category)
    RETURNING booked`;
}

export type TicketSequence = 'regular' | 'priority';

/**
 * Rule 5: the next ticket number of a center and day: regular ones from 1000, priority ones
 * from 1, each in its own sequence. The counter row stays locked until commit. RETURNING last.
 */
export function ticketNumber(
  centerId: string,
  day: string,
  sequence: TicketSequence,
  gate?: string,
): RawBuilder<{ last: number }> {
  const first = sequence === 'priority' ? 1 : 1000;
  return sql<{ last: number }>`INSERT INTO ticket_counters AS t (center_id, day, sequence, last)
    SELECT ${centerId}, ${day}, ${sequence}, ${first} ${gate ? sql`FROM ${sql.id(gate)}` : sql``}
    ON CONFLICT (center_id, day, sequence) DO UPDATE SET last = t.last + 1
    RETURNING last`;
}

export async function claimPlace(db: Executor, slotId: number, n = 1): Promise<boolean> {
  return storeOp('slot.claim', async () => (await placeClaim(slotId, n).execute(db)).rows.length > 0);
}

export async function claimQuota(db: Executor, q: Quota, channel: Channel): Promise<boolean> {
  if (q.limit <= 0) return false;
  return storeOp('quota.claim', async () => (await quotaClaim(q, channel).execute(db)).rows.length > 0);
}

/**
 * Rule 1: the database refuses a second active online registration of a person for one day and
 * service group (migration 0012's partial unique index). True when `error` (or its cause) is that
 * refusal, which callers answer as LIMIT_REACHED.
 */
export function isSecondActiveRegistration(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const { constraint, message } = e as { constraint?: string; message?: string };
    if (constraint === 'registrations_one_active' || message?.includes('"registrations_one_active"'))
      return true;
  }
  return false;
}

/**
 * Rule 8: `n` places of an exam category at the slot's center, day and pool. True when claimed or
 * when there is no category to claim (`null`); false when the category's places are all taken.
 */
export async function claimExamPlace(
  db: Executor,
  slotId: number,
  category: string | null,
  n = 1,
): Promise<boolean> {
  if (!category) return true;
  return storeOp(
    'examPlace.claim',
    async () => (await categoryClaim(slotId, category, n).execute(db)).rows.length > 0,
  );
}

/**
 * Rule 8: gives `n` places of an exam category at the slot's center, day and pool back (a
 * cancellation or a move whose freed place went to a waiter, a claim undone).
 */
export async function releaseExamPlace(
  db: Executor,
  slotId: number,
  category: string | null,
  n = 1,
): Promise<void> {
  if (!category) return;
  await storeOp('examPlace.release', () =>
    sql`UPDATE exam_category_places c SET booked = greatest(0, c.booked - ${n}::int)
      FROM slots s
      WHERE s.id = ${slotId} AND c.center_id = s.center_id AND c.day = s.day AND c.pool = s.pool
        AND c.category = ${category}::text`.execute(db),
  );
}
