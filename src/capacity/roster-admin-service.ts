import { randomUUID } from 'node:crypto';
import type { Actor } from '../platform/actor.js';
import type { Tx } from '../platform/db.js';
import type { OperatorRole } from '../platform/db-schema.js';
import { type Day, kyivDay } from '../platform/kyiv-time.js';
import { DomainError } from '../platform/problems.js';
import { type AdminDeps, assertGroups, createChange, notFound } from './admin-change.js';
import { assertCenterExists } from './capacity-service.js';
import * as store from './roster-store.js';

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

/** `dryRun`: answer what the change would do (conflicts included) and keep nothing. */
type DryRunOption = { dryRun?: boolean };

export function createRosterAdmin(deps: AdminDeps) {
  const { db, clock } = deps;
  const change = createChange(deps);

  async function assertDesk(trx: Tx, centerId: string, deskId: string) {
    if (!(await store.findDesk(trx, centerId, deskId))) throw notFound('Робоче місце');
  }
  async function assertStaff(trx: Tx, centerId: string, staffId: string) {
    const s = await store.findStaff(trx, centerId, staffId);
    if (!s) throw notFound('Працівника');
    return s;
  }

  return {
    async desks(centerId: string) {
      await assertCenterExists(db, centerId);
      return store.listDesks(db, centerId);
    },

    addDesk(centerId: string, input: { number: number; groupIds: string[] }, actor: Actor) {
      return change(centerId, actor, 'capacity.desk_added', async (trx) => {
        await assertGroups(trx, input.groupIds);
        const id = `${centerId}-desk-${input.number}`;
        const inserted = await store.insertDesk(trx, { id, centerId, ...input });
        if (!inserted)
          throw new DomainError('CONFLICT', { detail: `Робоче місце № ${input.number} уже існує.` });
        return { value: { id, ...input, active: true }, subjectKind: 'desk', subjectId: id };
      });
    },

    updateDesk(
      centerId: string,
      deskId: string,
      input: { groupIds?: string[]; active?: boolean },
      actor: Actor,
    ) {
      return change(centerId, actor, 'capacity.desk_updated', async (trx) => {
        await assertDesk(trx, centerId, deskId);
        if (input.groupIds) await assertGroups(trx, input.groupIds);
        await store.updateDesk(trx, deskId, input);
        return { value: { id: deskId, ...input }, subjectKind: 'desk', subjectId: deskId };
      });
    },

    async staff(centerId: string) {
      await assertCenterExists(db, centerId);
      return store.listStaff(db, centerId);
    },

    addStaff(
      centerId: string,
      input: { fullName: string; role: OperatorRole; email?: string },
      actor: Actor,
    ) {
      return change(centerId, actor, 'capacity.staff_added', async (trx) => {
        const id = `st-${randomUUID()}`;
        await store.insertStaff(trx, { id, centerId, ...input });
        return {
          value: { id, ...input, active: true },
          subjectKind: 'staff',
          subjectId: id,
          details: { role: input.role },
        };
      });
    },

    /** Staff are deactivated, never deleted: the audit log and past registrations refer to them. */
    setStaffActive(centerId: string, staffId: string, active: boolean, actor: Actor) {
      return change(
        centerId,
        actor,
        active ? 'capacity.staff_activated' : 'capacity.staff_deactivated',
        async (trx) => {
          await assertStaff(trx, centerId, staffId);
          await store.setStaffActive(trx, staffId, active);
          return { value: { id: staffId, active }, subjectKind: 'staff', subjectId: staffId };
        },
      );
    },

    async roster(centerId: string) {
      await assertCenterExists(db, centerId);
      return store.listShifts(db, centerId);
    },

    addShift(centerId: string, input: ShiftBody, actor: Actor, options: DryRunOption = {}) {
      return change(
        centerId,
        actor,
        'capacity.shift_added',
        async (trx) => {
          const person = await assertStaff(trx, centerId, input.staffId);
          if (person.role !== 'administrator' && person.role !== 'examiner')
            throw new DomainError('VALIDATION', {
              detail: 'До графіка включаються лише адміністратори й екзаменатори.',
            });
          await assertDesk(trx, centerId, input.deskId);
          const id = await store.insertShift(trx, {
            centerId,
            staffId: input.staffId,
            deskId: input.deskId,
            weekdays: [...new Set(input.weekdays)].sort(),
            validFrom: input.validFrom,
            validTo: input.validTo ?? null,
            starts: input.starts ?? null,
            ends: input.ends ?? null,
          });
          return { value: { id, ...input }, subjectKind: 'roster_shift', subjectId: String(id) };
        },
        options,
      );
    },

    removeShift(centerId: string, shiftId: number, actor: Actor, options: DryRunOption = {}) {
      return change(
        centerId,
        actor,
        'capacity.shift_removed',
        async (trx) => {
          const row = await store.deleteShift(trx, centerId, shiftId);
          if (!row) throw notFound('Зміну графіка');
          return {
            value: { id: row.id, removed: true },
            subjectKind: 'roster_shift',
            subjectId: String(row.id),
            details: row,
          };
        },
        options,
      );
    },

    async absences(centerId: string, from?: Day) {
      await assertCenterExists(db, centerId);
      return store.listAbsences(db, centerId, from ?? kyivDay(clock.now()));
    },

    addAbsence(
      centerId: string,
      input: { staffId: string; day: Day; reason?: string },
      actor: Actor,
      options: DryRunOption = {},
    ) {
      return change(
        centerId,
        actor,
        'capacity.absence_added',
        async (trx) => {
          await assertStaff(trx, centerId, input.staffId);
          await store.upsertAbsence(trx, input.staffId, input.day, input.reason ?? null);
          return { value: { ...input }, subjectKind: 'staff', subjectId: input.staffId };
        },
        options,
      );
    },

    removeAbsence(centerId: string, staffId: string, day: Day, actor: Actor, options: DryRunOption = {}) {
      return change(
        centerId,
        actor,
        'capacity.absence_removed',
        async (trx) => {
          await assertStaff(trx, centerId, staffId);
          if (!(await store.deleteAbsence(trx, staffId, day))) throw notFound('Відсутність');
          return { value: { staffId, day, removed: true }, subjectKind: 'staff', subjectId: staffId };
        },
        options,
      );
    },

    /** Norms in force for a center (its overrides over the national ones), or the national ones. */
  };
}
