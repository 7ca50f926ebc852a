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
