import { sql } from 'kysely';
import type { Executor } from '../platform/db.js';
import { storeOp } from '../platform/problems.js';
import { type NewRegistration, registrationInsert } from '../registration/registration-store.js';
import type { WaitStatus } from './waitlist-schema.js';
import './waitlist-schema.js';

/** SQL of the waitlist (SPEC rule 12). Every function takes the caller's transaction. */

export interface NewWait {
  id: string;
  personId: string;
  serviceId: string;
  groupId: string;
  centerIds: string[];
  from: string;
  to: string;
  now: Date;
}

/** One open wait per person and service, atomically (partial unique index): false when one exists. */
export async function insertWait(db: Executor, w: NewWait): Promise<boolean> {
  return storeOp('waitlist.insert', async () => {
    const { rows } = await sql<{ id: string }>`
      INSERT INTO waits (id, person_id, service_id, group_id, center_ids, from_day, to_day, status, created_at, updated_at)
      VALUES (${w.id}::uuid, ${w.personId}::uuid, ${w.serviceId}, ${w.groupId}, ${w.centerIds}::text[],
        ${w.from}::date, ${w.to}::date, 'active', ${w.now}, ${w.now})
      ON CONFLICT DO NOTHING
      RETURNING id`.execute(db);
    return rows.length > 0;
  });
}

/** The online centers among `ids` that exist, and the service's group. */
export async function serviceAndCenters(db: Executor, serviceId: string, centerIds: string[]) {
  return storeOp('waitlist.serviceAndCenters', async () => {
    const service = await db
      .selectFrom('services')
      .select(['id', 'group_id'])
      .where('id', '=', serviceId)
      .executeTakeFirst();
    const centers = await db.selectFrom('centers').select('id').where('id', 'in', centerIds).execute();
    return { service, centerIds: centers.map((c) => c.id) };
  });
}

export async function openWaits(db: Executor, personId: string) {
  return storeOp('waitlist.list', () =>
    db
      .selectFrom('waits')
      .innerJoin('services', 'services.id', 'waits.service_id')
      .select([
        'waits.id',
        'waits.service_id',
        'services.name as service_name',
        'waits.center_ids',
        sql<string>`to_char(waits.from_day, 'YYYY-MM-DD')`.as('from_day'),
        sql<string>`to_char(waits.to_day, 'YYYY-MM-DD')`.as('to_day'),
        'waits.status',
        'waits.created_at',
      ])
      .where('waits.person_id', '=', personId)
      .where('waits.status', 'in', ['active', 'offered'])
      .orderBy('waits.created_at')
      .execute(),
  );
}

/** The person's open wait, locked. */
export async function openWaitForUpdate(db: Executor, id: string, personId: string) {
  return storeOp('waitlist.find', () =>
    db
      .selectFrom('waits')
      .select(['id', 'status'])
      .where('id', '=', id)
      .where('person_id', '=', personId)
      .where('status', 'in', ['active', 'offered'])
      .forUpdate()
      .executeTakeFirst(),
  );
}

export async function setWaitStatus(db: Executor, id: string, status: WaitStatus, now: Date): Promise<void> {
  await storeOp('waitlist.setStatus', () =>
    db.updateTable('waits').set({ status, updated_at: now }).where('id', '=', id).execute(),
  );
}

/**
 * Takes an active wait for an offer: only while it is still active, so a waiter holds at most
 * one offer at a time (a concurrent draw that picked the same wait waits here, then finds it
 * taken and asks the next).
 */
