/**
 * `npm run bench [-- --quick] [-- --json] [-- --profile] [-- --release-only] [-- --detail]`: the
 * release-moment benchmark (bench/README.md). Against BENCH_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test) it creates a fresh database, migrates and seeds it and
 * runs the built server (dist/, built first if stale) with every defence on (bench/setup.ts):
 *   release  — first come: N identities race over HTTP for the places of a day outside the lottery;
 *   browse   — GET /api/v1/centers/:id/slots, then a freshness check; ceiling: a bare Fastify route;
 *   lottery  — the national release (bench/national.ts): 143 centers, 200,000 people, 5,000 bots;
 *   ceilings — pgbench, 64 connections, on the exact booking claim and lottery entry insert;
 *   fairness — the national run's bot shares, and bench/fairness-sim.ts (lottery vs first come).
 * Prints a table; with --json the last line is one JSON object. The database is dropped after.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { addDays, kyivDay } from '../src/platform/kyiv-time.js';
import { cpuMeter } from './cpu.js';
import { fairnessScenario } from './fairness-sim.js';
import { Client, ms, type Req, runFor, runList } from './load.js';
import { nationalScenario } from './national.js';
import { claimScript, entryBatchCeiling, entryScript, PGBENCH_SERVICE, pgbench } from './pgbench.js';
import { mintSolved } from './pow.js';
import { maxOf, minOf, rowsOf } from './report.js';
import { GROUP, type Identity, SERVICE, type Slot, seedCatalog, seedPeople, seedSlots } from './seed.js';
import {
  ensureBuild,
  freePort,
  PROFILE_DIR,
  peakRssMb,
  startBareRoute,
  startProcess,
  stopProcess,
} from './server.js';
import { addressOf, benchDatabase, browseAnswers, defendedEnv, POW_FLOOR } from './setup.js';
import { nationalSize } from './sizes.js';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const asJson = args.has('--json');
const profile = args.has('--profile');
const releaseOnly = args.has('--release-only');
/** --detail: latency of won and lost attempts apart, and when the wins landed. */
const detail = args.has('--detail');
const CONNECTIONS = 64;

const size = quick
  ? {
      identities: 2_000,
      places: 500,
      greedy: 20,
      warmup: 1_000,
      browseMs: 3_000,
      persons: 500,
      bots: 25,
      fairPlaces: 75,
      pgbenchSeconds: 4,
      national: nationalSize(true),
    }
  : {
      identities: 20_000,
      warmup: 5_000,
      places: 5_000,
      greedy: 200,
      browseMs: 10_000,
      persons: 2_000,
      bots: 100,
      fairPlaces: 300,
      pgbenchSeconds: 10,
      national: nationalSize(false),
    };

const log = (...a: unknown[]) => {
  console.error(...a);
};

function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j] as T, xs[i] as T];
  }
  return xs;
}

