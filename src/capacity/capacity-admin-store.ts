import type { Executor, Tx } from '../platform/db.js';
import type { OperatorRole, WorkingHours } from '../platform/db-schema.js';
import type { Day } from '../platform/kyiv-time.js';

/** The center settings, holidays, norms and conflicts the center head reads and changes. */

export async function centerExists(db: Executor, centerId: string): Promise<boolean> {
  const c = await db.selectFrom('centers').select('id').where('id', '=', centerId).executeTakeFirst();
  return c !== undefined;
}

export async function findCenterSettings(db: Executor, centerId: string) {
  return db
    .selectFrom('centers')
    .select(['id', 'code', 'name', 'region', 'address', 'working_hours', 'online_share'])
    .where('id', '=', centerId)
    .executeTakeFirst();
}

export async function updateCenterSettings(
  trx: Tx,
  centerId: string,
  input: { workingHours?: WorkingHours; onlineShare?: number },
) {
  await trx
    .updateTable('centers')
    .set({
      ...(input.workingHours ? { working_hours: JSON.stringify(input.workingHours) } : {}),
      ...(input.onlineShare !== undefined ? { online_share: input.onlineShare } : {}),
    })
    .where('id', '=', centerId)
    .execute();
}

/** National holidays, plus the center's own when `centerId` is given. */
export async function listHolidays(db: Executor, centerId: string | null, from?: Day) {
  let q = db.selectFrom('holidays').select(['id', 'center_id', 'day', 'name']);
  q = centerId
    ? q.where((eb) => eb.or([eb('center_id', 'is', null), eb('center_id', '=', centerId)]))
    : q.where('center_id', 'is', null);
  if (from) q = q.where('day', '>=', from);
  return q.orderBy('day').execute();
}

/** The new holiday's id, or undefined when that day is already one. */
export async function insertHoliday(trx: Tx, centerId: string | null, input: { day: Day; name: string }) {
  const row = await trx
    .insertInto('holidays')
    .values({ center_id: centerId, day: input.day, name: input.name })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function deleteHoliday(trx: Tx, centerId: string | null, holidayId: number) {
  let q = trx.deleteFrom('holidays').where('id', '=', holidayId);
  q = centerId ? q.where('center_id', '=', centerId) : q.where('center_id', 'is', null);
  return q.returning(['id', 'day', 'name']).executeTakeFirst();
}

/** National norms, plus the center's overrides when `centerId` is given, in group order. */
export async function listNorms(db: Executor, centerId: string | null) {
  return db
    .selectFrom('norms')
    .innerJoin('service_groups', 'service_groups.id', 'norms.group_id')
    .select(['norms.center_id', 'norms.group_id', 'norms.role', 'norms.per_day', 'service_groups.name'])
    .where((eb) =>
      centerId
        ? eb.or([eb('norms.center_id', 'is', null), eb('norms.center_id', '=', centerId)])
        : eb('norms.center_id', 'is', null),
    )
    .orderBy('service_groups.sort')
    .execute();
}

/** Replaces one norm (the center's override, or the national one); `perDay` null only removes it. */
export async function replaceNorm(
  trx: Tx,
  centerId: string | null,
  n: { groupId: string; role: OperatorRole; perDay: number | null },
) {
  let del = trx.deleteFrom('norms').where('group_id', '=', n.groupId).where('role', '=', n.role);
  del = centerId ? del.where('center_id', '=', centerId) : del.where('center_id', 'is', null);
  await del.execute();
  if (n.perDay !== null)
    await trx
      .insertInto('norms')
      .values({ center_id: centerId, group_id: n.groupId, role: n.role, per_day: n.perDay })
      .execute();
}

export async function generatedDays(db: Executor, centerId: string, from: Day, to: Day) {
  return db
    .selectFrom('capacity_days')
    .select(['day', 'generated_at', 'released_at'])
    .where('center_id', '=', centerId)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .orderBy('day')
    .execute();
}

/** Slots with places or registrations, in time order. */
export async function previewSlots(db: Executor, centerId: string, from: Day, to: Day) {
  return db
    .selectFrom('slots')
    .select(['id', 'day', 'group_id', 'starts_at', 'ends_at', 'pool', 'capacity', 'booked'])
    .where('center_id', '=', centerId)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .where((eb) => eb.or([eb('capacity', '>', 0), eb('booked', '>', 0)]))
    .orderBy('starts_at')
    .orderBy('group_id')
    .execute();
}

export async function listConflicts(db: Executor, centerId: string, options: { all?: boolean }) {
  let q = db
    .selectFrom('capacity_conflicts')
    .innerJoin('registrations', 'registrations.id', 'capacity_conflicts.registration_id')
    // Who to contact and for what: the head offers another time or cancels with notice.
    .innerJoin('persons', 'persons.id', 'registrations.person_id')
    .innerJoin('services', 'services.id', 'registrations.service_id')
    .select([
      'persons.last_name',
      'persons.first_name',
      'persons.email',
      'persons.phone',
      'services.name as service_name',
      'capacity_conflicts.id',
      'capacity_conflicts.day',
      'capacity_conflicts.registration_id',
      'capacity_conflicts.reason',
      'capacity_conflicts.created_at',
      'capacity_conflicts.resolved_at',
      'capacity_conflicts.resolution',
      'registrations.number',
      'registrations.status',
      'registrations.starts_at',
      'registrations.group_id',
      'registrations.channel',
    ])
    .where('capacity_conflicts.center_id', '=', centerId);
  if (!options.all) q = q.where('capacity_conflicts.resolved_at', 'is', null);
  return q.orderBy('capacity_conflicts.day').orderBy('registrations.starts_at').execute();
}

/** Marks an open conflict resolved; undefined when there is no open one of that id. */
export async function resolveConflict(
  trx: Tx,
  centerId: string,
  conflictId: number,
  by: { at: Date; actorId: string | null; resolution: string },
) {
  return trx
    .updateTable('capacity_conflicts')
    .set({ resolved_at: by.at, resolved_by: by.actorId, resolution: by.resolution, outcome: 'resolved' })
    .where('id', '=', conflictId)
    .where('center_id', '=', centerId)
    .where('resolved_at', 'is', null)
    .returning(['id', 'registration_id'])
    .executeTakeFirst();
}
