import { sql } from 'kysely';
import type { Executor, Tx } from '../platform/db.js';
import type { Channel } from '../platform/db-schema.js';
import { storeOp } from '../platform/problems.js';

/**
 * SQL of the head's conflict actions (SPEC rule 8): the conflict with its registration and
 * whom to write to, the center's free online times, the offers (one row per offered time) and
 * their single-use acceptance, settling the conflict, and a place that vanishes with its time.
 * The registration lock, the place and limit claims and the status write are registration/'s
 * and booking/'s (handed in), never repeated here.
 */

export interface ConflictRow {
  id: number;
  center_id: string;
  day: string;
  registration_id: string;
  resolved_at: Date | null;
  status: string;
  channel: Channel;
  slot_id: number | null;
  group_id: string;
  person_id: string;
  starts_at: Date;
  email: string | null;
  lang: string;
}

export async function findConflict(
  db: Executor,
  centerId: string,
  conflictId: number,
): Promise<ConflictRow | undefined> {
  return storeOp('conflict.find', async () => {
    const { rows } = await sql<ConflictRow>`
      SELECT c.id, c.center_id, c.day::text AS day, c.registration_id, c.resolved_at, r.status, r.channel,
        r.slot_id, r.group_id, r.person_id, r.starts_at,
        coalesce(r.contact_email, p.email) AS email, p.lang
      FROM capacity_conflicts c
      JOIN registrations r ON r.id = c.registration_id
      JOIN persons p ON p.id = r.person_id
      WHERE c.id = ${conflictId}::bigint AND c.center_id = ${centerId}`.execute(db);
    const r = rows[0];
    return r && { ...r, id: Number(r.id), slot_id: r.slot_id === null ? null : Number(r.slot_id) };
  });
}

export interface FreeTime {
  id: number;
  day: string;
  starts_at: Date;
  ends_at: Date;
  free: number;
}

/**
 * Online places of the center's group still free between two days, in time order; not on a day
 * the person already holds another active registration of the group (rule 1 would refuse it).
 */
export async function freeOnlineTimes(
  db: Executor,
  q: {
    centerId: string;
    groupId: string;
    from: string;
    to: string;
    after: Date;
    limit: number;
    personId: string;
    registrationId: string;
  },
): Promise<FreeTime[]> {
  return storeOp('conflict.freeTimes', async () => {
    const { rows } = await sql<FreeTime>`
      SELECT id, day::text AS day, starts_at, ends_at, capacity - booked AS free FROM slots
      WHERE center_id = ${q.centerId} AND group_id = ${q.groupId} AND pool = 'online'
        AND day BETWEEN ${q.from}::date AND ${q.to}::date AND starts_at > ${q.after}
        AND booked < capacity
        AND NOT EXISTS (SELECT 1 FROM registrations o WHERE o.person_id = ${q.personId}::uuid
          AND o.group_id = slots.group_id AND o.day = slots.day AND o.id <> ${q.registrationId}::uuid
          AND o.status IN ('pending', 'offered', 'booked', 'arrived', 'called'))
      ORDER BY starts_at LIMIT ${q.limit}`.execute(db);
    return rows.map((r) => ({ ...r, id: Number(r.id), free: Number(r.free) }));
  });
}

export interface NewOffer {
  id: string;
  conflictId: number;
  registrationId: string;
  centerId: string;
  fromSlotId: number | null;
  slotId: number;
  startsAt: Date;
  expiresAt: Date;
  createdBy: string | null;
  now: Date;
}

export async function insertOffers(trx: Tx, offers: NewOffer[]): Promise<void> {
  await storeOp('conflict.insertOffers', async () => {
    for (const o of offers)
      await sql`INSERT INTO conflict_offers (id, conflict_id, registration_id, center_id, from_slot_id, slot_id,
          starts_at, expires_at, created_by, created_at)
        VALUES (${o.id}::uuid, ${o.conflictId}::bigint, ${o.registrationId}::uuid, ${o.centerId},
          ${o.fromSlotId}::bigint, ${o.slotId}::bigint, ${o.startsAt}, ${o.expiresAt}, ${o.createdBy}::text,
          ${o.now})`.execute(trx);
  });
}

export interface OfferRow {
  id: string;
  conflict_id: number;
  registration_id: string;
  center_id: string;
  from_slot_id: number | null;
  slot_id: number;
  starts_at: Date;
  expires_at: Date;
  status: 'sent' | 'accepted' | 'withdrawn';
  created_by: string | null;
  created_at: Date;
  decided_at: Date | null;
  conflict_open: boolean;
}

const offerColumns = sql`o.id, o.conflict_id, o.registration_id, o.center_id, o.from_slot_id, o.slot_id,
  o.starts_at, o.expires_at, o.status, o.created_by, o.created_at, o.decided_at,
  (c.resolved_at IS NULL) AS conflict_open`;

const offerOf = (r: OfferRow): OfferRow => ({
  ...r,
  conflict_id: Number(r.conflict_id),
  from_slot_id: r.from_slot_id === null ? null : Number(r.from_slot_id),
  slot_id: Number(r.slot_id),
  starts_at: new Date(r.starts_at),
  expires_at: new Date(r.expires_at),
  created_at: new Date(r.created_at),
  decided_at: r.decided_at ? new Date(r.decided_at) : null,
});