export async function claimWait(db: Executor, id: string, now: Date): Promise<boolean> {
  return storeOp('waitlist.claim', async () => {
    const row = await db
      .updateTable('waits')
      .set({ status: 'offered', updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'active')
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  });
}

export interface Candidate {
  wait_id: string;
  service_id: string;
  person_id: string;
  email: string | null;
  lang: string;
}

/**
 * The waiters eligible for a freed place of `slot`, in canonical order (by wait id): waiting for
 * a service of the slot's group at its center, its day in their range; not blocked; holding no
 * active registration that day in that group (rule 1); never offered this place before.
 */
export async function candidatesFor(
  db: Executor,
  slot: { id: number; center_id: string; group_id: string; day: string },
  now: Date,
): Promise<Candidate[]> {
  return storeOp('waitlist.candidates', async () => {
    const { rows } = await sql<Candidate>`
      SELECT w.id AS wait_id, w.service_id, w.person_id, p.email, p.lang
      FROM waits w JOIN persons p ON p.id = w.person_id
      WHERE w.status = 'active' AND w.group_id = ${slot.group_id}
        AND ${slot.center_id} = ANY(w.center_ids)
        AND ${slot.day}::date BETWEEN w.from_day AND w.to_day
        AND (p.blocked_until IS NULL OR p.blocked_until <= ${now})
        AND NOT EXISTS (
          SELECT 1 FROM registrations r
          WHERE r.person_id = w.person_id AND r.day = ${slot.day}::date AND r.group_id = ${slot.group_id}
            AND r.channel = 'online' AND r.legal_entity IS NULL
            AND r.status IN ('pending', 'offered', 'booked', 'arrived', 'called'))
        AND NOT EXISTS (SELECT 1 FROM waitlist_offers o WHERE o.wait_id = w.id AND o.slot_id = ${slot.id})
      ORDER BY w.id`.execute(db);
    return rows;
  });
}

/** The held registration of an offer; nothing when rule 1's index refuses it (a race). */
export async function insertOfferRegistration(db: Executor, r: NewRegistration): Promise<boolean> {
  return storeOp('waitlist.insertOffer', async () => {
    const { rows } = await registrationInsert(r, null, true).execute(db);
    return rows.length > 0;
  });
}

export async function recordOffer(
  db: Executor,
  o: {
    id: string;
    waitId: string;
    slotId: number;
    seed: string;
    candidates: number;
    position: number;
    now: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await storeOp('waitlist.recordOffer', () =>
    db
      .insertInto('waitlist_offers')
      .values({
        id: o.id,
        wait_id: o.waitId,
        slot_id: o.slotId,
        seed: o.seed,
        candidates: o.candidates,
        position: o.position,
        offered_at: o.now,
        expires_at: o.expiresAt,
      })
      .execute(),
  );
}

/** An offer with what accepting it checks, its registration row locked. */
export async function offerForUpdate(db: Executor, id: string) {
  return storeOp('waitlist.offerForUpdate', () =>
    db
      .selectFrom('registrations as r')
      .innerJoin('waitlist_offers as o', 'o.id', 'r.id')
      .innerJoin('slots as s', 's.id', 'o.slot_id')
      .innerJoin('services as v', 'v.id', 'r.service_id')
      .innerJoin('persons as p', 'p.id', 'r.person_id')
      .select([
        'r.id',
        'r.status',
        'r.person_id',
        'r.center_id',
        'r.service_id',
        'r.held_until',
        'o.wait_id',
        'o.slot_id',
        's.day',
        's.starts_at',
        's.ends_at',
        'v.is_exam',
        'p.blocked_until',
        'p.email',
        'p.lang',
      ])
      .where('r.id', '=', id)
      .forUpdate('r')
      .executeTakeFirst(),
  );
}

export async function decideOffer(
  db: Executor,
  id: string,
  outcome: 'accepted' | 'declined' | 'expired',
  now: Date,
): Promise<void> {
  await storeOp('waitlist.decideOffer', () =>
    db
      .updateTable('waitlist_offers')
      .set({ outcome, decided_at: now })
      .where('id', '=', id)
      .where('outcome', 'is', null)
      .execute(),
  );
}

/** Held offers whose hold has ended, locked for this transaction (SKIP LOCKED: any instance). */
export async function dueOffers(db: Executor, now: Date, limit: number): Promise<string[]> {
  return storeOp('waitlist.dueOffers', async () => {
    const rows = await db
      .selectFrom('registrations')
      .select('id')
      .where('status', '=', 'offered')
      .where('held_until', '<=', now)
      .orderBy('held_until')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    return rows.map((r) => r.id);
  });
}

/** The person's offers still held. */
export async function heldOffers(db: Executor, personId: string, now: Date) {
  return storeOp('waitlist.heldOffers', () =>
    db
      .selectFrom('registrations as r')
      .innerJoin('waitlist_offers as o', 'o.id', 'r.id')
      .innerJoin('centers as c', 'c.id', 'r.center_id')
      .innerJoin('services as v', 'v.id', 'r.service_id')
      .select([
        'r.id',
        'o.slot_id',
        'r.center_id',
        'c.name as center_name',
        'r.service_id',
        'v.name as service_name',
        'r.starts_at',
        'r.held_until',
      ])
      .where('r.person_id', '=', personId)
      .where('r.status', '=', 'offered')
      .where('r.held_until', '>', now)
      .orderBy('r.held_until')
      .execute(),
  );
}

/** The offer of a wait not yet accepted, declined or expired, if any. */
export async function undecidedOfferOf(db: Executor, waitId: string): Promise<string | undefined> {
  const row = await storeOp('waitlist.undecidedOffer', () =>
    db
      .selectFrom('waitlist_offers')
      .select('id')
      .where('wait_id', '=', waitId)
      .where('outcome', 'is', null)
      .executeTakeFirst(),
  );
  return row?.id;
}

/**
 * Free online places of the pool that someone waits for (capacity added, or a place that came
 * back while nobody waited): released, not a day still in its release lottery, starting after a
 * whole hold. Earliest first.
 */
export async function freePlacesWaitedFor(db: Executor, now: Date, holdMinutes: number, limit: number) {
  return storeOp('waitlist.freePlaces', async () => {
    const { rows } = await sql<{ id: number }>`
      SELECT s.id FROM slots s
      JOIN capacity_days cd ON cd.center_id = s.center_id AND cd.day = s.day AND cd.released_at <= ${now}
      LEFT JOIN lottery_draws d ON d.day = s.day
      WHERE s.pool = 'online' AND s.booked < s.capacity
        AND s.starts_at > ${now}::timestamptz + ${holdMinutes} * interval '1 minute'
        AND (d.day IS NULL OR d.drawn_at IS NOT NULL)
        AND EXISTS (
          SELECT 1 FROM waits w
          WHERE w.status = 'active' AND w.group_id = s.group_id AND s.center_id = ANY(w.center_ids)
            AND s.day BETWEEN w.from_day AND w.to_day)
      ORDER BY s.starts_at LIMIT ${limit}`.execute(db);
    return rows.map((r) => Number(r.id));
  });
}
