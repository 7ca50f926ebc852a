import { randomUUID } from 'node:crypto';
import { audit } from '../audit/audit-store.js';
import type { Clock } from '../platform/clock.js';
import type { Db, Tx } from '../platform/db.js';
import type { OperatorRole, WorkingHours } from '../platform/db-schema.js';
import { type Day, kyivDay } from '../platform/kyiv-time.js';
import { DomainError, storeOp } from '../platform/problems.js';
import { assertCenterExists, type CapacityActor, type CapacityService } from './capacity-service.js';
import { lockCenter } from './capacity-store.js';

/**
 * The center head's (and national admin's) settings of SPEC §1 that capacity depends on: hours,
 * online share, holidays, desks, staff, roster, absences, norms. Every change is audited and
 * regenerates the center's generated days from today on, in the same transaction, so capacity
 * never disagrees with its inputs and no registration is dropped silently.
 */

export interface AdminDeps {
  db: Db;
  clock: Clock;
  capacity: CapacityService;
}

export interface ShiftBody {
  staffId: string;
  deskId: string;
  weekdays: number[];
  validFrom: Day;
  validTo?: Day | null;
  starts?: string | null;
  ends?: string | null;
}

const notFound = (what: string) => new DomainError('NOT_FOUND', { detail: `${what} не знайдено.` });

