import { sql } from 'kysely';
import type { Executor } from '../platform/db.js';
import type { Channel, Pool } from '../platform/db-schema.js';
import { storeOp } from '../platform/problems.js';

/**
 * SQL of booking reads, the anti-resale return of places, no-show blocks and idempotency keys.
 * Every function takes the caller's transaction. The claims (place, limit, ticket number) and
 * every write of a registration's status are in src/registration/.
 */

export async function quotaUsed(
  db: Executor,
  subject: string,
  channel: Channel,
  period: string,
): Promise<number> {
  const row = await db
    .selectFrom('usage_counters')
    .select('used')
    .where('subject', '=', subject)
    .where('channel', '=', channel)
    .where('period', '=', period)
    .executeTakeFirst();
  return row?.used ?? 0;
}

/** A subject's limit units per period in [from, to] (a legal entity's days), used ones only. */
export async function quotaUsedByPeriod(
  db: Executor,
  subject: string,
  channel: Channel,
  from: string,
  to: string,
) {
  return storeOp('quota.usedByPeriod', () =>
    db
      .selectFrom('usage_counters')
      .select(['period', 'used'])
      .where('subject', '=', subject)
      .where('channel', '=', channel)
      .where('period', '>=', from)
      .where('period', '<=', to)
      .orderBy('period')
      .execute(),
  );
}

export async function legalEntityName(db: Executor, edrpou: string): Promise<string | null> {
  const row = await storeOp('legalEntity.find', () =>
    db.selectFrom('legal_entities').select('name').where('edrpou', '=', edrpou).executeTakeFirst(),
  );
  return row?.name ?? null;
}

export interface SlotInfo {
  id: number;
  center_id: string;
  group_id: string;
  day: string;
  starts_at: Date;
  ends_at: Date;
  pool: Pool;
  capacity: number;
  booked: number;
}

export async function findSlot(db: Executor, slotId: number): Promise<SlotInfo | undefined> {
  return storeOp('slot.find', () =>
    db
      .selectFrom('slots')
      .select(['id', 'center_id', 'group_id', 'day', 'starts_at', 'ends_at', 'pool', 'capacity', 'booked'])
      .where('id', '=', slotId)
      .executeTakeFirst(),
  );
}

export const registrationColumns = [
  'registrations.id',
  'registrations.center_id',
  'registrations.service_id',
  'registrations.group_id',
  'registrations.slot_id',
  'registrations.person_id',
  'registrations.legal_entity',
  'registrations.channel',
  'registrations.status',
  'registrations.day',
  'registrations.starts_at',
  'registrations.call_at',
  'registrations.number',
  'registrations.priority_category',
  'registrations.desk_id',
  'registrations.call_count',
  'registrations.exam_passed',
  'registrations.alert_excused',
  'registrations.cancelled_at',
  'registrations.outcome_at',
  'registrations.created_at',
  'registrations.move_count',
  'registrations.exam_category',
] as const;

export async function findRegistration(db: Executor, id: string) {
  return storeOp('registration.find', () =>
    db.selectFrom('registrations').select(registrationColumns).where('id', '=', id).executeTakeFirst(),
  );
}

export async function listPersonRegistrations(db: Executor, personId: string) {
  return storeOp('registration.listByPerson', () =>
    db
      .selectFrom('registrations')
      .innerJoin('centers', 'centers.id', 'registrations.center_id')
      .innerJoin('services', 'services.id', 'registrations.service_id')
      .leftJoin('legal_entities', 'legal_entities.edrpou', 'registrations.legal_entity')
      // A lottery entry's draw (one per day): when the entry is decided.
      .leftJoin('lottery_draws', 'lottery_draws.day', 'registrations.day')
      .select(registrationColumns)
      .select([
        'centers.name as center_name',
        'centers.address as center_address',
        'services.name as service_name',
        'legal_entities.name as legal_entity_name',
        'lottery_draws.decides_at as draw_decides_at',
      ])
      .where('registrations.person_id', '=', personId)
      .orderBy('registrations.starts_at', 'desc')
      .limit(200)
      .execute(),
  );
}

/**
 * A freed place goes back to its slot at `dueAt`. A practical exam's place takes its vehicle
 * category place (rule 8) back with it, never earlier: a scarce category freed by a cancellation
 * is not there for whoever polls first either (rule 3).
 */
export async function scheduleSlotReturn(
  db: Executor,
  slotId: number,
  registrationId: string,
  dueAt: Date,
  examCategory: string | null = null,
) {
  await storeOp('slot.scheduleReturn', () =>
    db
      .insertInto('slot_returns')
      .values({
        slot_id: slotId,
        registration_id: registrationId,
        due_at: dueAt,
        exam_category: examCategory,
      })
      .execute(),
  );
}

