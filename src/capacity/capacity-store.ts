import { sql } from 'kysely';
import type { Executor } from '../platform/db.js';
import type { WorkingHours } from '../platform/db-schema.js';
import type { Day } from '../platform/kyiv-time.js';
import { storeOp } from '../platform/problems.js';
import type { ExistingSlot, SlotWrite } from './reconcile-rules.js';
import type { CenterDayInput } from './slot-rules.js';

/** SQL of capacity generation. Every function takes the caller's transaction. */

/** Serialises every capacity change of one center (generation, regeneration, the release job). */
const LOCK_SPACE = 784512002;

export async function lockCenter(db: Executor, centerId: string): Promise<void> {
  await storeOp('capacity.lock', () =>
    sql`SELECT pg_advisory_xact_lock(${LOCK_SPACE}, hashtext(${centerId}))`.execute(db),
  );
}

/** The same lock without waiting: false when another transaction holds it (another instance). */
export async function tryLockCenter(db: Executor, centerId: string): Promise<boolean> {
  return storeOp('capacity.tryLock', async () => {
    const r = await sql<{
      ok: boolean;
    }>`SELECT pg_try_advisory_xact_lock(${LOCK_SPACE}, hashtext(${centerId})) AS ok`.execute(db);
    return r.rows[0]?.ok === true;
  });
}

export type CenterInputs = Omit<CenterDayInput, 'day'>;

/** Everything the pure generator needs for one center over a range of days, in a few queries. */
export async function loadCenterInputs(
  db: Executor,
  centerId: string,
  from: Day,
  to: Day,
): Promise<CenterInputs | undefined> {
  return storeOp('capacity.loadInputs', async () => {
    const center = await db
      .selectFrom('centers')
      .select(['id', 'working_hours', 'online_share'])
      .where('id', '=', centerId)
      .executeTakeFirst();
    if (!center) return undefined;
    const [holidays, groups, desks, staff, shifts, absences, norms] = await Promise.all([
      db
        .selectFrom('holidays')
        .select(['center_id', 'day'])
        .where((eb) => eb.or([eb('center_id', 'is', null), eb('center_id', '=', centerId)]))
        .where('day', '>=', from)
        .where('day', '<=', to)
        .execute(),
      db.selectFrom('service_groups').select(['id', 'role']).execute(),
      db
        .selectFrom('desks')
        .select(['id', 'group_ids', 'active'])
        .where('center_id', '=', centerId)
        .execute(),
      db.selectFrom('staff').select(['id', 'role', 'active']).where('center_id', '=', centerId).execute(),
      db
        .selectFrom('roster_shifts')
        .select(['staff_id', 'desk_id', 'weekdays', 'valid_from', 'valid_to', 'starts', 'ends'])
        .where('center_id', '=', centerId)
        .where('valid_from', '<=', to)
        .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', from)]))
        .execute(),
      db
        .selectFrom('staff_absences')
        .innerJoin('staff', 'staff.id', 'staff_absences.staff_id')
        .select(['staff_absences.staff_id', 'staff_absences.day'])
        .where('staff.center_id', '=', centerId)
        .where('staff_absences.day', '>=', from)
        .where('staff_absences.day', '<=', to)
        .execute(),
      db
        .selectFrom('norms')
        .select(['center_id', 'group_id', 'role', 'per_day'])
        .where((eb) => eb.or([eb('center_id', 'is', null), eb('center_id', '=', centerId)]))
        .execute(),
    ]);
    return {
      centerId,
      workingHours: center.working_hours as WorkingHours,
      onlineShare: Number(center.online_share),
      holidays: holidays.map((h) => ({ centerId: h.center_id, day: h.day })),
      groups: groups.map((g) => ({ id: g.id, role: g.role })),
      desks: desks.map((d) => ({ id: d.id, groupIds: d.group_ids, active: d.active })),
      staff: staff.map((s) => ({ id: s.id, role: s.role, active: s.active })),
      shifts: shifts.map((s) => ({
        staffId: s.staff_id,
        deskId: s.desk_id,
        weekdays: s.weekdays.map(Number),
        validFrom: s.valid_from,
        validTo: s.valid_to,
        starts: s.starts,
        ends: s.ends,
      })),
      absences: absences.map((a) => ({ staffId: a.staff_id, day: a.day })),
      norms: norms.map((n) => ({
        centerId: n.center_id,
        groupId: n.group_id,
        role: n.role,
        perDay: n.per_day,
      })),
    };
  });
}

