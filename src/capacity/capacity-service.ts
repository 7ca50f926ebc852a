import { audit } from '../audit/audit-store.js';
import type { Policy } from '../config.js';
import { enqueue } from '../notify/outbox-store.js';
import { type Actor, SYSTEM_ACTOR } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { Db, Tx } from '../platform/db.js';
import { channels, type EventBus } from '../platform/events.js';
import { addDays, type Day, daysBetween, kyivDay } from '../platform/kyiv-time.js';
import { DomainError } from '../platform/problems.js';
import * as adminStore from './capacity-admin-store.js';
import * as store from './capacity-store.js';
import { withdrawOffers } from './conflict-offer-store.js';
import { reconcile } from './reconcile-rules.js';
import { dayClosure, generateSlots, releaseMoment } from './slot-rules.js';

export interface CapacityDeps {
  db: Db;
  clock: Clock;
  events: EventBus;
  policy: Pick<Policy, 'horizonDays' | 'releaseHour' | 'slotWindowMinutes'>;
}

export interface RegenerationResult {
  centerId: string;
  days: Day[];
  slots: number;
  conflicts: Array<{ id: number; registrationId: string; day: Day; reason: string }>;
  /** Slots holding more registrations than the new capacity: kept, shown to the head. */
  overbooked: Array<{ slotId: number; capacity: number; held: number }>;
}

const MAX_RANGE_DAYS = 62;
const SYSTEM = SYSTEM_ACTOR;

