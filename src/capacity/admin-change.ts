import { audit } from '../audit/audit-store.js';
import type { Actor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { Db, Tx } from '../platform/db.js';
import { DomainError } from '../platform/problems.js';
import { assertCenterExists, type CapacityService, type RegenerationResult } from './capacity-service.js';
import { lockCenter } from './capacity-store.js';
import { allCenterIds, existingGroups } from './roster-store.js';

export interface AdminDeps {
  db: Db;
  clock: Clock;
  capacity: CapacityService;
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', { detail: `${what} не знайдено.` });

export async function assertGroups(trx: Tx, groupIds: string[]) {
  const found = await existingGroups(trx, groupIds);
  if (found.length !== new Set(groupIds).size)
    throw new DomainError('VALIDATION', { detail: 'Невідома група послуг.' });
}

/** Carries a dry run's answer out of its transaction, which it rolls back. */
class DryRun<T> extends Error {
  constructor(readonly answer: T) {
    super('dry run');
  }
}

/**
 * A settings change + its audit row + regeneration of the affected centers' generated days from
 * today on, in one transaction: capacity never disagrees with its inputs, and no registration is
 * dropped silently (the answer lists the new conflicts).
 */
export function createChange(deps: AdminDeps) {
  const { db, clock, capacity } = deps;
  return async function change<T extends object>(
    scope: string | 'all',
    actor: Actor,
    action: string,
    run: (trx: Tx) => Promise<{ value: T; subjectKind: string; subjectId: string; details?: object }>,
    options: { dryRun?: boolean } = {},
  ) {
    // A dry run makes the change, regenerates and reads what it would do (conflicts, overbooked
    // slots), then rolls it all back — mails, audit and events included — so the head can be
    // told how many registrations a change hits before confirming it.
    const work = db.transaction().execute(async (trx) => {
      const centers = scope === 'all' ? await allCenterIds(trx) : [scope];
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
        ip: actor.ip || null,
        details: (done.details ?? done.value) as Record<string, unknown>,
      });
      // The answer carries what the regeneration did: days recomputed, new conflicts, overbooked slots.
      const regeneration = {
        regenerated: 0,
        conflicts: [] as Array<RegenerationResult['conflicts'][number] & { centerId: string }>,
        overbooked: [] as Array<RegenerationResult['overbooked'][number] & { centerId: string }>,
      };
      for (const c of centers) {
        const r = await capacity.regenerateIn(trx, c, await capacity.affectedDays(trx, c), actor, {
          locked: true,
        });
        regeneration.regenerated += r.days.length;
        regeneration.conflicts.push(...r.conflicts.map((x) => ({ ...x, centerId: c })));
        regeneration.overbooked.push(...r.overbooked.map((x) => ({ ...x, centerId: c })));
      }
      const answer = { ...done.value, ...regeneration };
      if (options.dryRun) throw new DryRun(answer);
      return answer;
    });
    if (!options.dryRun) return work;
    return work.catch((error: unknown) => {
      if (error instanceof DryRun) return error.answer as Awaited<typeof work>;
      throw error;
    });
  };
}
