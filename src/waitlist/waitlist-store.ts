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
  /** Practical exams: the vehicle category (SPEC §2), checked against every center; else null. */
  examCategory: string | null;
  now: Date;
}

/** One open wait per person and service, atomically (partial unique index): false when one exists. */
export async function insertWait(db: Executor, w: NewWait): Promise<boolean> {
  return storeOp('waitlist.insert', async () => {
    const { rows } = await sql<{ id: string }>`
      INSERT INTO waits (id, person_id, service_id, group_id, center_ids, from_day, to_day, exam_category,
        status, created_at, updated_at)
      VALUES (${w.id}::uuid, ${w.personId}::uuid, ${w.serviceId}, ${w.groupId}, ${w.centerIds}::text[],
        ${w.from}::date, ${w.to}::date, ${w.examCategory}::text, 'active', ${w.now}, ${w.now})
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
        'waits.exam_category',
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
  /** Practical exams: the vehicle category the waiter waits for (SPEC §2, rule 8). */
  exam_category: string | null;
  email: string | null;
  lang: string;
}

/**
 * Rule 8 for a wait `w` and a slot `s` (aliases of the query it is put in): a wait for a practical
 * exam names a category; it can take the slot's place only if that center examines the category
 * and the category still has a place in the slot's day and pool, or the place being passed on
 * holds one of that very category (`freed`: it goes with the place). A wait without a category
 * (made before migration 0021) is never offered a place of a service that has categories.
 */
const categoryFits = (freed: string | null) => sql`(
  CASE WHEN w.exam_category IS NULL
    THEN coalesce(cardinality((SELECT v.exam_categories FROM services v WHERE v.id = w.service_id)), 0) = 0
    ELSE EXISTS (SELECT 1 FROM center_exam_categories e
                 WHERE e.center_id = s.center_id AND e.category = w.exam_category)
      AND (w.exam_category = ${freed}::text
        OR exam_category_cap(s.center_id, s.group_id, s.day, s.pool, w.exam_category)
          > coalesce((SELECT c.booked FROM exam_category_places c WHERE c.center_id = s.center_id
               AND c.day = s.day AND c.pool = s.pool AND c.category = w.exam_category), 0))
  END)`;

/**
 * The waiters eligible for a freed place of `slot`, in canonical order (by wait id): waiting for
 * a service of the slot's group at its center, its day in their range; not blocked; holding no
 * active registration that day in that group (rule 1); never offered this place before; for a
 * practical exam, waiting for a category the center examines and that still has a place there
 * that day (rule 8), or the category `freed` the place carries.
 */
export async function candidatesFor(
  db: Executor,
  slot: { id: number; center_id: string; group_id: string; day: string },
  now: Date,
  freed: string | null = null,
): Promise<Candidate[]> {
  return storeOp('waitlist.candidates', async () => {
    const { rows } = await sql<Candidate>`
      SELECT w.id AS wait_id, w.service_id, w.person_id, w.exam_category, p.email, p.lang
      FROM waits w JOIN persons p ON p.id = w.person_id JOIN slots s ON s.id = ${slot.id}
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
        AND ${categoryFits(freed)}
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
        'r.exam_category',
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
        'r.exam_category',
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
            AND s.day BETWEEN w.from_day AND w.to_day AND ${categoryFits(null)})
      ORDER BY s.starts_at LIMIT ${limit}`.execute(db);
    return rows.map((r) => Number(r.id));
  });
}

/**
 * Rule 8: the exam category whose place goes with a freed place of `slotId`, i.e. the one the
 * caller gives back once the place is offered: the category of the registration `freedBy` that
 * left the place, unless it still holds a place of that center, day and pool (a move within
 * them keeps its category place). Null when nothing of a category is freed.
 */
export async function freedCategory(db: Executor, freedBy: string, slotId: number): Promise<string | null> {
  return storeOp('waitlist.freedCategory', async () => {
    const { rows } = await sql<{ exam_category: string }>`
      SELECT r.exam_category FROM registrations r
      JOIN slots f ON f.id = ${slotId}
      LEFT JOIN slots cur ON cur.id = r.slot_id
      WHERE r.id = ${freedBy}::uuid AND r.exam_category IS NOT NULL
        AND NOT (r.status IN ('pending', 'offered', 'booked', 'arrived', 'called') AND cur.id IS NOT NULL
          AND cur.center_id = f.center_id AND cur.day = f.day AND cur.pool = f.pool)`.execute(db);
    return rows[0]?.exam_category ?? null;
  });
}

/**
 * Rule 8: the waiter takes over the category place the freed place carries (same category): one
 * more counted here, unconditionally, because the caller gives the freed one back in the same
 * transaction (so the count ends where it was, never above the cap for longer than that).
 */
export async function takeOverExamPlace(db: Executor, slotId: number, category: string): Promise<void> {
  await storeOp('waitlist.takeOverExamPlace', () =>
    sql`INSERT INTO exam_category_places AS c (center_id, day, pool, category, booked)
      SELECT s.center_id, s.day, s.pool, ${category}::text, 1 FROM slots s WHERE s.id = ${slotId}
      ON CONFLICT (center_id, day, pool, category) DO UPDATE SET booked = c.booked + 1`.execute(db),
  );
}