/** Puts places whose anti-resale delay has ended back into their slots. Safe on many instances. */
export async function applyDueSlotReturns(db: Executor, now: Date): Promise<number> {
  return storeOp('slot.applyReturns', async () => {
    const result = await sql<{ n: number }>`
      WITH due AS (
        DELETE FROM slot_returns WHERE id IN (
          SELECT id FROM slot_returns WHERE due_at <= ${now} ORDER BY due_at LIMIT 500 FOR UPDATE SKIP LOCKED
        ) RETURNING slot_id, exam_category
      ), counts AS (SELECT slot_id, count(*)::int AS n FROM due GROUP BY slot_id),
      categories AS (
        UPDATE exam_category_places c SET booked = greatest(0, c.booked - k.n)
        FROM (SELECT s.center_id, s.day, s.pool, d.exam_category, count(*)::int AS n
              FROM due d JOIN slots s ON s.id = d.slot_id WHERE d.exam_category IS NOT NULL
              GROUP BY 1, 2, 3, 4) k
        WHERE c.center_id = k.center_id AND c.day = k.day AND c.pool = k.pool AND c.category = k.exam_category
      )
      UPDATE slots SET booked = greatest(0, booked - counts.n) FROM counts WHERE slots.id = counts.slot_id
      RETURNING counts.n`.execute(db);
    return result.rows.reduce((acc, r) => acc + Number(r.n), 0);
  });
}

/** The day of the person's last failed attempt at an exam service, for the 10-day rule. */
export async function lastFailedExamDay(
  db: Executor,
  personId: string,
  serviceId: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('registrations')
    .select('day')
    .where('person_id', '=', personId)
    .where('service_id', '=', serviceId)
    .where('exam_passed', '=', false)
    .orderBy('day', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.day ?? null;
}

/** Online no-shows of a person in a Kyiv month, not excused by an air-raid alert (rule 4). */
export async function countNoShows(db: Executor, personId: string, monthStart: string, monthEnd: string) {
  const row = await db
    .selectFrom('registrations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('person_id', '=', personId)
    .where('channel', '=', 'online')
    .where('status', '=', 'no_show')
    .where('alert_excused', '=', false)
    .where('day', '>=', monthStart)
    .where('day', '<', monthEnd)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// Idempotency keys: the first request with a key stores its answer; a repeat gets the same one.

export async function claimIdempotencyKey(
  db: Executor,
  scope: string,
  key: string,
  requestHash: string,
  now: Date,
): Promise<
  { fresh: true } | { fresh: false; requestHash: string; statusCode: number | null; response: unknown }
> {
  return storeOp('idempotency.claim', async () => {
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({ scope, key, request_hash: requestHash, created_at: now })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) return { fresh: true };
    const existing = await db
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'status_code', 'response'])
      .where('scope', '=', scope)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    return {
      fresh: false,
      requestHash: existing.request_hash,
      statusCode: existing.status_code,
      response: existing.response,
    };
  });
}

export async function saveIdempotentResponse(
  db: Executor,
  scope: string,
  key: string,
  statusCode: number,
  response: unknown,
) {
  await storeOp('idempotency.save', () =>
    db
      .updateTable('idempotency_keys')
      .set({ status_code: statusCode, response: JSON.stringify(response) })
      .where('scope', '=', scope)
      .where('key', '=', key)
      .execute(),
  );
}

/** Everything a booking decision needs, read in one round trip. Absent rows come back as nulls. */

/**
 * Rule 4: blocks the person until `until` unless a block is already running (so the block date
 * never moves on while one lasts). Returns where to tell the person, or undefined.
 */
export async function blockPerson(
  db: Executor,
  b: { personId: string; until: Date; centerId: string; now: Date },
): Promise<{ email: string | null; lang: string } | undefined> {
  return storeOp('person.block', () =>
    db
      .updateTable('persons')
      .set({ blocked_until: b.until, blocked_at: b.now, block_center_id: b.centerId, updated_at: b.now })
      .where('id', '=', b.personId)
      .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<=', b.now)]))
      .returning(['email', 'lang'])
      .executeTakeFirst(),
  );
}

/** The person with this identifier hash and their block, locked for lifting it. */
export async function findBlockForUpdate(db: Executor, idHash: string) {
  return storeOp('person.findBlock', () =>
    db
      .selectFrom('persons')
      .select(['id', 'blocked_until', 'block_center_id'])
      .where('id_hash', '=', idHash)
      .forUpdate()
      .executeTakeFirst(),
  );
}

/** Rule 4: the center of the person's last registration (whose head may lift a block). */
export async function centerOfLastRegistration(db: Executor, personId: string): Promise<string | null> {
  const row = await storeOp('registration.lastCenter', () =>
    db
      .selectFrom('registrations')
      .select('center_id')
      .where('person_id', '=', personId)
      .orderBy('starts_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
  );
  return row?.center_id ?? null;
}

/** Rule 4, told to the blocked person: the center of the last registration, with its address. */
export async function lastRegistrationCenter(db: Executor, personId: string) {
  return storeOp('registration.lastCenterView', () =>
    db
      .selectFrom('registrations as r')
      .innerJoin('centers as c', 'c.id', 'r.center_id')
      .select(['c.id', 'c.name', 'c.address'])
      .where('r.person_id', '=', personId)
      .orderBy('r.starts_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
  );
}

export async function liftPersonBlock(db: Executor, personId: string, now: Date): Promise<void> {
  await storeOp('person.liftBlock', () =>
    db
      .updateTable('persons')
      .set({ blocked_until: null, updated_at: now })
      .where('id', '=', personId)
      .execute(),
  );
}