export function createCapacityService(deps: CapacityDeps) {
  const { db, clock, policy } = deps;

  /**
   * Generates or regenerates days of one center inside the caller's transaction: the center
   * lock, the pure generator, reconciliation with the locked existing slots, conflicts listed
   * and notified, the audit row. Missing days get their release moment; existing ones keep it.
   */
  async function regenerateIn(
    trx: Tx,
    centerId: string,
    days: Day[],
    actor: Actor,
    options: { locked?: boolean } = {},
  ): Promise<RegenerationResult> {
    const now = clock.now();
    const result: RegenerationResult = { centerId, days, slots: 0, conflicts: [], overbooked: [] };
    if (days.length === 0) return result;
    if (!options.locked) await store.lockCenter(trx, centerId);
    const sorted = [...days].sort();
    const from = sorted[0] as Day;
    const to = sorted[sorted.length - 1] as Day;
    const inputs = await store.loadCenterInputs(trx, centerId, from, to);
    if (!inputs) throw new DomainError('NOT_FOUND', { detail: 'Сервісний центр не знайдено.' });
    const existing = await store.lockSlots(trx, centerId, sorted);

    const upserts: Parameters<typeof store.upsertSlots>[2] = [];
    const closes: Array<{ id: number; capacity: number }> = [];
    const flagged: Array<{ slotIds: number[]; day: Day; reason: string; closed: boolean }> = [];
    for (const day of sorted) {
      const input = { ...inputs, day };
      const generated = generateSlots(input, { windowMinutes: policy.slotWindowMinutes });
      const plan = reconcile(
        existing.filter((e) => e.day === day),
        generated,
      );
      for (const d of plan.dropReturns) await store.dropReturns(trx, d.id, d.count);
      upserts.push(...plan.upserts.map((s) => ({ ...s, day })));
      closes.push(...plan.closes);
      result.slots += plan.upserts.length;
      result.overbooked.push(
        ...plan.overbooked.map((o) => ({ slotId: o.id, capacity: o.capacity, held: o.held })),
      );
      const closure = dayClosure(input) ?? (generated.length === 0 ? 'no_staff' : null);
      if (plan.conflictSlotIds.length || closure)
        flagged.push({
          slotIds: plan.conflictSlotIds,
          day,
          reason: closure ?? 'no_staff',
          closed: !!closure,
        });
    }
    await store.upsertSlots(trx, centerId, upserts);
    await store.setSlotCapacities(trx, closes);
    await store.markDaysGenerated(
      trx,
      centerId,
      sorted.map((day) => ({ day, releasedAt: maxDate(releaseMoment(day, policy), now) })),
      now,
    );

    for (const f of flagged) {
      const regs = await store.registrationsToFlag(trx, centerId, f.slotIds, f.closed ? [f.day] : []);
      const listed = await store.insertConflicts(
        trx,
        centerId,
        regs.map((r) => ({ registrationId: r.id, day: r.day, reason: f.reason })),
        now,
      );
      for (const c of listed) {
        const reg = regs.find((r) => r.id === c.registration_id);
        result.conflicts.push({ id: c.id, registrationId: c.registration_id, day: f.day, reason: f.reason });
        if (reg?.email) {
          await enqueue(trx, now, {
            template: 'schedule_conflict',
            recipient: reg.email,
            lang: reg.lang ?? 'uk',
            payload: { registrationId: c.registration_id },
            dedupeKey: `schedule_conflict:${c.id}`,
          });
        }
      }
    }

    await audit(trx, {
      at: now,
      actorKind: actor.kind,
      actorId: actor.id,
      action: 'capacity.generated',
      subjectKind: 'center',
      subjectId: centerId,
      centerId,
      ip: actor.ip || null,
      details: {
        from,
        to,
        days: sorted.length,
        slots: result.slots,
        conflicts: result.conflicts.map((c) => c.registrationId),
        overbooked: result.overbooked.length,
      },
    });
    if (sorted.includes(kyivDay(now)))
      await deps.events.publish(trx, channels.center(centerId), { type: 'capacity' });
    return result;
  }

  /** The generated days of a center from today on: what a change of its inputs affects. */
  async function affectedDays(trx: Tx, centerId: string): Promise<Day[]> {
    return store.generatedDays(trx, centerId, kyivDay(clock.now()));
  }

  function assertRange(from: Day, to: Day) {
    const today = kyivDay(clock.now());
    if (from > to || daysBetween(from, to) >= MAX_RANGE_DAYS)
      throw new DomainError('VALIDATION', {
        detail: `Некоректний період: від ${from} до ${to} (не більше ${MAX_RANGE_DAYS} днів).`,
      });
    if (from < today) throw new DomainError('VALIDATION', { detail: 'Минулі дні не перераховуються.' });
    if (to > addDays(today, policy.horizonDays + 31))
      throw new DomainError('VALIDATION', { detail: 'Період виходить за межі планування.' });
  }

  return {
    regenerateIn,
    affectedDays,

    /** Generates (or regenerates) one day of a center. */
    async generateDay(centerId: string, day: Day, actor: Actor = SYSTEM) {
      return db.transaction().execute((trx) => regenerateIn(trx, centerId, [day], actor));
    },

    /** The head's explicit regeneration of a period (missing days are generated too). */
    async regenerate(centerId: string, from: Day, to: Day, actor: Actor) {
      assertRange(from, to);
      const days = Array.from({ length: daysBetween(from, to) + 1 }, (_, i) => addDays(from, i));
      return db.transaction().execute((trx) => regenerateIn(trx, centerId, days, actor));
    },

    /**
     * The daily release job, idempotent and safe on many instances: every center gets capacity
     * for today … today+horizon. A day generated in advance becomes visible online at its
     * release moment (06:00 Kyiv, `horizonDays` before); one generated late is released at once.
     * A center another instance is working on is skipped until the next run.
     */
    async releaseDue(now: Date = clock.now()): Promise<number> {
      const today = kyivDay(now);
      const last = addDays(today, policy.horizonDays);
      const missing = await store.missingDays(db, today, last);
      const byCenter = new Map<string, Day[]>();
      for (const m of missing) byCenter.set(m.center_id, [...(byCenter.get(m.center_id) ?? []), m.day]);
      let generated = 0;
      for (const centerId of byCenter.keys()) {
        generated += await db.transaction().execute(async (trx) => {
          if (!(await store.tryLockCenter(trx, centerId))) return 0;
          const days = (await store.missingDays(trx, today, last, centerId)).map((m) => m.day);
          await regenerateIn(trx, centerId, days, SYSTEM, { locked: true });
          return days.length;
        });
      }
      return generated;
    },

    /** Slot preview for the head: per day and group, capacity and booked per pool. */
    async preview(centerId: string, from: Day, to: Day) {
      if (from > to || daysBetween(from, to) >= MAX_RANGE_DAYS)
        throw new DomainError('VALIDATION', { detail: 'Некоректний період.' });
      await assertCenterExists(db, centerId);
      const [days, slots] = await Promise.all([
        adminStore.generatedDays(db, centerId, from, to),
        adminStore.previewSlots(db, centerId, from, to),
      ]);
      return days.map((d) => {
        const own = slots.filter((s) => s.day === d.day);
        const groups = [...new Set(own.map((s) => s.group_id))].sort().map((groupId) => {
          const list = own.filter((s) => s.group_id === groupId);
          const sum = (pool: 'online' | 'terminal') => {
            const p = list.filter((s) => s.pool === pool);
            return {
              capacity: p.reduce((a, s) => a + s.capacity, 0),
              booked: p.reduce((a, s) => a + s.booked, 0),
            };
          };
          return {
            groupId,
            online: sum('online'),
            terminal: sum('terminal'),
            slots: list.map((s) => ({
              id: s.id,
              startsAt: new Date(s.starts_at).toISOString(),
              endsAt: new Date(s.ends_at).toISOString(),
              pool: s.pool,
              capacity: s.capacity,
              booked: s.booked,
            })),
          };
        });
        return {
          day: d.day,
          generatedAt: new Date(d.generated_at).toISOString(),
          releasedAt: new Date(d.released_at).toISOString(),
          groups,
        };
      });
    },

    /**
     * Conflicts with whom to contact and for what: the name and contact the person gave (not
     * identifiers: the РНОКПП/passport never leaves the database here).
     */
    async conflicts(centerId: string, options: { all?: boolean } = {}) {
      await assertCenterExists(db, centerId);
      const rows = await adminStore.listConflicts(db, centerId, options);
      return rows.map((r) => ({
        id: r.id,
        day: r.day,
        registrationId: r.registration_id,
        reason: r.reason,
        createdAt: new Date(r.created_at).toISOString(),
        resolvedAt: r.resolved_at ? new Date(r.resolved_at).toISOString() : null,
        resolution: r.resolution,
        number: r.number,
        status: r.status,
        startsAt: new Date(r.starts_at).toISOString(),
        groupId: r.group_id,
        channel: r.channel,
        person: {
          name: `${r.last_name} ${r.first_name}`,
          email: r.email,
          phone: r.phone,
        },
        serviceName: r.service_name,
      }));
    },

    /** The head marks a conflict handled (e.g. the person was called and re-booked). */
    async resolveConflict(centerId: string, conflictId: number, resolution: string, actor: Actor) {
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        const row = await adminStore.resolveConflict(trx, centerId, conflictId, {
          at: now,
          actorId: actor.id,
          resolution,
        });
        if (!row) throw new DomainError('NOT_FOUND', { detail: 'Невирішений конфлікт не знайдено.' });
        // Settled by hand: links of times offered for it stop working.
        await withdrawOffers(trx, conflictId, now);
        await audit(trx, {
          at: now,
          actorKind: actor.kind,
          actorId: actor.id,
          action: 'capacity.conflict_resolved',
          subjectKind: 'registration',
          subjectId: row.registration_id,
          centerId,
          ip: actor.ip || null,
          details: { conflictId, resolution },
        });
        return { id: row.id, resolved: true };
      });
    },
  };
}

export type CapacityService = ReturnType<typeof createCapacityService>;

export async function assertCenterExists(db: Db | Tx, centerId: string) {
  if (!(await adminStore.centerExists(db, centerId)))
    throw new DomainError('NOT_FOUND', { detail: 'Сервісний центр не знайдено.' });
}

function maxDate(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}
