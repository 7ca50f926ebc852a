import { randomUUID } from 'node:crypto';
import type { Tx } from '../platform/db.js';
import type { OperatorRole } from '../platform/db-schema.js';
import { type Day, kyivDay } from '../platform/kyiv-time.js';
import { DomainError, storeOp } from '../platform/problems.js';
import { type AdminDeps, assertGroups, createChange, notFound } from './admin-change.js';
import { assertCenterExists, type CapacityActor } from './capacity-service.js';

/** Desks, staff, roster shifts and absences of a center: each change regenerates its capacity. */

export interface ShiftBody {
  staffId: string;
  deskId: string;
  weekdays: number[];
  validFrom: Day;
  validTo?: Day | null;
  starts?: string | null;
  ends?: string | null;
}

export function createRosterAdmin(deps: AdminDeps) {
  const { db, clock } = deps;
  const change = createChange(deps);

  async function assertDesk(trx: Tx, centerId: string, deskId: string) {
    const d = await trx
      .selectFrom('desks')
      .select('id')
      .where('id', '=', deskId)
      .where('center_id', '=', centerId)
      .executeTakeFirst();
    if (!d) throw notFound('Робоче місце');
  }
  async function assertStaff(trx: Tx, centerId: string, staffId: string) {
    const s = await trx
      .selectFrom('staff')
      .select(['id', 'role'])
      .where('id', '=', staffId)
      .where('center_id', '=', centerId)
      .executeTakeFirst();
    if (!s) throw notFound('Працівника');
    return s;
  }

  return {
    async desks(centerId: string) {
      await assertCenterExists(db, centerId);
      const rows = await db
        .selectFrom('desks')
        .select(['id', 'number', 'group_ids', 'active'])
        .where('center_id', '=', centerId)
        .orderBy('number')
        .execute();
      return rows.map((d) => ({ id: d.id, number: d.number, groupIds: d.group_ids, active: d.active }));
    },

    addDesk(centerId: string, input: { number: number; groupIds: string[] }, actor: CapacityActor) {
      return change(centerId, actor, 'capacity.desk_added', async (trx) => {
        await assertGroups(trx, input.groupIds);
        const id = `${centerId}-desk-${input.number}`;
        const row = await trx
          .insertInto('desks')
          .values({ id, center_id: centerId, number: input.number, group_ids: input.groupIds })
          .onConflict((oc) => oc.columns(['center_id', 'number']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!row) throw new DomainError('CONFLICT', { detail: `Робоче місце № ${input.number} уже існує.` });
        return { value: { id, ...input, active: true }, subjectKind: 'desk', subjectId: id };
      });
    },

    updateDesk(
      centerId: string,
      deskId: string,
      input: { groupIds?: string[]; active?: boolean },
      actor: CapacityActor,
    ) {
      return change(centerId, actor, 'capacity.desk_updated', async (trx) => {
        await assertDesk(trx, centerId, deskId);
        if (input.groupIds) await assertGroups(trx, input.groupIds);
        await trx
          .updateTable('desks')
          .set({
            ...(input.groupIds ? { group_ids: input.groupIds } : {}),
            ...(input.active !== undefined ? { active: input.active } : {}),
          })
          .where('id', '=', deskId)
          .execute();
        return { value: { id: deskId, ...input }, subjectKind: 'desk', subjectId: deskId };
      });
    },

    async staff(centerId: string) {
      await assertCenterExists(db, centerId);
      return db
        .selectFrom('staff')
        .select(['id', 'full_name as fullName', 'role', 'email', 'active'])
        .where('center_id', '=', centerId)
        .orderBy('role')
        .orderBy('full_name')
        .execute();
    },

    addStaff(
      centerId: string,
      input: { fullName: string; role: OperatorRole; email?: string },
      actor: CapacityActor,
    ) {
      return change(centerId, actor, 'capacity.staff_added', async (trx) => {
        const id = `st-${randomUUID()}`;
        await trx
          .insertInto('staff')
          .values({
            id,
            center_id: centerId,
            full_name: input.fullName,
            role: input.role,
            email: input.email ?? null,
            oidc_sub: null,
          })
          .execute();
        return {
          value: { id, ...input, active: true },
          subjectKind: 'staff',
          subjectId: id,
          details: { role: input.role },
        };
      });
    },

    /** Staff are deactivated, never deleted: the audit log and past registrations refer to them. */
    setStaffActive(centerId: string, staffId: string, active: boolean, actor: CapacityActor) {
      return change(
        centerId,
        actor,
        active ? 'capacity.staff_activated' : 'capacity.staff_deactivated',
        async (trx) => {
          await assertStaff(trx, centerId, staffId);
          await trx.updateTable('staff').set({ active }).where('id', '=', staffId).execute();
          return { value: { id: staffId, active }, subjectKind: 'staff', subjectId: staffId };
        },
      );
    },

    async roster(centerId: string) {
      await assertCenterExists(db, centerId);
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
    },

    addShift(centerId: string, input: ShiftBody, actor: CapacityActor) {
      return change(centerId, actor, 'capacity.shift_added', async (trx) => {
        const person = await assertStaff(trx, centerId, input.staffId);
        if (person.role !== 'administrator' && person.role !== 'examiner')
          throw new DomainError('VALIDATION', {
            detail: 'До графіка включаються лише адміністратори й екзаменатори.',
          });
        await assertDesk(trx, centerId, input.deskId);
        const row = await storeOp('roster.insert', () =>
          trx
            .insertInto('roster_shifts')
            .values({
              center_id: centerId,
              staff_id: input.staffId,
              desk_id: input.deskId,
              weekdays: [...new Set(input.weekdays)].sort(),
              valid_from: input.validFrom,
              valid_to: input.validTo ?? null,
              starts: input.starts ?? null,
              ends: input.ends ?? null,
            })
            .returning('id')
            .executeTakeFirstOrThrow(),
        );
        return { value: { id: row.id, ...input }, subjectKind: 'roster_shift', subjectId: String(row.id) };
      });
    },

    removeShift(centerId: string, shiftId: number, actor: CapacityActor) {
      return change(centerId, actor, 'capacity.shift_removed', async (trx) => {
        const row = await trx
          .deleteFrom('roster_shifts')
          .where('id', '=', shiftId)
          .where('center_id', '=', centerId)
          .returning(['id', 'staff_id', 'desk_id', 'weekdays', 'valid_from', 'valid_to'])
          .executeTakeFirst();
        if (!row) throw notFound('Зміну графіка');
        return {
          value: { id: row.id, removed: true },
          subjectKind: 'roster_shift',
          subjectId: String(row.id),
          details: row,
        };
      });
    },

    async absences(centerId: string, from?: Day) {
      await assertCenterExists(db, centerId);
      const rows = await db
        .selectFrom('staff_absences')
        .innerJoin('staff', 'staff.id', 'staff_absences.staff_id')
        .select(['staff_absences.staff_id', 'staff_absences.day', 'staff_absences.reason', 'staff.full_name'])
        .where('staff.center_id', '=', centerId)
        .where('staff_absences.day', '>=', from ?? kyivDay(clock.now()))
        .orderBy('staff_absences.day')
        .execute();
      return rows.map((a) => ({ staffId: a.staff_id, fullName: a.full_name, day: a.day, reason: a.reason }));
    },

    addAbsence(
      centerId: string,
      input: { staffId: string; day: Day; reason?: string },
      actor: CapacityActor,
    ) {
      return change(centerId, actor, 'capacity.absence_added', async (trx) => {
        await assertStaff(trx, centerId, input.staffId);
        await trx
          .insertInto('staff_absences')
          .values({ staff_id: input.staffId, day: input.day, reason: input.reason ?? null })
          .onConflict((oc) => oc.columns(['staff_id', 'day']).doUpdateSet({ reason: input.reason ?? null }))
          .execute();
        return { value: { ...input }, subjectKind: 'staff', subjectId: input.staffId };
      });
    },

    removeAbsence(centerId: string, staffId: string, day: Day, actor: CapacityActor) {
      return change(centerId, actor, 'capacity.absence_removed', async (trx) => {
        await assertStaff(trx, centerId, staffId);
        const row = await trx
          .deleteFrom('staff_absences')
          .where('staff_id', '=', staffId)
          .where('day', '=', day)
          .returning('day')
          .executeTakeFirst();
        if (!row) throw notFound('Відсутність');
        return { value: { staffId, day, removed: true }, subjectKind: 'staff', subjectId: staffId };
      });
    },

    /** Norms in force for a center (its overrides over the national ones), or the national ones. */
  };
}