async function integrity(db: pg.Pool) {
  const over = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM slots WHERE booked > capacity`);
  const recount = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM slots s WHERE s.booked <>
       (SELECT count(*) FROM registrations r WHERE r.slot_id = s.id AND r.status = 'booked')`,
  );
  const limit = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT person_id FROM registrations WHERE channel = 'online'
       AND status NOT IN ('pending', 'lost') GROUP BY person_id, date_trunc('month', day) HAVING count(*) > 4) x`,
  );
  return {
    overbooked: Number(over.rows[0]?.n ?? 0) + Number(recount.rows[0]?.n ?? 0),
    limitViolations: Number(limit.rows[0]?.n ?? 0),
  };
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : 0);

/** A first-come booking attempt with everything the defended server checks. */
async function bookingRequest(who: Identity, address: number, slotId: number): Promise<Req> {
  return {
    method: 'POST',
    path: '/api/v1/bookings',
    headers: { cookie: `ezs=${who.token}`, 'x-forwarded-for': addressOf(address) },
    body: JSON.stringify({
      slotId,
      serviceId: SERVICE,
      altcha: await mintSolved({
        token: who.token,
        scope: 'bookings',
        maxnumber: POW_FLOOR,
        expires: new Date(Date.now() + 5 * 60_000),
      }),
    }),
  };
}

async function main() {
  const loadBefore = Math.round((os.loadavg()[0] ?? 0) * 10) / 10;
  log('bench: building dist/ if stale');
  ensureBuild();
  const database = await benchDatabase();
  const { name, url, serverVersion: version } = database;
  const stopLater: Array<Parameters<typeof stopProcess>[0]> = [];
  try {
    log(`bench: database ${name} (${quick ? 'quick' : 'full'} size)`);
    const db = database.pool(8);
    const now = new Date();
    const today = kyivDay(now);
    const centers = Array.from({ length: 10 }, (_, i) => `bench-c${String(i + 1).padStart(2, '0')}`);
    await seedCatalog(db, centers);
    // Release day: D+5 (inside the horizon, outside any lottery window). Browse reads D+1 … D+4.
    const days = [1, 2, 3, 4, 5].map((n) => addDays(today, n));
    const windows = 20;
    const perSlot = Math.ceil(size.places / (centers.length * windows));
    const slots = await seedSlots(db, { centers, days, windows, capacity: perSlot, releasedAt: new Date(0) });
    const releaseDay = days[4] as string;
    const releaseSlots = slots.filter((s) => s.day === releaseDay);
    const places = releaseSlots.flatMap((s) => Array.from({ length: s.capacity }, () => s));
    const t0 = performance.now();
    const people = await seedPeople(db, 'rel', size.identities + 1, now);
    const spare = people.pop() as Identity;
    const warmers = await seedPeople(db, 'warm', size.warmup, now);
    log(`bench: ${people.length} identities with sessions in ${Math.round(performance.now() - t0)} ms`);

    // Attempts and their proofs are made before the server starts (none of it is measured).
    const attempts: Array<{ person: Identity; address: number; slot: Slot }> = [];
    const order = shuffle([...places]);
    people.forEach((p, i) => {
      attempts.push({ person: p, address: i, slot: order[i % order.length] as Slot });
    });
    // The first `greedy` identities also try 5 more, to prove the monthly limit of 4 under races.
    people.slice(0, size.greedy).forEach((p, i) => {
      for (let k = 0; k < 5; k++)
        attempts.push({
          person: p,
          address: i,
          slot: order[Math.floor(Math.random() * order.length)] as Slot,
        });
    });
    shuffle(attempts);
    const requests: Req[] = [];
    for (const a of attempts) requests.push(await bookingRequest(a.person, a.address, a.slot.id));
    // The warm-up crowds a fifth of another day's slots, as the release crowds its day: most of its
    // attempts are refused (the place taken; every tenth warmer tries twice and holds the day's
    // one registration), so the refusals' code is as warm as the bookings'.
    const warmSlots = slots.filter((s) => s.day === days[3]);
    const crowded = warmSlots.slice(0, Math.ceil(warmSlots.length / 5));
    const warmRequests: Req[] = [];
    for (const [i, p] of warmers.entries()) {
      const tries = i % 10 === 0 ? 2 : 1;
      for (let k = 0; k < tries; k++)
        warmRequests.push(
          await bookingRequest(p, 500_000 + i, (crowded[(i + k) % crowded.length] as Slot).id),
        );
      warmRequests.push({
        method: 'GET',
        path: `/api/v1/centers/${centers[i % centers.length]}/slots?service=${SERVICE}&date=${days[i % 4]}`,
        headers: { 'x-forwarded-for': addressOf(600_000 + i) },
      });
    }
    shuffle(warmRequests);

    const port = await freePort();
    const server = await startProcess({ port, profile, env: defendedEnv(url) });
    stopLater.push(server);
    const client = new Client(port, CONNECTIONS);

    // ---- warm-up ----
    // A server at the release moment has been running for hours: its code is compiled and
    // optimised. A fresh process is not, so it first books places of another day (own
    // identities) and answers slot queries before anything is measured.
    await runList(client, warmRequests, CONNECTIONS);

    // ---- release (first come) ----
    log(`bench: release — ${requests.length} booking attempts for ${places.length} places`);
    const meter = cpuMeter(server.pid as number);
    const rel = await runList(client, requests, CONNECTIONS);
    const cpu = meter.stop(rel.results.length);
    const ok = rel.results.filter((r) => r.status === 201);
    const statuses: Record<string, number> = {};
    for (const r of rel.results) {
      const code =
        r.status === 201 ? '201' : `${r.status} ${(JSON.parse(r.body) as { code?: string }).code ?? ''}`;
      statuses[code] = (statuses[code] ?? 0) + 1;
    }
    const lastOk = maxOf(ok.map((r) => r.doneAt));
    if (detail) {
      const q = (xs: number[], p: number) =>
        xs.sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)]?.toFixed(1);
      const took = (rs: typeof rel.results) => rs.map((r) => (r as unknown as { tookMs: number }).tookMs);
      const bad = rel.results.filter((r) => r.status !== 201);
      console.error('201 took p50/p90/p99', q(took(ok), 0.5), q(took(ok), 0.9), q(took(ok), 0.99));
      console.error('409 took p50/p90/p99', q(took(bad), 0.5), q(took(bad), 0.9), q(took(bad), 0.99));
      const done = ok.map((r) => r.doneAt);
      console.error('201 done at p10/p50/p90/max', q(done, 0.1), q(done, 0.5), q(done, 0.9), q(done, 1));
      console.error('all done at', rel.elapsedMs.toFixed(0));
    }
    const release = {
      bookingsPerSec: Math.round(ok.length / (lastOk / 1000)),
      attemptsPerSec: Math.round(rel.results.length / (rel.elapsedMs / 1000)),
      booked: ok.length,
      places: places.length,
      p50Ms: ms(rel.histogram, 50),
      p95Ms: ms(rel.histogram, 95),
      p99Ms: ms(rel.histogram, 99),
      ...(await integrity(db)),
      /** pgbench, 64 connections: the same one-statement booking, every transaction a booking. */
      ceilingPerSec: 0,
      ratio: 0,
      /** Kept for older readers: the same as ceilingPerSec. */
      rawPerSec: 0,
      peakRssMb: 0,
      statuses,
      /** Where the release's CPU went (bench/cpu.ts): µs per attempt and cores, each part. */
      cpu,
    };

    // ---- browse ----
    let browseAddress = 0;
    const browseReq = (): Req => ({
      method: 'GET',
      path: `/api/v1/centers/${centers[Math.floor(Math.random() * centers.length)]}/slots?service=${SERVICE}&date=${days[Math.floor(Math.random() * 4)]}`,
      // Anonymous readers from many addresses (the per-address read limit is counted).
      headers: { 'x-forwarded-for': addressOf(2_000_000 + (browseAddress++ % 60_000)) },
    });
    if (!releaseOnly) log('bench: browse');
    const browse = await runFor(client, browseReq, releaseOnly ? 0 : size.browseMs, CONNECTIONS);
    // Freshness: a booking is visible in the very next read.
    const probeDay = days[0] as string;
    const probeCenter = centers[0] as string;
    const read = async () =>
      JSON.parse(
        (
          await client.send({
            method: 'GET',
            path: `/api/v1/centers/${probeCenter}/slots?service=${SERVICE}&date=${probeDay}`,
            headers: { 'x-forwarded-for': addressOf(3_000_000) },
          })
        ).body,
      ) as Array<{ id: number; free: number }>;
    const before = await read();
    const target = before.find((s) => s.free > 0);
    let fresh = false;
    if (target) {
      const b = await client.send(await bookingRequest(spare, 3_000_001, target.id));
      const after = await read();
      fresh = b.status === 201 && (after.find((s) => s.id === target.id)?.free ?? 0) === target.free - 1;
    }
    // The same answers, for the bare route.
    const answers = await browseAnswers(client, centers, days.slice(0, 4));
    release.peakRssMb = peakRssMb(server.pid as number);
    client.close();
    // The server's pool is closed first: the ceilings get the connections to themselves.
    await stopProcess(server);

    let bare = { count: 0, elapsedMs: 1, histogram: browse.histogram };
    if (!releaseOnly) {
      log('bench: browse ceiling (bare route)');
      const { child: bareServer, port: barePort } = await startBareRoute(answers);
      stopLater.push(bareServer);
      const bareClient = new Client(barePort, CONNECTIONS);
      bare = await runFor(bareClient, browseReq, size.browseMs, CONNECTIONS);
      bareClient.close();
      await stopProcess(bareServer);
    }

    // ---- lottery: the national release ----
    const national = releaseOnly
      ? null
      : await nationalScenario({ url, db, size: size.national, connections: CONNECTIONS, log, profile });

    // ---- ceilings: pgbench on the exact statements ----
    log('bench: pgbench ceilings');
    // One person per claim (a person holds one active registration a day and group): pgbench's
    // clients take numbered persons of their own, never twice; quick seeds more of them.
    // Without the national scenario (--release-only) its persons were never seeded: all are extra.
    // 2,000 a client: pgbench's claim reached 3,300/s on one machine (33,000 in 10 s), past the
    // 500 a client this once seeded, and a person coming round again aborts the client.
    const nationalCount = national ? size.national.people + size.national.bots : 0;
    const extra = Math.max(0, 64 * 2_000 - nationalCount);
    await db.query(
      `INSERT INTO persons (id, id_hash, id_kind, id_enc, last_name, first_name, created_at, updated_at)
       SELECT ('00000000-0000-4000-9000-' || lpad(i::text, 12, '0'))::uuid, 'pgb-' || i, 'rnokpp', 'bench',
         'Бенч', 'Особа', now(), now()
       FROM generate_series($1::int, $2::int) AS i`,
      [size.national.firstPerson + nationalCount, size.national.firstPerson + nationalCount + extra - 1],
    );
    const numbered = { first: size.national.firstPerson, count: nationalCount + extra };
    // The claim: the release day's places back, and too many to run out in the run.
    await db.query(`DELETE FROM registrations WHERE day = $1`, [releaseDay]);
    await db.query(`UPDATE slots SET booked = 0, capacity = 1000000 WHERE day = $1`, [releaseDay]);
    log('bench: pgbench — places reset');
    const relIds = releaseSlots.map((s) => s.id);
    const claimCeiling = await pgbench(
      url,
      await claimScript(url, numbered, { min: minOf(relIds), max: maxOf(relIds) }, releaseDay),
      size.pgbenchSeconds,
      'claim',
    );
    log(`bench: pgbench claim ${JSON.stringify(claimCeiling)}`);
    release.ceilingPerSec = claimCeiling.tps;
    release.rawPerSec = claimCeiling.tps;
    release.ratio = ratio(release.bookingsPerSec, claimCeiling.tps);
    let entryCeiling = { tps: 0, transactions: 0, failed: 0, latencyMs: 0 };
    let batchCeiling = { ...entryCeiling, entriesPerSec: 0, written: 0 };
    if (national) {
      await db.query(
        `INSERT INTO services (id, code, name, group_id) VALUES ($1, $1, 'pgbench', $2) ON CONFLICT DO NOTHING`,
        [PGBENCH_SERVICE, GROUP],
      );
      const nat = await db.query<{ lo: string; hi: string }>(
        `SELECT min(id) AS lo, max(id) AS hi FROM slots WHERE day = $1`,
        [national.day],
      );
      const slotRange = { min: Number(nat.rows[0]?.lo), max: Number(nat.rows[0]?.hi) };
      entryCeiling = await pgbench(
        url,
        await entryScript(url, numbered, slotRange, national.day),
        size.pgbenchSeconds,
        'entry',
      );
      log(`bench: pgbench entry ${JSON.stringify(entryCeiling)}`);
      // The statement the server sends for a turn's entries at the window.
      batchCeiling = await entryBatchCeiling(url, numbered, slotRange, national.day, size.pgbenchSeconds);
      log(`bench: pgbench entry batch ${JSON.stringify(batchCeiling)}`);
    }

    // ---- fairness (simulated: lottery against first come) ----
    if (!releaseOnly) log('bench: fairness');
    const fair = releaseOnly
      ? { botShareLottery: 0, botShareFcfs: 0, botEntrantShare: 0, placesLottery: 0, placesFcfs: 0 }
      : await fairnessScenario(url, { persons: size.persons, bots: size.bots, places: size.fairPlaces });
    await db.end();

    const browseRps = Math.round(browse.count / (browse.elapsedMs / 1000));
    const bareRps = Math.round(bare.count / (bare.elapsedMs / 1000));
    const result = {
      size: quick ? 'quick' : 'full',
      release,
      lottery: national
        ? {
            ...national,
            // The ceiling is the statement the server sends at the window (a turn's entries
            // together); the lone entry's is reported beside it.
            ceilingPerSec: batchCeiling.entriesPerSec,
            ratio: ratio(national.entriesPerSec, batchCeiling.entriesPerSec),
            ceilingLonePerSec: entryCeiling.tps,
            ratioLone: ratio(national.entriesPerSec, entryCeiling.tps),
          }
        : null,
      browse: {
        requestsPerSec: browseRps,
        p99Ms: ms(browse.histogram, 99),
        p50Ms: ms(browse.histogram, 50),
        errors: browse.errors,
        fresh,
        ceilingPerSec: bareRps,
        ceilingP99Ms: ms(bare.histogram, 99),
        ratio: ratio(browseRps, bareRps),
      },
      fairness: {
        botShareOfPlaces: national?.botShareOfPlaces ?? 0,
        botShareOfEntrants: national?.botShareOfEntrants ?? 0,
        rateLimitViolations: national?.rateLimitViolations ?? 0,
        doubleEntries: national?.doubleEntries ?? 0,
        botShareLottery: Math.round(fair.botShareLottery * 1000) / 1000,
        botShareFcfs: Math.round(fair.botShareFcfs * 1000) / 1000,
        botEntrantShare: Math.round(fair.botEntrantShare * 1000) / 1000,
        placesLottery: fair.placesLottery,
        placesFcfs: fair.placesFcfs,
      },
      ceilings: { claim: claimCeiling, entry: entryCeiling, entryBatch: batchCeiling },
      machine: {
        cores: os.cpus().length,
        memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
        cpu: os.cpus()[0]?.model ?? '?',
        postgres: version,
        node: process.version,
        /** 1-minute load average before and after: other work on the machine skews every figure. */
        loadBefore,
        loadAfter: Math.round((os.loadavg()[0] ?? 0) * 10) / 10,
      },
    };
    const rows = rowsOf(result);
    const shown = releaseOnly ? rows.filter(([k]) => k.startsWith('release') || k === 'machine') : rows;
    const table = shown.map(([k, v]) => `${k.padEnd(48)} ${v}`).join('\n');
    console.log(`E-Запис bench (${result.size}${releaseOnly ? ', release only' : ''})\n${table}`);
    if (profile) console.log(`server CPU profile: ${PROFILE_DIR}`);
    if (asJson) console.log(JSON.stringify(result));
  } finally {
    for (const p of stopLater) await stopProcess(p);
    await database.drop();
  }
}

await main();
