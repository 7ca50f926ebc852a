/**
 * `npm run bench [-- --quick] [-- --json] [-- --profile] [-- --release-only] [-- --detail]`: the release-moment
 * benchmark. `--release-only` skips browse and fairness (for profiling the release).
 *
 * Against BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) it creates a fresh
 * database, migrates and seeds it, starts the real server as a child process (demo mode,
 * ANTIBOT=off, RATE_LIMITS=off, JOBS=off, LOG_LEVEL=warn) and runs three scenarios:
 *   release  — N identities with real sessions race over HTTP (64 keep-alive connections) for
 *              the online places of 10 centers; then the raw ceiling: the same claims straight
 *              to PostgreSQL by 64 connections (UPDATE slots … RETURNING + INSERT registration).
 *   browse   — GET /api/v1/centers/:id/slots for random centers and days, 64 connections,
 *              then a freshness check (a booking is visible in the next read).
 *   fairness — see bench/fairness-sim.ts (in-process, real booking service and lottery).
 * Prints a table; with --json the last line is one JSON object. The database is dropped after.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { openPostgres } from '../src/platform/db.js';
import { addDays, kyivDay } from '../src/platform/kyiv-time.js';
import { migrate } from '../src/platform/migrate.js';
import { fairnessScenario } from './fairness-sim.js';
import { Client, ms, type Req, runFor, runList } from './load.js';
import { GROUP, type Identity, SERVICE, type Slot, seedCatalog, seedPeople, seedSlots } from './seed.js';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const asJson = args.has('--json');
const profile = args.has('--profile');
const releaseOnly = args.has('--release-only');
/** --detail: latency of won and lost attempts apart, and when the wins landed. */
const detail = args.has('--detail');
const CONNECTIONS = 64;
/** Where --profile leaves the server's CPU profile (open it in Chrome DevTools). */
const PROFILE_DIR = `${os.tmpdir()}/ez-bench-profiles`;

const size = quick
  ? {
      identities: 2_000,
      places: 500,
      greedy: 20,
      warmup: 500,
      browseMs: 3_000,
      persons: 500,
      bots: 25,
      fairPlaces: 75,
    }
  : {
      identities: 20_000,
      warmup: 2_000,
      places: 5_000,
      greedy: 200,
      browseMs: 10_000,
      persons: 2_000,
      bots: 100,
      fairPlaces: 300,
    };