export function createCapacityAdmin(deps: AdminDeps) {
  const { db, clock, capacity } = deps;

  /** A change + its audit row + regeneration of the affected centers, in one transaction. */
  async function change<T extends object>(
    scope: string | 'all',
    actor: CapacityActor,
    action: string,
    run: (trx: Tx) => Promise<{ value: T; subjectKind: string; subjectId: string; details?: object }>,
  ) {
    return db.transaction().execute(async (trx) => {
      const centers =
        scope === 'all'
          ? (await trx.selectFrom('centers').select('id').orderBy('id').execute()).map((c) => c.id)
          : [scope];
      if (scope !== 'all') await assertCenterExists(trx, scope);
      // Centers are locked in id order before anything else, so concurrent changes cannot deadlock.
      for (const c of centers) await lockCenter(trx, c);
      const done = await run(trx);
      await audit(trx, {
        at: clock.now(),
        actorKind: actor.kind,
        actorId: actor.id,
        action,
        subjectKind: done.subjectKind,
        subjectId: done.subjectId,
        centerId: scope === 'all' ? null : scope,
        ip: actor.ip ?? null,
        details: (done.details ?? done.value) as Record<string, unknown>,
      });
      const regeneration = { days: 0, conflicts: [] as unknown[], overbooked: [] as unknown[] };
      for (const c of centers) {
        const r = await capacity.regenerateIn(trx, c, await capacity.affectedDays(trx, c), actor, {
          locked: true,
        });
        regeneration.days += r.days.length;
        regeneration.conflicts.push(...r.conflicts.map((x) => ({ ...x, centerId: c })));
        regeneration.overbooked.push(...r.overbooked.map((x) => ({ ...x, centerId: c })));
      }
      return { ...done.value, regeneration };
    });
  }

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
  async function assertGroups(trx: Tx, groupIds: string[]) {
    const found = await trx.selectFrom('service_groups').select('id').where('id', 'in', groupIds).execute();
    if (found.length !== new Set(groupIds).size)
      throw new DomainError('VALIDATION', { detail: 'Невідома група послуг.' });
  }

  return {
    async center(centerId: string) {
      const c = await db
        .selectFrom('centers')
        .select(['id', 'code', 'name', 'region', 'address', 'working_hours', 'online_share'])
        .where('id', '=', centerId)
        .executeTakeFirst();
      if (!c) throw notFound('Сервісний центр');
      return {
        ...c,
        working_hours: undefined,
        workingHours: c.working_hours,
        onlineShare: Number(c.online_share),
      };
    },

    updateSettings(
      centerId: string,
      input: { workingHours?: WorkingHours; onlineShare?: number },
      actor: CapacityActor,
    ) {
      return change(centerId, actor, 'capacity.center_updated', async (trx) => {
        await trx
          .updateTable('centers')
          .set({
            ...(input.workingHours ? { working_hours: JSON.stringify(input.workingHours) } : {}),
            ...(input.onlineShare !== undefined ? { online_share: input.onlineShare } : {}),
          })
          .where('id', '=', centerId)
          .execute();
        return { value: { centerId, ...input }, subjectKind: 'center', subjectId: centerId };
      });
    },

    async holidays(centerId: string | null, from?: Day) {
      let q = db.selectFrom('holidays').select(['id', 'center_id', 'day', 'name']);
      q = centerId
        ? q.where((eb) => eb.or([eb('center_id', 'is', null), eb('center_id', '=', centerId)]))
        : q.where('center_id', 'is', null);
      if (from) q = q.where('day', '>=', from);
      const rows = await q.orderBy('day').execute();
      return rows.map((h) => ({ id: h.id, day: h.day, name: h.name, national: h.center_id === null }));
    },

    addHoliday(centerId: string | null, input: { day: Day; name: string }, actor: CapacityActor) {
      return change(centerId ?? 'all', actor, 'capacity.holiday_added', async (trx) => {
        const row = await trx
          .insertInto('holidays')
          .values({ center_id: centerId, day: input.day, name: input.name })
          .onConflict((oc) => oc.doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!row) throw new DomainError('CONFLICT', { detail: 'На цей день вихідний уже встановлено.' });
        return { value: { id: row.id, ...input }, subjectKind: 'holiday', subjectId: String(row.id) };
      });
    },

    removeHoliday(centerId: string | null, holidayId: number, actor: CapacityActor) {
      return change(centerId ?? 'all', actor, 'capacity.holiday_removed', async (trx) => {
        let q = trx.deleteFrom('holidays').where('id', '=', holidayId);
        q = centerId ? q.where('center_id', '=', centerId) : q.where('center_id', 'is', null);
        const row = await q.returning(['id', 'day', 'name']).executeTakeFirst();
        if (!row) throw notFound('Вихідний день');
        return {
          value: { id: row.id, removed: true },
          subjectKind: 'holiday',
          subjectId: String(row.id),
          details: row,
        };
      });
    },

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
    async norms(centerId: string | null) {
      if (centerId) await assertCenterExists(db, centerId);
      const rows = await db
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
      const national = rows.filter((r) => r.center_id === null);
      const own = rows.filter((r) => r.center_id !== null);
      const keys = [...new Map(rows.map((r) => [`${r.group_id}|${r.role}`, r])).values()];
      return keys.map((k) => {
        const n = national.find((r) => r.group_id === k.group_id && r.role === k.role);
        const o = own.find((r) => r.group_id === k.group_id && r.role === k.role);
        return {
          groupId: k.group_id,
          groupName: k.name,
          role: k.role,
          national: n?.per_day ?? null,
          ...(centerId ? { center: o?.per_day ?? null } : {}),
          perDay: o?.per_day ?? n?.per_day ?? null,
        };
      });
    },

    /** Sets norms (center overrides, or national ones when centerId is null); perDay null removes. */
    setNorms(
      centerId: string | null,
      input: Array<{ groupId: string; role: OperatorRole; perDay: number | null }>,
      actor: CapacityActor,
    ) {
      return change(
        centerId ?? 'all',
        actor,
        centerId ? 'capacity.center_norms_set' : 'capacity.national_norms_set',
        async (trx) => {
          await assertGroups(
            trx,
            input.map((n) => n.groupId),
          );
          for (const n of input) {
            let del = trx.deleteFrom('norms').where('group_id', '=', n.groupId).where('role', '=', n.role);
            del = centerId ? del.where('center_id', '=', centerId) : del.where('center_id', 'is', null);
            await del.execute();
            if (n.perDay !== null)
              await trx
                .insertInto('norms')
                .values({ center_id: centerId, group_id: n.groupId, role: n.role, per_day: n.perDay })
                .execute();
          }
          return {
            value: { norms: input },
            subjectKind: centerId ? 'center' : 'norms',
            subjectId: centerId ?? 'national',
          };
        },
      );
    },
  };
}

export type CapacityAdmin = ReturnType<typeof createCapacityAdmin>;
