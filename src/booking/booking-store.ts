import { sql } from 'kysely';
import type { Executor } from '../platform/db.js';
import type { Channel, Pool, PriorityCategory, RegistrationStatus } from '../platform/db-schema.js';
import { storeOp } from '../platform/problems.js';

/**
 * SQL of registrations, slots, counters and idempotency keys. Every function takes the caller's
 * transaction; every claim is one conditional statement, safe under any concurrency.
 */

/**
 * Rule 1, atomically: takes one unit of a limit counter if it is below `limit`. Returns false
 * when the limit is reached. Never decremented: cancelled registrations keep counting.
 */
export async function claimQuota(
  db: Executor,
  input: { subject: string; channel: Channel; period: string; limit: number },
): Promise<boolean> {
  return storeOp('quota.claim', async () => {
    if (input.limit <= 0) return false;
    const row = await db
      .insertInto('usage_counters')
      .values({ subject: input.subject, channel: input.channel, period: input.period, used: 1 })
      .onConflict((oc) =>
        oc
          .columns(['subject', 'channel', 'period'])
          .doUpdateSet({ used: sql`usage_counters.used + 1` })
          .where('usage_counters.used', '<', input.limit),
      )
      .returning('used')
      .executeTakeFirst();
    return row !== undefined;
  });
}

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

/** Claims one place of a slot: one conditional UPDATE, so no slot is ever overbooked. */
export async function claimSlotPlace(db: Executor, slotId: number): Promise<boolean> {
  return storeOp('slot.claim', async () => {
    const row = await db
      .updateTable('slots')
      .set({ booked: sql`booked + 1` })
      .where('id', '=', slotId)
      .where(sql<boolean>`booked < capacity`)
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  });
}

export interface NewRegistration {
  id: string;
  centerId: string;
  serviceId: string;
  groupId: string;
  slotId: number | null;
  personId: string;
  legalEntity: string | null;
  channel: Channel;
  status: RegistrationStatus;
  day: string;
  startsAt: Date;
  callAt: Date;
  priority?: { category: PriorityCategory; docType: string; docEnc: string; docHash: string } | null;
  /** Take a ticket number now (regular from 1000, priority from 1, per center and day). */
  numbered: boolean;
  now: Date;
}

/**
 * Inserts a registration, taking its ticket number from the center-day counter in the same
 * statement (the counter row is locked only from here to commit).
 */
export async function insertRegistration(
  db: Executor,
  r: NewRegistration,
): Promise<{ number: number | null }> {
  return storeOp('registration.insert', async () => {
    const sequence = r.priority ? 'priority' : 'regular';
    const first = r.priority ? 1 : 1000;
    const values = {
      id: r.id,
      center_id: r.centerId,
      service_id: r.serviceId,
      group_id: r.groupId,
      slot_id: r.slotId,
      person_id: r.personId,
      legal_entity: r.legalEntity,
      channel: r.channel,
      status: r.status,
      day: r.day,
      starts_at: r.startsAt,
      call_at: r.callAt,
      priority_category: r.priority?.category ?? null,
      priority_doc_type: r.priority?.docType ?? null,
      priority_doc_enc: r.priority?.docEnc ?? null,
      priority_doc_hash: r.priority?.docHash ?? null,
      created_at: r.now,
      updated_at: r.now,
    };
    if (!r.numbered) {
      await db
        .insertInto('registrations')
        .values({ ...values, number: null })
        .execute();
      return { number: null };
    }
    const result = await sql<{ number: number }>`
      WITH n AS (
        INSERT INTO ticket_counters (center_id, day, sequence, last)
        VALUES (${r.centerId}, ${r.day}, ${sequence}, ${first})
        ON CONFLICT (center_id, day, sequence) DO UPDATE SET last = ticket_counters.last + 1
        RETURNING last
      )
      INSERT INTO registrations (id, center_id, service_id, group_id, slot_id, person_id, legal_entity, channel,
        status, day, starts_at, call_at, number, priority_category, priority_doc_type, priority_doc_enc,
        priority_doc_hash, created_at, updated_at)
      SELECT ${values.id}, ${values.center_id}, ${values.service_id}, ${values.group_id}, ${values.slot_id},
        ${values.person_id}, ${values.legal_entity}, ${values.channel}, ${values.status}, ${values.day},
        ${values.starts_at}, ${values.call_at}, n.last, ${values.priority_category}, ${values.priority_doc_type},
        ${values.priority_doc_enc}, ${values.priority_doc_hash}, ${values.created_at}, ${values.updated_at}
      FROM n
      RETURNING number`.execute(db);
    return { number: result.rows[0]?.number ?? null };
  });
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
      .select(registrationColumns)
      .select([
        'centers.name as center_name',
        'centers.address as center_address',
        'services.name as service_name',
      ])
      .where('registrations.person_id', '=', personId)
      .orderBy('registrations.starts_at', 'desc')
      .limit(200)
      .execute(),
  );
}

/** Moves a registration between states only from an allowed state: one conditional UPDATE. */
export async function transition(
  db: Executor,
  id: string,
  from: RegistrationStatus[],
  to: RegistrationStatus,
  now: Date,
  extra: { cancelled_at?: Date } = {},
): Promise<boolean> {
  return storeOp(`registration.${to}`, async () => {
    const row = await db
      .updateTable('registrations')
      .set({ status: to, updated_at: now, ...extra })
      .where('id', '=', id)
      .where('status', 'in', from)
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  });
}

export async function scheduleSlotReturn(db: Executor, slotId: number, registrationId: string, dueAt: Date) {
  await storeOp('slot.scheduleReturn', () =>
    db
      .insertInto('slot_returns')
      .values({ slot_id: slotId, registration_id: registrationId, due_at: dueAt })
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
        ) RETURNING slot_id
      ), counts AS (SELECT slot_id, count(*)::int AS n FROM due GROUP BY slot_id)
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
