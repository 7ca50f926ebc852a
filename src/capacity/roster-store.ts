import type { Executor, Tx } from '../platform/db.js';
import type { OperatorRole } from '../platform/db-schema.js';
import type { Day } from '../platform/kyiv-time.js';
import { storeOp } from '../platform/problems.js';

/** Desks, staff, roster shifts and absences of a center: the rows the roster admin reads and writes. */

export async function findDesk(db: Executor, centerId: string, deskId: string) {
  return db
    .selectFrom('desks')
    .select('id')
    .where('id', '=', deskId)
    .where('center_id', '=', centerId)
    .executeTakeFirst();
}

export async function findStaff(db: Executor, centerId: string, staffId: string) {
  return db
    .selectFrom('staff')
    .select(['id', 'role'])
    .where('id', '=', staffId)
    .where('center_id', '=', centerId)
    .executeTakeFirst();
}

export async function listDesks(db: Executor, centerId: string) {
  const rows = await db
    .selectFrom('desks')
    .select(['id', 'number', 'group_ids', 'active'])
    .where('center_id', '=', centerId)
    .orderBy('number')
    .execute();
  return rows.map((d) => ({ id: d.id, number: d.number, groupIds: d.group_ids, active: d.active }));
}

/** The new desk's id, or undefined when the center already has a desk of that number. */
export async function insertDesk(
  trx: Tx,
  desk: { id: string; centerId: string; number: number; groupIds: string[] },
) {
  const row = await trx
    .insertInto('desks')
    .values({ id: desk.id, center_id: desk.centerId, number: desk.number, group_ids: desk.groupIds })
    .onConflict((oc) => oc.columns(['center_id', 'number']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function updateDesk(trx: Tx, deskId: string, input: { groupIds?: string[]; active?: boolean }) {
  await trx
    .updateTable('desks')
    .set({
      ...(input.groupIds ? { group_ids: input.groupIds } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
    })
    .where('id', '=', deskId)
    .execute();
}

export async function listStaff(db: Executor, centerId: string) {
  return db
    .selectFrom('staff')
    .select(['id', 'full_name as fullName', 'role', 'email', 'active'])
    .where('center_id', '=', centerId)
    .orderBy('role')
    .orderBy('full_name')
    .execute();
}

export async function insertStaff(
  trx: Tx,
  person: { id: string; centerId: string; fullName: string; role: OperatorRole; email?: string },
) {
  await trx
    .insertInto('staff')
    .values({
      id: person.id,
      center_id: person.centerId,
      full_name: person.fullName,
      role: person.role,
      email: person.email ?? null,
      oidc_sub: null,
    })
    .execute();
}

export async function setStaffActive(trx: Tx, staffId: string, active: boolean) {
  await trx.updateTable('staff').set({ active }).where('id', '=', staffId).execute();
}

export async function listShifts(db: Executor, centerId: string) {
  const rows = await db
    .selectFrom('roster_shifts')
    .select(['id', 'staff_id', 'desk_id', 'weekdays', 'valid_from', 'valid_to', 'starts', 'ends'])
    .where('center_id', '=', centerId)
    .orderBy('desk_id')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    staffId: r.staff_id,
    deskId: r.desk_id,
    weekdays: r.weekdays.map(Number),
    validFrom: r.valid_from,
    validTo: r.valid_to,
    starts: r.starts,
    ends: r.ends,
  }));
}

export interface ShiftRow {
  centerId: string;
  staffId: string;
  deskId: string;
  weekdays: number[];
  validFrom: Day;
  validTo: Day | null;
  starts: string | null;
  ends: string | null;
}

export async function insertShift(trx: Tx, s: ShiftRow): Promise<number> {
  const row = await storeOp('roster.insert', () =>
    trx
      .insertInto('roster_shifts')
      .values({
        center_id: s.centerId,
        staff_id: s.staffId,
        desk_id: s.deskId,
        weekdays: s.weekdays,
        valid_from: s.validFrom,
        valid_to: s.validTo,
        starts: s.starts,
        ends: s.ends,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}

export async function deleteShift(trx: Tx, centerId: string, shiftId: number) {
  return trx
    .deleteFrom('roster_shifts')
    .where('id', '=', shiftId)
    .where('center_id', '=', centerId)
    .returning(['id', 'staff_id', 'desk_id', 'weekdays', 'valid_from', 'valid_to'])
    .executeTakeFirst();
}

export async function listAbsences(db: Executor, centerId: string, from: Day) {
  const rows = await db
    .selectFrom('staff_absences')
    .innerJoin('staff', 'staff.id', 'staff_absences.staff_id')
    .select(['staff_absences.staff_id', 'staff_absences.day', 'staff_absences.reason', 'staff.full_name'])
    .where('staff.center_id', '=', centerId)
    .where('staff_absences.day', '>=', from)
    .orderBy('staff_absences.day')
    .execute();
  return rows.map((a) => ({ staffId: a.staff_id, fullName: a.full_name, day: a.day, reason: a.reason }));
}

export async function upsertAbsence(trx: Tx, staffId: string, day: Day, reason: string | null) {
  await trx
    .insertInto('staff_absences')
    .values({ staff_id: staffId, day, reason })
    .onConflict((oc) => oc.columns(['staff_id', 'day']).doUpdateSet({ reason }))
    .execute();
}

/** True when an absence was there to remove. */
export async function deleteAbsence(trx: Tx, staffId: string, day: Day): Promise<boolean> {
  const row = await trx
    .deleteFrom('staff_absences')
    .where('staff_id', '=', staffId)
    .where('day', '=', day)
    .returning('day')
    .executeTakeFirst();
  return row !== undefined;
}

/** The group ids of `groupIds` that exist. */
export async function existingGroups(trx: Executor, groupIds: string[]) {
  if (groupIds.length === 0) return [];
  return (await trx.selectFrom('service_groups').select('id').where('id', 'in', groupIds).execute()).map(
    (g) => g.id,
  );
}

export async function allCenterIds(trx: Executor): Promise<string[]> {
  return (await trx.selectFrom('centers').select('id').orderBy('id').execute()).map((c) => c.id);
}
