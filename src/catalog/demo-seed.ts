import { audit } from '../audit/audit-store.js';
import type { CapacityService } from '../capacity/capacity-service.js';
import type { Policy } from '../config.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db.js';
import { kyivDay } from '../platform/kyiv-time.js';
import { CENTERS } from './demo-data.js';
import { hasCenters, insertCatalogue, lockSeed } from './demo-seed-store.js';

export interface SeedDeps {
  db: Db;
  clock: Clock;
  config: { policy: Pick<Policy, 'onlineShare'> };
  capacity: Pick<CapacityService, 'releaseDue'>;
}

/**
 * Demo data, seeded on the first start in demo mode: centers, the service catalogue, desks,
 * staff, rosters, norms, holidays, then capacity for today … today+21 through the capacity
 * service (so the demo's slots are exactly what the release job would make). Returns false when
 * the database already has centers: restarts and a second instance never duplicate anything.
 */
export async function seedDemoData(ctx: SeedDeps): Promise<boolean> {
  const now = ctx.clock.now();
  const seeded = await ctx.db.transaction().execute(async (trx) => {
    await lockSeed(trx);
    if (await hasCenters(trx)) return false;
    await insertCatalogue(trx, kyivDay(now), ctx.config.policy.onlineShare);
    await audit(trx, {
      at: now,
      actorKind: 'system',
      action: 'demo.seeded',
      details: { centers: CENTERS.length },
    });
    return true;
  });
  // Also on a restart: days missed while the demo was stopped are there before the first request.
  await ctx.capacity.releaseDue(now);
  return seeded;
}