/** The existing slots of a center's days, locked against concurrent bookings until commit. */
export async function lockSlots(
  db: Executor,
  centerId: string,
  days: Day[],
): Promise<Array<ExistingSlot & { day: Day }>> {
  if (days.length === 0) return [];
  return storeOp('capacity.lockSlots', async () => {
    const rows = await db
      .selectFrom('slots')
      .select([
        'id',
        'group_id',
        'day',
        'starts_at',
        'pool',
        'capacity',
        'booked',
        sql<number>`(SELECT count(*) FROM slot_returns r WHERE r.slot_id = slots.id)::int`.as('returning'),
      ])
      .where('center_id', '=', centerId)
      .where('day', 'in', days)
      .forUpdate()
      .execute();
    return rows.map((r) => ({
      id: r.id,
      groupId: r.group_id,
      day: r.day,
      startsAt: new Date(r.starts_at),
      pool: r.pool,
      capacity: r.capacity,
      booked: r.booked,
      returning: Number(r.returning),
    }));
  });
}

export async function upsertSlots(
  db: Executor,
  centerId: string,
  rows: Array<SlotWrite & { day: Day }>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) {
    const chunk = rows.slice(i, i + 2000);
    await storeOp('capacity.upsertSlots', () =>
      db
        .insertInto('slots')
        .values(
          chunk.map((s) => ({
            center_id: centerId,
            group_id: s.groupId,
            day: s.day,
            starts_at: s.startsAt,
            ends_at: s.endsAt,
            pool: s.pool,
            capacity: s.capacity,
          })),
        )
        .onConflict((oc) =>
          oc
            .columns(['center_id', 'group_id', 'starts_at', 'pool'])
            .doUpdateSet((eb) => ({
              capacity: eb.ref('excluded.capacity'),
              ends_at: eb.ref('excluded.ends_at'),
            }))
            .where(
              sql<boolean>`(slots.capacity, slots.ends_at) IS DISTINCT FROM (excluded.capacity, excluded.ends_at)`,
            ),
        )
        .execute(),
    );
  }
}

export async function setSlotCapacities(db: Executor, rows: Array<{ id: number; capacity: number }>) {
  if (rows.length === 0) return;
  const values = sql.join(rows.map((r) => sql`(${r.id}::bigint, ${r.capacity}::int)`));
  await storeOp('capacity.closeSlots', () =>
    sql`UPDATE slots SET capacity = v.capacity FROM (VALUES ${values}) AS v(id, capacity) WHERE slots.id = v.id`.execute(
      db,
    ),
  );
}

/**
 * Drops pending returns of places that no longer exist; `booked` falls by the number dropped, and
 * so do the vehicle category places they carried (rule 8).
 */
export async function dropReturns(db: Executor, slotId: number, count: number): Promise<number> {
  return storeOp('capacity.dropReturns', async () => {
    const r = await sql<{ n: number }>`
      WITH gone AS (
        DELETE FROM slot_returns WHERE id IN (
          SELECT id FROM slot_returns WHERE slot_id = ${slotId} ORDER BY due_at DESC LIMIT ${count}
          FOR UPDATE SKIP LOCKED
        ) RETURNING id, exam_category
      ),
      categories AS (
        UPDATE exam_category_places c SET booked = greatest(0, c.booked - k.n)
        FROM (SELECT g.exam_category, count(*)::int AS n FROM gone g
              WHERE g.exam_category IS NOT NULL GROUP BY 1) k, slots s
        WHERE s.id = ${slotId} AND c.center_id = s.center_id AND c.day = s.day AND c.pool = s.pool
          AND c.category = k.exam_category
      )
      UPDATE slots SET booked = booked - (SELECT count(*) FROM gone)::int WHERE id = ${slotId}
      RETURNING (SELECT count(*) FROM gone)::int AS n`.execute(db);
    return Number(r.rows[0]?.n ?? 0);
  });
}

