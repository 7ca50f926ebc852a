import type { Actor } from '../platform/actor.js';
import type { OperatorRole, WorkingHours } from '../platform/db-schema.js';
import type { Day } from '../platform/kyiv-time.js';
import { DomainError } from '../platform/problems.js';
import { type AdminDeps, assertGroups, createChange, notFound } from './admin-change.js';
import * as store from './capacity-admin-store.js';
import { assertCenterExists } from './capacity-service.js';
import type { ConflictOffers } from './conflict-offer-service.js';
import { createRosterAdmin } from './roster-admin-service.js';

/**
 * The center head's (and national admin's) settings of SPEC §1 that capacity depends on: hours,
 * online share, holidays, desks, staff, roster, absences, norms. Every change is audited and
 * regenerates the center's generated days from today on, in the same transaction, so capacity
 * never disagrees with its inputs and no registration is dropped silently.
 */

export function createCapacityAdmin(deps: AdminDeps & { conflictOffers: ConflictOffers }) {
  const { db } = deps;
  const change = createChange(deps);

  return {
    ...createRosterAdmin(deps),
    /** The head's answers to a conflict: offer another time, cancel with notice (rule 8). */
    conflictOffers: deps.conflictOffers,

    async center(centerId: string) {
      const c = await store.findCenterSettings(db, centerId);
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
      actor: Actor,
    ) {
      return change(centerId, actor, 'capacity.center_updated', async (trx) => {
        await store.updateCenterSettings(trx, centerId, input);
        return { value: { centerId, ...input }, subjectKind: 'center', subjectId: centerId };
      });
    },

    async holidays(centerId: string | null, from?: Day) {
      const rows = await store.listHolidays(db, centerId, from);
      return rows.map((h) => ({
        id: h.id,
        day: h.day,
        name: h.name,
        centerId: h.center_id,
        national: h.center_id === null,
      }));
    },

    addHoliday(centerId: string | null, input: { day: Day; name: string }, actor: Actor) {
      return change(centerId ?? 'all', actor, 'capacity.holiday_added', async (trx) => {
        const id = await store.insertHoliday(trx, centerId, input);
        if (id === undefined)
          throw new DomainError('CONFLICT', { detail: 'На цей день вихідний уже встановлено.' });
        return { value: { id, ...input }, subjectKind: 'holiday', subjectId: String(id) };
      });
    },

    removeHoliday(centerId: string | null, holidayId: number, actor: Actor) {
      return change(centerId ?? 'all', actor, 'capacity.holiday_removed', async (trx) => {
        const row = await store.deleteHoliday(trx, centerId, holidayId);
        if (!row) throw notFound('Вихідний день');
        return {
          value: { id: row.id, removed: true },
          subjectKind: 'holiday',
          subjectId: String(row.id),
          details: row,
        };
      });
    },

    async norms(centerId: string | null) {
      if (centerId) await assertCenterExists(db, centerId);
      const rows = await store.listNorms(db, centerId);
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
          // For a center: its own override (null = the national norm applies); else the national one.
          perDay: centerId ? (o?.per_day ?? null) : (n?.per_day ?? null),
          effective: o?.per_day ?? n?.per_day ?? null,
        };
      });
    },

    /** Sets norms (center overrides, or national ones when centerId is null); perDay null removes. */
    setNorms(
      centerId: string | null,
      input: Array<{ groupId: string; role: OperatorRole; perDay: number | null }>,
      actor: Actor,
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
          for (const n of input) await store.replaceNorm(trx, centerId, n);
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
