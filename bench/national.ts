import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { fixedClock } from '../src/platform/clock.js';
import { openPostgres } from '../src/platform/db.js';
import { addDays, type Day, kyivDay, kyivInstant } from '../src/platform/kyiv-time.js';
import { cpuMeter } from './cpu.js';
import { Client, ms, type Req, runList, runPaced } from './load.js';
import { type Challenge, mintSolved, solveInWorkers } from './pow.js';
import { maxOf, minOf } from './report.js';
import { type Identity, SERVICE, type Slot, seedCatalog, seedPeople, seedSlots } from './seed.js';
import { freePort, peakRssMb, startProcess, stopProcess } from './server.js';
import { addressOf, defendedEnv, POW_FLOOR } from './setup.js';
import { timeStatements } from './statements.js';

/**
 * The national release (SPEC 3.9): 143 centers release a day of ~20,000 online places at 06:00;
 * 200,000 people and 5,000 bot identities enter the lottery through the HTTP API of the built
 * server with every defence on (proof-of-work at its production floor, rate limits counted in
 * PostgreSQL, the client address taken from X-Forwarded-For of a trusted proxy, one address per
 * client). The server's clock (DEMO_NOW) reaches 06:00 a few seconds after it starts; the window
 * is LOTTERY_WINDOW_MINUTES long. Then the draw runs (the real lottery code, in this process, its
 * clock at the window's end) and the outcome is checked.
 */
export interface NationalSize {
  centers: number;
  windows: number;
  perSlot: number;
  people: number;
  bots: number;
  /** Attempts per bot (the first at the opening millisecond, the rest repeats that must be refused). */
  botAttempts: number;
  /** Bots that fire 12 attempts at once: the per-identity limit (10/min) must refuse the rest. */
  greedyBots: number;
  /** Identities that fetch real challenges and solve them in worker threads before the window. */
  solved: number;
  warmup: number;
  windowMinutes: number;
  /** First index of the numbered person ids (pgbench names the same persons). */
  firstPerson: number;
}

