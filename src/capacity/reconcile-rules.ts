import type { Pool } from '../platform/db-schema.js';
import type { GeneratedSlot } from './slot-rules.js';

/**
 * SPEC §3 rule 8, the second half: regeneration never drops or moves an existing registration
 * silently. Pure: given a day's existing slots (locked by the caller) and the freshly generated
 * ones, decide the writes.
 *
 * - A slot that is still generated gets the new capacity, but never less than the places held
 *   in it (`booked` minus places waiting for their anti-resale return). Held places beyond the
 *   new capacity stay where they are: the slot is reported as overbooked, nobody is moved.
 * - A slot that is no longer generated keeps exactly its held places (closed to new bookings).
 * - Places waiting to return to a pool that shrank are dropped: that place no longer exists.
 * - A slot whose start time is no longer inside any generated window of its group (both pools)
 *   — nobody serves that group then, e.g. the day became a holiday — is a conflict: its
 *   registrations are listed for the center head and the people are told.
 */

export interface ExistingSlot {
  id: number;
  groupId: string;
  startsAt: Date;
  pool: Pool;
  capacity: number;
  booked: number;
  /** Cancelled places still counted in `booked` until their delayed return. */
  returning: number;
}

export interface SlotWrite extends GeneratedSlot {}

export interface ReconcilePlan {
  /** Generated slots to upsert, with the capacity to store. */
  upserts: SlotWrite[];
  /** Existing slots that are no longer generated and need a capacity change. */
  closes: Array<{ id: number; capacity: number }>;
  /** Pending returns to drop per slot (their place is gone), and `booked` falls by as many. */
  dropReturns: Array<{ id: number; count: number }>;
  /** Existing slots whose time nobody serves any more and that hold registrations. */
  conflictSlotIds: number[];
  /** Still generated slots that hold more places than the new capacity. */
  overbooked: Array<{ id: number; capacity: number; held: number }>;
}

/**
 * Whether anybody serves `groupId` at `startsAt` in the generated day (a window of either pool
 * covers it). A registration whose time is not served has lost its place: a conflict; and a
 * place leaving such a time (the head moves or cancels it) vanishes instead of being freed.
 */
export function isServed(generated: GeneratedSlot[], groupId: string, startsAt: Date): boolean {
  const t = startsAt.getTime();
  return generated.some((g) => g.groupId === groupId && g.startsAt.getTime() <= t && t < g.endsAt.getTime());
}

const keyOf = (groupId: string, startsAt: Date, pool: Pool) => `${groupId}|${startsAt.getTime()}|${pool}`;

export function reconcile(existing: ExistingSlot[], generated: GeneratedSlot[]): ReconcilePlan {
  const byKey = new Map(existing.map((e) => [keyOf(e.groupId, e.startsAt, e.pool), e]));
  const plan: ReconcilePlan = {
    upserts: [],
    closes: [],
    dropReturns: [],
    conflictSlotIds: [],
    overbooked: [],
  };
  const kept = new Set<number>();

  for (const g of generated) {
    const e = byKey.get(keyOf(g.groupId, g.startsAt, g.pool));
    if (!e) {
      plan.upserts.push(g);
      continue;
    }
    kept.add(e.id);
    const held = e.booked - e.returning;
    const capacity = Math.max(g.capacity, held);
    const drop = Math.max(0, e.booked - capacity);
    if (drop > 0) plan.dropReturns.push({ id: e.id, count: drop });
    if (held > g.capacity) plan.overbooked.push({ id: e.id, capacity: g.capacity, held });
    plan.upserts.push({ ...g, capacity });
  }

  for (const e of existing) {
    if (kept.has(e.id)) continue;
    const held = e.booked - e.returning;
    if (e.returning > 0) plan.dropReturns.push({ id: e.id, count: e.returning });
    if (e.capacity !== held) plan.closes.push({ id: e.id, capacity: held });
    if (!isServed(generated, e.groupId, e.startsAt) && held > 0) plan.conflictSlotIds.push(e.id);
  }
  return plan;
}