const log = (...a: unknown[]) => {
  if (!asJson || process.stderr.isTTY) console.error(...a);
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Server processes (BENCH_WORKERS, default 1). On this benchmark's machine PostgreSQL and the
 * load generator share the cores with the server: a second server process made the release
 * slower (1,560 instead of ~1,800 bookings/s, p99 60 ms) and only browse faster (36,000
 * instead of ~18,000 requests/s). A server on machines of its own runs one process per core.
 */
const workers = Number(process.env.BENCH_WORKERS ?? 1);

async function startServer(url: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []), '--import', 'tsx', 'src/main.ts'],
    {
      env: {
        ...process.env,
        NODE_ENV: 'development',
        DATABASE_URL: url,
        PORT: String(port),
        HOST: '127.0.0.1',
        ANTIBOT: 'off',
        RATE_LIMITS: 'off',
        JOBS: 'off',
        OUTBOX_WORKER: 'off',
        LOG_LEVEL: 'warn',
        // Server processes (see `workers` above; node:cluster, stateless, one PostgreSQL).
        WORKERS: String(workers),
        // The server's own default pool (DATABASE_POOL_SIZE 20): with batched reads, more
        // connections only add contention on two cores (32 and 64 measured no better).
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  // With several processes, wait until all listen: the 64 keep-alive connections are spread
  // over the processes that are listening when they connect.
  let allListening = workers === 1;
  child.stdout?.on('data', (d: Buffer) => {
    if (d.toString().includes('server processes listening')) allListening = true;
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok && allListening) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Peak RSS of the server: the largest of its process and its cluster workers. */
function peakRssMb(pid: number): number {
  const pids = [pid];
  try {
    pids.push(
      ...readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number),
    );
  } catch {
    // no children listed: a single process
  }
  const kb = pids.map((p) => {
    try {
      return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      return 0;
    }
  });
  return Math.round(Math.max(...kb) / 1024);
}

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

async function rawCeiling(url: string, attempts: Array<{ person: string; slot: Slot }>) {
  const pool = new pg.Pool({ connectionString: url, max: CONNECTIONS });
  pool.on('error', () => {});
  let next = 0;
  let wins = 0;
  let lastWin = 0;
  const start = performance.now();
  const worker = async () => {
    const client = await pool.connect();
    try {
      for (;;) {
        const a = attempts[next++];
        if (!a) return;
        const r = await client.query(
          'UPDATE slots SET booked = booked + 1 WHERE id = $1 AND booked < capacity RETURNING id',
          [a.slot.id],
        );
        if (!r.rowCount) continue;
        await client.query(
          `INSERT INTO registrations (id, center_id, service_id, group_id, slot_id, person_id, channel, status, day,
             starts_at, call_at, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, 'online', 'booked', $7, $8, $8, now(), now())`,
          [randomUUID(), a.slot.centerId, SERVICE, GROUP, a.slot.id, a.person, a.slot.day, a.slot.startsAt],
        );
        wins++;
        lastWin = performance.now() - start;
      }
    } finally {
      client.release();
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  await pool.end();
  return { wins, perSec: wins / (lastWin / 1000) };
}

async function main() {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const loadBefore = Math.round((os.loadavg()[0] ?? 0) * 10) / 10;
  const name = `ez_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const version =
    (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?';
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  let server: ChildProcess | undefined;
  try {
    log(`bench: database ${name} (${quick ? 'quick' : 'full'} size)`);
    const handle = await openPostgres(url, 2);
    await migrate(handle);
    await handle.close();
    const db = new pg.Pool({ connectionString: url, max: 8 });
    db.on('error', () => {}); // DROP … WITH (FORCE) ends idle connections: not an error here
    const now = new Date();
    const today = kyivDay(now);
    const centers = Array.from({ length: 10 }, (_, i) => `bench-c${String(i + 1).padStart(2, '0')}`);
    await seedCatalog(db, centers);
    // Release day: D+5 (inside the horizon, outside any lottery window). Browse reads D+1 … D+5.
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

    const port = await freePort();
    server = await startServer(url, port);
    const pid = server.pid as number;
    const client = new Client(port, CONNECTIONS);

    // ---- warm-up ----
    // A server at the release moment has been running for hours: its code is compiled and
    // optimised. A fresh process is not, so it first books places of another day (own
    // identities) and answers slot queries before anything is measured.
    const warmSlots = slots.filter((s) => s.day === days[3]);
    await runList(
      client,
      warmers.flatMap((p, i) => [
        {
          method: 'POST' as const,
          path: '/api/v1/bookings',
          headers: { cookie: `ezs=${p.token}` },
          body: JSON.stringify({ slotId: (warmSlots[i % warmSlots.length] as Slot).id, serviceId: SERVICE }),
        },
        {
          method: 'GET' as const,
          path: `/api/v1/centers/${centers[i % centers.length]}/slots?service=${SERVICE}&date=${days[i % 4]}`,
        },
      ]),
      CONNECTIONS,
    );

    // ---- release ----
    // Every identity tries one place (the places list in random order, repeated); the first
    // `greedy` identities also try 5 more, to prove the monthly limit of 4 under races.
    const attempts: Array<{ person: string; token: string; slot: Slot }> = [];
    const order = shuffle([...places]);
    people.forEach((p, i) => {
      attempts.push({ person: p.personId, token: p.token, slot: order[i % order.length] as Slot });
    });
    for (const p of people.slice(0, size.greedy))
      for (let k = 0; k < 5; k++)
        attempts.push({
          person: p.personId,
          token: p.token,
          slot: order[Math.floor(Math.random() * order.length)] as Slot,
        });
    shuffle(attempts);
    const requests: Req[] = attempts.map((a) => ({
      method: 'POST',
      path: '/api/v1/bookings',
      headers: { cookie: `ezs=${a.token}` },
      body: JSON.stringify({ slotId: a.slot.id, serviceId: SERVICE }),
    }));
    log(`bench: release — ${requests.length} booking attempts for ${places.length} places`);
    const rel = await runList(client, requests, CONNECTIONS);
    const ok = rel.results.filter((r) => r.status === 201);
    const statuses: Record<string, number> = {};
    for (const r of rel.results) {
      const code =
        r.status === 201 ? '201' : `${r.status} ${(JSON.parse(r.body) as { code?: string }).code ?? ''}`;
      statuses[code] = (statuses[code] ?? 0) + 1;
    }
    const lastOk = Math.max(...ok.map((r) => r.doneAt));
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
      p50Ms: ms(rel.histogram, 50),
      p95Ms: ms(rel.histogram, 95),
      p99Ms: ms(rel.histogram, 99),
      ...(await integrity(db)),
      rawPerSec: 0,
      ratio: 0,
      peakRssMb: 0,
      statuses,
    };

    // ---- browse ----
    if (!releaseOnly) log('bench: browse');
    const browse = await runFor(
      client,
      () => ({
        method: 'GET',
        path: `/api/v1/centers/${centers[Math.floor(Math.random() * centers.length)]}/slots?service=${SERVICE}&date=${days[Math.floor(Math.random() * 4)]}`,
      }),
      releaseOnly ? 0 : size.browseMs,
      CONNECTIONS,
    );
    // Freshness: a booking is visible in the very next read.
    const probeDay = days[0] as string;
    const probeCenter = centers[0] as string;
    const read = async () =>
      JSON.parse(
        (
          await client.send({
            method: 'GET',
            path: `/api/v1/centers/${probeCenter}/slots?service=${SERVICE}&date=${probeDay}`,
          })
        ).body,
      ) as Array<{ id: number; free: number }>;
    const before = await read();
    const target = before.find((s) => s.free > 0);
    let fresh = false;
    if (target) {
      const b = await client.send({
        method: 'POST',
        path: '/api/v1/bookings',
        headers: { cookie: `ezs=${spare.token}` },
        body: JSON.stringify({ slotId: target.id, serviceId: SERVICE }),
      });
      const after = await read();
      fresh = b.status === 201 && (after.find((s) => s.id === target.id)?.free ?? 0) === target.free - 1;
    }
    release.peakRssMb = peakRssMb(pid);
    client.close();

    // The server's pool is closed first: the raw run gets the 64 connections to itself.
    server.kill('SIGTERM');
    await new Promise((r) => server?.once('exit', r));
    server = undefined;

    // ---- raw ceiling (same claims, fresh places) ----
    log('bench: raw ceiling');
    await db.query(`DELETE FROM registrations WHERE center_id LIKE 'bench-c%'`);
    await db.query(`UPDATE slots SET booked = 0 WHERE center_id LIKE 'bench-c%'`);
    const raw = await rawCeiling(url, attempts);
    release.rawPerSec = Math.round(raw.perSec);
    release.ratio = Math.round((release.bookingsPerSec / raw.perSec) * 100) / 100;

    // ---- fairness ----
    if (!releaseOnly) log('bench: fairness');
    const fair = releaseOnly
      ? { botShareLottery: 0, botShareFcfs: 0, botEntrantShare: 0, placesLottery: 0, placesFcfs: 0 }
      : await fairnessScenario(url, { persons: size.persons, bots: size.bots, places: size.fairPlaces });
    await db.end();

    const result = {
      size: quick ? 'quick' : 'full',
      release,
      browse: {
        requestsPerSec: Math.round(browse.count / (browse.elapsedMs / 1000)),
        p99Ms: ms(browse.histogram, 99),
        p50Ms: ms(browse.histogram, 50),
        errors: browse.errors,
        fresh,
      },
      fairness: {
        botShareLottery: Math.round(fair.botShareLottery * 1000) / 1000,
        botShareFcfs: Math.round(fair.botShareFcfs * 1000) / 1000,
        botEntrantShare: Math.round(fair.botEntrantShare * 1000) / 1000,
        placesLottery: fair.placesLottery,
        placesFcfs: fair.placesFcfs,
      },
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
    const rows: Array<[string, string]> = [
      ['release: bookings/s', `${release.bookingsPerSec} (target ≥ 3000)`],
      ['release: attempts/s', String(release.attemptsPerSec)],
      [
        'release: latency p50/p95/p99',
        `${release.p50Ms} / ${release.p95Ms} / ${release.p99Ms} ms (p99 target ≤ 50)`,
      ],
      ['release: booked / places', `${release.booked} / ${places.length}`],
      [
        'release: overbooked, limit violations',
        `${release.overbooked}, ${release.limitViolations} (must be 0, 0)`,
      ],
      ['release: raw ceiling claims/s', String(release.rawPerSec)],
      ['release: ratio API/raw', `${release.ratio} (target ≥ 0.4)`],
      ['release: server peak RSS', `${release.peakRssMb} MB (target ≤ 300)`],
      ['release: answers', JSON.stringify(statuses)],
      ['browse: requests/s', `${result.browse.requestsPerSec} (target ≥ 15000)`],
      ['browse: p50/p99', `${result.browse.p50Ms} / ${result.browse.p99Ms} ms (p99 target ≤ 20)`],
      ['browse: fresh after booking', String(fresh)],
      [
        'fairness: bot share, lottery',
        `${(fair.botShareLottery * 100).toFixed(1)} % of ${fair.placesLottery}`,
      ],
      ['fairness: bot share, FCFS', `${(fair.botShareFcfs * 100).toFixed(1)} % of ${fair.placesFcfs}`],
      ['fairness: bots among entrants', `${(fair.botEntrantShare * 100).toFixed(1)} %`],
      [
        'machine',
        `${result.machine.cores} cores, ${result.machine.memoryGb} GB, PostgreSQL ${version}, Node ${process.version}, load ${loadBefore} → ${result.machine.loadAfter}`,
      ],
    ];
    const shown = releaseOnly ? rows.filter(([k]) => k.startsWith('release') || k === 'machine') : rows;
    const table = shown.map(([k, v]) => `${k.padEnd(40)} ${v}`).join('\n');
    console.log(`E-Запис bench (${result.size}${releaseOnly ? ', release only' : ''})\n${table}`);
    if (profile) console.log(`server CPU profile: ${PROFILE_DIR}`);
    if (asJson) console.log(JSON.stringify(result));
  } finally {
    if (server) {
      server.kill('SIGTERM');
      await new Promise((r) => server?.once('exit', r));
    }
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