/** One offer; `lock` holds it until commit (taken after the registration's lock, never before). */
export async function findOffer(db: Executor, id: string, lock = false): Promise<OfferRow | undefined> {
  return storeOp('conflict.findOffer', async () => {
    const { rows } = await sql<OfferRow>`
      SELECT ${offerColumns} FROM conflict_offers o JOIN capacity_conflicts c ON c.id = o.conflict_id
      WHERE o.id = ${id}::uuid ${lock ? sql`FOR UPDATE OF o` : sql``}`.execute(db);
    return rows[0] && offerOf(rows[0]);
  });
}

/** The center's offers, newest first (the head's view of sent / accepted / expired). */
export async function listOffers(db: Executor, centerId: string, limit = 500): Promise<OfferRow[]> {
  return storeOp('conflict.listOffers', async () => {
    const { rows } = await sql<OfferRow>`
      SELECT ${offerColumns} FROM conflict_offers o JOIN capacity_conflicts c ON c.id = o.conflict_id
      WHERE o.center_id = ${centerId} ORDER BY o.created_at DESC, o.starts_at LIMIT ${limit}`.execute(db);
    return rows.map(offerOf);
  });
}

/** Single use: only a sent, unexpired offer becomes accepted. */
export async function acceptOffer(trx: Tx, id: string, now: Date): Promise<boolean> {
  return storeOp('conflict.acceptOffer', async () => {
    const { rows } = await sql`UPDATE conflict_offers SET status = 'accepted', decided_at = ${now}
      WHERE id = ${id}::uuid AND status = 'sent' AND expires_at > ${now} RETURNING id`.execute(trx);
    return rows.length > 0;
  });
}

/** The conflict's other sent offers stop working (one was accepted, or it was settled otherwise). */
export async function withdrawOffers(trx: Tx, conflictId: number, now: Date): Promise<void> {
  await storeOp('conflict.withdrawOffers', () =>
    sql`UPDATE conflict_offers SET status = 'withdrawn', decided_at = ${now}
      WHERE conflict_id = ${conflictId}::bigint AND status = 'sent'`.execute(trx),
  );
}

/** Settles an open conflict with what was done; false when it was no longer open. */
export async function settleConflict(
  trx: Tx,
  conflictId: number,
  by: { at: Date; actorId: string | null; resolution: string; outcome: 'moved' | 'cancelled' },
): Promise<boolean> {
  return storeOp('conflict.settle', async () => {
    const { rows } = await sql`UPDATE capacity_conflicts
      SET resolved_at = ${by.at}, resolved_by = ${by.actorId}::text, resolution = ${by.resolution},
        outcome = ${by.outcome}
      WHERE id = ${conflictId}::bigint AND resolved_at IS NULL RETURNING id`.execute(trx);
    return rows.length > 0;
  });
}

/** What the head did with each conflict of the center (null: still open or marked by hand before). */
export async function conflictOutcomes(db: Executor, centerId: string) {
  return storeOp('conflict.outcomes', async () => {
    const { rows } = await sql<{ id: number; outcome: string | null }>`
      SELECT id, outcome FROM capacity_conflicts WHERE center_id = ${centerId} AND outcome IS NOT NULL`.execute(
      db,
    );
    return rows.map((r) => ({ id: Number(r.id), outcome: r.outcome }));
  });
}

/**
 * A place of a time nobody serves any more leaves with its registration: the slot keeps exactly
 * the places still held (as regeneration would set it), so nothing is ever freed there.
 */
export async function dropPlace(trx: Tx, slotId: number): Promise<void> {
  await storeOp('conflict.dropPlace', () =>
    sql`UPDATE slots SET booked = booked - 1, capacity = capacity - 1
      WHERE id = ${slotId}::bigint AND booked > 0 AND capacity > 0`.execute(trx),
  );
}

/** The slot's center, group and time (to decide whether its time is still served). */
export async function slotOf(db: Executor, slotId: number) {
  return storeOp('conflict.slot', async () => {
    const { rows } = await sql<{
      id: number;
      center_id: string;
      group_id: string;
      day: string;
      starts_at: Date;
      ends_at: Date;
      pool: string;
      capacity: number;
      booked: number;
    }>`SELECT id, center_id, group_id, day::text AS day, starts_at, ends_at, pool, capacity, booked
      FROM slots WHERE id = ${slotId}::bigint`.execute(db);
    const r = rows[0];
    return r && { ...r, id: Number(r.id), starts_at: new Date(r.starts_at), ends_at: new Date(r.ends_at) };
  });
}

/** Names for the link's page (no personal data: a forwarded link shows nobody's name). */
export async function offerPlaceNames(db: Executor, registrationId: string) {
  return storeOp('conflict.offerNames', async () => {
    const { rows } = await sql<{
      starts_at: Date;
      center_name: string;
      center_address: string;
      service_name: string;
    }>`SELECT r.starts_at, c.name AS center_name, c.address AS center_address, s.name AS service_name
      FROM registrations r JOIN centers c ON c.id = r.center_id JOIN services s ON s.id = r.service_id
      WHERE r.id = ${registrationId}::uuid`.execute(db);
    return rows[0] && { ...rows[0], starts_at: new Date(rows[0].starts_at) };
  });
}