export async function nationalScenario(opts: {
  url: string;
  db: pg.Pool;
  size: NationalSize;
  connections: number;
  log: (...a: unknown[]) => void;
  profile?: boolean;
  /**
   * Attempts offered a second (bots' and people's alike), in an open loop (`runPaced`), instead of
   * as fast as 64 connections go: the answer times of a server that is not saturated
   * (`bench/lottery-only.ts --rate N`).
   */
  rate?: number;
}) {
  const { url, db, size, log } = opts;
  const realToday = kyivDay(new Date());
  // A release morning far from anything else in the database (its own month for the limits).
  const releaseDate = addDays(realToday, 120);
  const releaseAt = kyivInstant(releaseDate, '06:00');
  const day = addDays(releaseDate, 21) as Day;
  const centers = Array.from({ length: size.centers }, (_, i) => `nat-c${String(i + 1).padStart(3, '0')}`);
  const t0 = performance.now();
  await seedCatalog(db, centers);
  const slots = await seedSlots(db, {
    centers,
    days: [day],
    windows: size.windows,
    capacity: size.perSlot,
    releasedAt: releaseAt,
  });
  // Warm-up bookings go to the day before, released long ago (first come, not the lottery).
  const warmDay = addDays(day, -1);
  const warmSlots = await seedSlots(db, {
    centers: centers.slice(0, 10),
    days: [warmDay],
    windows: size.windows,
    capacity: 1000,
    releasedAt: new Date(0),
  });
  const places = slots.reduce((a, s) => a + s.capacity, 0);
  // Sessions live from a minute before the server's clock starts (idle limit 30 min).
  const sessionTime = new Date(releaseAt.getTime() - 60_000);
  const people = await seedPeople(db, 'nat-p', size.people, sessionTime, { first: size.firstPerson });
  const bots = await seedPeople(db, 'nat-b', size.bots, sessionTime, {
    first: size.firstPerson + size.people,
  });
  const warmers = await seedPeople(db, 'nat-w', size.warmup, sessionTime);
  const seedMs = Math.round(performance.now() - t0);
  log(
    `bench: national — ${centers.length} centers, ${places} places, ${people.length} people + ${bots.length} bots seeded in ${seedMs} ms`,
  );

  // Attempts, each with its own proof (single use) and its client's own address.
  type Attempt = { who: Identity; index: number; bot: boolean; slot: Slot; altcha?: string };
  const pick = () => slots[Math.floor(Math.random() * slots.length)] as Slot;
  const first: Attempt[] = [];
  const rest: Attempt[] = [];
  bots.forEach((b, i) => {
    const index = size.people + i;
    const n = i < size.greedyBots ? 12 : size.botAttempts;
    const target = pick();
    for (let k = 0; k < n; k++) {
      const a = { who: b, index, bot: true, slot: target };
      if (k === 0 || i < size.greedyBots) first.push(a);
      else rest.push(a);
    }
  });
  people.forEach((p, index) => {
    rest.push({ who: p, index, bot: false, slot: pick() });
  });
  for (let i = rest.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [rest[i], rest[j]] = [rest[j] as Attempt, rest[i] as Attempt];
  }
  const attempts = [...first, ...rest];
  // A client fetches its challenge shortly before it sends (the server's lifetime is 5 minutes);
  // minted ones expire with the window so that a slow run is not refused for a stale proof.
  const expires = new Date(releaseAt.getTime() + Math.max(5, size.windowMinutes) * 60_000);
  const tm = performance.now();
  // The first `solved` people get real server challenges below; everyone else a minted one.
  const solvedIds = new Set(people.slice(0, size.solved).map((p) => p.personId));
  for (const a of attempts)
    if (!solvedIds.has(a.who.personId))
      a.altcha = await mintSolved({ token: a.who.token, scope: 'bookings', maxnumber: POW_FLOOR, expires });
  log(`bench: national — ${attempts.length} proofs minted in ${Math.round(performance.now() - tm)} ms`);

  // A system that has been running: every day up to the one before the released day was opened
  // on its own morning (the release mark, migration 0023). Without it the server, whose clock is
  // months past the run's first server, would open the days between as after a long outage:
  // each through a draw of its own, the warm-up day among them.
  await db.query(
    `INSERT INTO release_marks (id, last_day, updated_at) VALUES (true, $1::date - 1, now())
     ON CONFLICT (id) DO UPDATE SET last_day = excluded.last_day, updated_at = excluded.updated_at`,
    [day],
  );

  // The server: its clock reaches 06:00 `lead` seconds after it starts.
  const lead = size.people > 50_000 ? 25_000 : 12_000;
  const port = await freePort();
  const server = await startProcess({
    port,
    profile: opts.profile,
    env: {
      ...defendedEnv(url),
      DEMO_NOW: new Date(releaseAt.getTime() - lead).toISOString(),
      LOTTERY_WINDOW_MINUTES: String(size.windowMinutes),
    },
  });
  const client = new Client(port, opts.connections);
  try {
    const time = JSON.parse((await client.send({ method: 'GET', path: '/api/v1/time' })).body) as {
      now: string;
    };
    const offset = new Date(time.now).getTime() - Date.now();
    // Warm-up: first-come bookings of another day and challenge fetches, interleaved.
    const warm: Req[] = [];
    for (const [i, w] of warmers.entries()) {
      warm.push({
        method: 'POST',
        path: '/api/v1/bookings',
        headers: { cookie: `ezs=${w.token}`, 'x-forwarded-for': addressOf(1_000_000 + i) },
        body: JSON.stringify({
          slotId: (warmSlots[i % warmSlots.length] as Slot).id,
          serviceId: SERVICE,
          altcha: await mintSolved({ token: w.token, scope: 'bookings', maxnumber: POW_FLOOR, expires }),
        }),
      });
    }
    await runList(client, warm, opts.connections);
    // The solved sample: real challenges, each fetched with its identity's session.
    const sample = people.slice(0, size.solved);
    const fetched = await runList(
      client,
      sample.map((p, i) => ({
        method: 'GET' as const,
        path: '/api/v1/antibot/challenge?scope=bookings',
        headers: { cookie: `ezs=${p.token}`, 'x-forwarded-for': addressOf(i) },
      })),
      opts.connections,
    );
    const challenges = fetched.results.map((r) => JSON.parse(r.body) as Challenge);
    const solved = await solveInWorkers(challenges, 2);
    const payloadOf = new Map(sample.map((p, i) => [p.personId, solved.payloads[i] as string]));
    for (const a of attempts) if (!a.altcha) a.altcha = payloadOf.get(a.who.personId);
    const requests: Req[] = attempts.map((a) => ({
      method: 'POST',
      path: '/api/v1/bookings',
      headers: { cookie: `ezs=${a.who.token}`, 'x-forwarded-for': addressOf(a.index) },
      body: JSON.stringify({ slotId: a.slot.id, serviceId: SERVICE, altcha: a.altcha }),
    }));

    const waitMs = releaseAt.getTime() - (Date.now() + offset);
    if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
    log(
      `bench: national — window opens (${Math.round(-Math.min(0, waitMs))} ms late); ${requests.length} attempts`,
    );
    const paced = opts.rate ? new Client(port, 512) : null;
    const meter = cpuMeter(server.pid as number);
    const run = paced
      ? await runPaced(paced, requests, opts.rate as number).finally(() => paced.close())
      : await runList(client, requests, opts.connections);
    const cpu = meter.stop(run.results.length);
    const peakRss = peakRssMb(server.pid as number);
    const windowEnd = releaseAt.getTime() + size.windowMinutes * 60_000;
    const endedAt = Date.now() + offset;
    const statuses: Record<string, number> = {};
    const accepted = new Map<string, number[]>();
    let entries = 0;
    run.results.forEach((r, i) => {
      const a = attempts[i] as Attempt;
      const code =
        r.status === 202 ? '202' : `${r.status} ${(JSON.parse(r.body) as { code?: string }).code ?? ''}`;
      statuses[code] = (statuses[code] ?? 0) + 1;
      if (r.status === 202) entries++;
      if (r.status !== 429) {
        const xs = accepted.get(a.who.personId) ?? [];
        xs.push(r.doneAt);
        accepted.set(a.who.personId, xs);
      }
    });
    // Rate limit (10 a minute an identity): nobody got more than 10 answers past the limiter
    // in the minute after their first attempt.
    let rateViolations = 0;
    for (const xs of accepted.values()) {
      const firstAt = minOf(xs);
      if (xs.filter((t) => t - firstAt < 60_000).length > 10) rateViolations++;
    }
    const entered = run.results.filter((r) => r.status === 202);
    const lastEntry = maxOf(entered.map((r) => r.doneAt));
    await stopProcess(server);

    // The draw: the real lottery code, its clock at the end of the window.
    const handle = await openPostgres(url, 4);
    const base = loadConfig({
      NODE_ENV: 'development',
      JOBS: 'off',
      LOG_LEVEL: 'silent',
      LOTTERY_WINDOW_MINUTES: String(size.windowMinutes),
    });
    const ctx = createContext({ config: base, handle, clock: fixedClock(new Date(windowEnd)) });
    // BENCH_STATEMENTS=1: the draw's statements by time on stderr (as draw-only --statements).
    const timing = process.env.BENCH_STATEMENTS ? timeStatements() : null;
    const d0 = performance.now();
    const drawn = await ctx.fairness.lottery.drawDue({ seed: 'bench' });
    timing?.report();
    // Until the draw's commit opened the day; its loss letters are queued after it (lettersMs).
    const drawMs = drawn[0]?.durationMs ?? Math.round(performance.now() - d0);
    const lettersMs = drawn[0]?.lettersMs ?? 0;
    if (drawn.length !== 1 || drawn[0]?.day !== day)
      throw new Error(
        `bench: expected the draw of ${day} alone, got ${JSON.stringify(drawn.map((d) => d.day))}`,
      );
    await ctx.stop();
    await handle.close();

    const botIds = bots.map((b) => b.personId);
    const q = async (text: string, values: unknown[] = []) =>
      Number((await db.query<{ n: number }>(text, values)).rows[0]?.n ?? 0);
    const filled = await q(
      `SELECT count(*)::int AS n FROM registrations WHERE day = $1 AND status = 'booked'`,
      [day],
    );
    const botWins = await q(
      `SELECT count(*)::int AS n FROM registrations WHERE day = $1 AND status = 'booked' AND person_id = ANY($2::uuid[])`,
      [day, botIds],
    );
    const entrants = await q(
      `SELECT count(DISTINCT person_id)::int AS n FROM lottery_entries WHERE day = $1`,
      [day],
    );
    const botEntrants = await q(
      `SELECT count(DISTINCT person_id)::int AS n FROM lottery_entries WHERE day = $1 AND person_id = ANY($2::uuid[])`,
      [day, botIds],
    );
    const doubleEntries =
      (await q(
        `SELECT count(*)::int AS n FROM (SELECT 1 FROM lottery_entries WHERE day = $1
           GROUP BY person_id, service_id HAVING count(*) > 1) x`,
        [day],
      )) +
      (await q(
        `SELECT count(*)::int AS n FROM (SELECT 1 FROM registrations WHERE day = $1 AND status IN ('pending', 'booked')
           GROUP BY person_id HAVING count(*) > 1) x`,
        [day],
      ));
    const overbooked = await q(`SELECT count(*)::int AS n FROM slots WHERE day = $1 AND booked > capacity`, [
      day,
    ]);
    const solveSorted = [...solved.solveMs].sort((a, b) => a - b);
    const meanSolve = solveSorted.reduce((a, b) => a + b, 0) / Math.max(1, solveSorted.length);
    return {
      day,
      centers: centers.length,
      places,
      people: people.length,
      bots: bots.length,
      attempts: requests.length,
      entries,
      entriesPerSec: Math.round(entries / (lastEntry / 1000)),
      attemptsPerSec: Math.round(run.results.length / (run.elapsedMs / 1000)),
      p50Ms: ms(run.histogram, 50),
      p95Ms: ms(run.histogram, 95),
      p99Ms: ms(run.histogram, 99),
      /** Whether every attempt was answered before the window closed. */
      insideWindow: endedAt <= windowEnd,
      windowSeconds: size.windowMinutes * 60,
      drawMs,
      lettersMs,
      drawnEntries: drawn[0]?.entries ?? 0,
      placesFilled: filled,
      botShareOfPlaces: filled ? Math.round((botWins / filled) * 1000) / 1000 : 0,
      botShareOfEntrants: entrants ? Math.round((botEntrants / entrants) * 1000) / 1000 : 0,
      rateLimitViolations: rateViolations,
      doubleEntries,
      overbooked,
      peakRssMb: peakRss,
      seedMs,
      pow: {
        maxnumber: POW_FLOOR,
        solvedByWorkers: solved.solveMs.length,
        meanSolveMs: Math.round(meanSolve * 10) / 10,
        p95SolveMs: Math.round((solveSorted[Math.floor((solveSorted.length - 1) * 0.95)] ?? 0) * 10) / 10,
        /** Core-seconds one would need to really solve every attempt of the run. */
        allAttemptsCoreSeconds: Math.round((meanSolve * requests.length) / 1000),
        minted: requests.length - solved.solveMs.length,
      },
      statuses,
      /** Where the window's CPU went (bench/cpu.ts): µs per attempt and cores, each part. */
      cpu,
    };
  } finally {
    client.close();
    await stopProcess(server);
  }
}
