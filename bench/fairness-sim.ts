import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { fixedClock } from '../src/platform/clock.js';
import { openPostgres } from '../src/platform/db.js';
import { addDays, kyivInstant } from '../src/platform/kyiv-time.js';
import { type Identity, SERVICE, seedCatalog, seedPeople, seedSlots } from './seed.js';

/**
 * The fairness scenario, simulated in-process against the real booking service and lottery over
 * the bench database: `persons` person-like clients (one request each, at a uniformly random
 * moment of the first 5 minutes after 06:00) and `bots` (real identities, firing at the first
 * millisecond and retrying every 6 s, i.e. as fast as the default 10/min booking limit allows)
 * compete for `places` places of the newly released day. Requests are served in time order.
 * Once with the release lottery (draw at 06:10), once with first come, first served (a window
 * of 0 minutes). Bots and people alike want one place. HTTP, proof-of-work and rate limits are
 * not in the loop: the bots' retry cadence models the limit.
 */
export interface FairnessResult {
  botShareLottery: number;
  botShareFcfs: number;
  botEntrantShare: number;
  placesLottery: number;
  placesFcfs: number;
}

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function fairnessScenario(
  url: string,
  size: { persons: number; bots: number; places: number },
): Promise<FairnessResult> {
  const admin = new pg.Pool({ connectionString: url, max: 4 });
  admin.on('error', () => {});
  const center = 'bench-fair';
  await seedCatalog(admin, [center]);
  const people = await seedPeople(admin, 'fair-p', size.persons, new Date());
  const bots = await seedPeople(admin, 'fair-b', size.bots, new Date());
  const botIds = new Set(bots.map((b) => b.personId));
  const windows = 10;
  const capacity = Math.ceil(size.places / windows);

  async function run(mode: 'lottery' | 'fcfs', releaseDate: string) {
    const releaseAt = kyivInstant(releaseDate, '06:00');
    const day = addDays(releaseDate, 21);
    const slots = await seedSlots(admin, {
      centers: [center],
      days: [day],
      windows,
      capacity,
      releasedAt: releaseAt,
    });
    const handle = await openPostgres(url, 4);
    const clock = fixedClock(releaseAt);
    const base = loadConfig({
      NODE_ENV: 'development',
      ANTIBOT: 'off',
      RATE_LIMITS: 'off',
      JOBS: 'off',
      LOG_LEVEL: 'silent',
    });
    const config = { ...base, policy: { ...base.policy, lotteryWindowMinutes: mode === 'lottery' ? 10 : 0 } };
    const ctx = createContext({ config, handle, clock });
    const rnd = mulberry32(mode === 'lottery' ? 1 : 2);
    const events: Array<{ at: number; who: Identity; bot: boolean }> = [];
    for (const p of people) events.push({ at: Math.floor(rnd() * 300_000), who: p, bot: false });
    for (const b of bots)
      for (let t = 0; t < 300_000; t += 6_000)
        events.push({ at: t + Math.floor(rnd() * 5), who: b, bot: true });
    events.sort((a, b) => a.at - b.at);
    const done = new Set<string>();
    for (const e of events) {
      if (done.has(e.who.personId)) continue;
      clock.set(new Date(releaseAt.getTime() + e.at));
      // A person picks a random time among those still shown as free.
      const free = await ctx.booking.availability(center, SERVICE, day);
      const pick = free[Math.floor(rnd() * free.length)] ?? slots[Math.floor(rnd() * slots.length)];
      if (!pick) continue;
      try {
        await ctx.booking.book({
          personId: e.who.personId,
          slotId: pick.id,
          serviceId: SERVICE,
          representedEntity: null,
          actor: { kind: 'citizen', id: e.who.personId, ip: e.bot ? '203.0.113.1' : '198.51.100.1' },
        });
        done.add(e.who.personId);
      } catch {
        // SLOT_TAKEN, LOTTERY_ALREADY_ENTERED …: people give up, bots retry on their cadence.
        if (!e.bot) done.add(e.who.personId);
      }
    }
    if (mode === 'lottery') {
      clock.set(new Date(releaseAt.getTime() + 10 * 60_000));
      await ctx.fairness.lottery.drawDue();
    }
    const won = await admin.query<{ person_id: string }>(
      `SELECT person_id FROM registrations WHERE center_id = $1 AND day = $2 AND status = 'booked'`,
      [center, day],
    );
    await ctx.stop();
    await handle.close();
    const botWins = won.rows.filter((r) => botIds.has(r.person_id)).length;
    return { share: won.rows.length ? botWins / won.rows.length : 0, places: won.rows.length };
  }

  // Two different release mornings of the same month-free calendar, far from the real today.
  const lottery = await run('lottery', '2031-03-03');
  const fcfs = await run('fcfs', '2031-05-05');
  await admin.end();
  return {
    botShareLottery: lottery.share,
    botShareFcfs: fcfs.share,
    botEntrantShare: size.bots / (size.bots + size.persons),
    placesLottery: lottery.places,
    placesFcfs: fcfs.places,
  };
}