export async function markDaysGenerated(
  db: Executor,
  centerId: string,
  days: Array<{ day: Day; releasedAt: Date }>,
  now: Date,
): Promise<void> {
  if (days.length === 0) return;
  await storeOp('capacity.markDays', () =>
    db
      .insertInto('capacity_days')
      .values(
        days.map((d) => ({ center_id: centerId, day: d.day, generated_at: now, released_at: d.releasedAt })),
      )
      .onConflict((oc) => oc.columns(['center_id', 'day']).doUpdateSet({ generated_at: now }))
      .execute(),
  );
}

export async function generatedDays(db: Executor, centerId: string, from: Day, to?: Day): Promise<Day[]> {
  let q = db
    .selectFrom('capacity_days')
    .select('day')
    .where('center_id', '=', centerId)
    .where('day', '>=', from);
  if (to) q = q.where('day', '<=', to);
  return (await q.orderBy('day').execute()).map((r) => r.day);
}

/** (center, day) pairs of the range that have no capacity yet. */
export async function missingDays(db: Executor, from: Day, to: Day, centerId?: string) {
  return storeOp('capacity.missingDays', async () => {
    const r = await sql<{ center_id: string; day: string }>`
      SELECT c.id AS center_id, to_char(d, 'YYYY-MM-DD') AS day
      FROM centers c CROSS JOIN generate_series(${from}::date, ${to}::date, interval '1 day') AS d
      WHERE (${centerId ?? null}::text IS NULL OR c.id = ${centerId ?? null})
        AND NOT EXISTS (SELECT 1 FROM capacity_days cd WHERE cd.center_id = c.id AND cd.day = d::date)
      ORDER BY c.id, d`.execute(db);
    return r.rows;
  });
}

/** Active registrations that lost their time: in the given slots, or (closed day) without a slot. */
export async function registrationsToFlag(
  db: Executor,
  centerId: string,
  slotIds: number[],
  closedDays: Day[],
) {
  if (slotIds.length === 0 && closedDays.length === 0) return [];
  return storeOp('capacity.registrationsToFlag', () =>
    db
      .selectFrom('registrations')
      .leftJoin('persons', 'persons.id', 'registrations.person_id')
      .select([
        'registrations.id',
        'registrations.day',
        'registrations.starts_at',
        'persons.email',
        'persons.lang',
      ])
      .where('registrations.center_id', '=', centerId)
      .where('registrations.status', 'in', ['booked', 'pending'])
      .where((eb) => {
        const parts = [];
        if (slotIds.length) parts.push(eb('registrations.slot_id', 'in', slotIds));
        if (closedDays.length)
          parts.push(
            eb.and([eb('registrations.slot_id', 'is', null), eb('registrations.day', 'in', closedDays)]),
          );
        return eb.or(parts);
      })
      .execute(),
  );
}

/** Lists a conflict once per registration while unresolved; returns the ids newly listed. */
export async function insertConflicts(
  db: Executor,
  centerId: string,
  rows: Array<{ registrationId: string; day: Day; reason: string }>,
  now: Date,
): Promise<Array<{ id: number; registration_id: string }>> {
  if (rows.length === 0) return [];
  return storeOp('capacity.insertConflicts', () =>
    db
      .insertInto('capacity_conflicts')
      .values(
        rows.map((r) => ({
          center_id: centerId,
          day: r.day,
          registration_id: r.registrationId,
          reason: r.reason,
          created_at: now,
        })),
      )
      .onConflict((oc) => oc.column('registration_id').where('resolved_at', 'is', null).doNothing())
      .returning(['id', 'registration_id'])
      .execute(),
  );
}
