import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isDatabaseUnavailable } from '../../src/platform/db-errors.js';
import { StoreError } from '../../src/platform/problems.js';
import { callNext, DESK, kiosk, TODAY } from '../hall/hall-support.js';
import { type ClusterApp, clusterApp, openSse, until } from '../support/cluster-app.js';
import { addSlot, CENTER, seedCatalog } from '../support/fixtures.js';
import { createHarness, staffCookie } from '../support/harness.js';
import { type PgCluster, requirePgCluster, startPgCluster } from '../support/pg-cluster.js';

const CONNECT_MS = 1_000;
const STATEMENT_MS = 1_500;
// The client gives up on a silent server a second after the statement timeout.
const READ_MS = STATEMENT_MS + 1_000;

async function timed(url: string, init: RequestInit = {}) {
  const started = Date.now();
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  const body = await res.text();
  return { status: res.status, headers: res.headers, body, ms: Date.now() - started };
}

function expectUnavailable(r: Awaited<ReturnType<typeof timed>>, logs: ClusterApp['logs'] = []) {
  expect(r.status, `${r.body} ${JSON.stringify(logs.filter((l) => l.level >= 50))}`).toBe(503);
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(r.headers.get('retry-after')).toBe('5');
  const problem = JSON.parse(r.body) as Record<string, unknown>;
  expect(problem).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
  expect(problem.detail).toMatch(/тимчасово недоступний/);
  expect(r.body).not.toMatch(/stack|at \w+ \(|node_modules|ECONNREFUSED|57P0/);
}

describe.runIf(requirePgCluster())(
  'SPEC §6: the database goes away and comes back (own PostgreSQL cluster)',
  () => {
    let cluster: PgCluster;
    let app: ClusterApp | undefined;
    beforeAll(async () => {
      cluster = await startPgCluster();
    });
    afterEach(async () => {
      cluster.thaw();
      await app?.close();
      app = undefined;
      vi.restoreAllMocks();
    });
    afterAll(() => cluster?.destroy());

    it('a board stream opened before pg_terminate_backend receives a resync, then the next call', async () => {
      app = await clusterApp(cluster, { connectTimeoutMs: CONNECT_MS, statementTimeoutMs: STATEMENT_MS });
      const { ctx } = app;
      await seedCatalog(ctx.db);
      await addSlot(ctx.db, { day: TODAY, time: '08:30', capacity: 5, pool: 'terminal', minutes: 60 });
      const term = await staffCookie(app.app, 'terminal', CENTER);
      const op = await staffCookie(app.app, 'operator', CENTER);
      for (const seed of [1, 2]) expect((await kiosk(app.app, term, { seed })).statusCode).toBe(201);

      const sse = openSse(`${app.base}/api/v1/centers/${CENTER}/board/events`);
      await sse.opened;
      await until(() => sse.state.text.includes(': connected'), 5_000, 'stream open');
      expect((await callNext(app.app, op, DESK.d1)).statusCode).toBe(200);
      await until(() => sse.events().some((e) => e.event === 'called'), 5_000, 'first call on the board');

      expect(await cluster.terminate(app.database)).toBeGreaterThan(0);
      await until(() => sse.events().some((e) => e.event === 'resync'), 10_000, 'resync');
      expect(ctx.handle.listenerStatus()).toMatchObject({ state: 'listening', reconnects: 1 });

      // The next call after the drop reaches the board that was open before it.
      await until(
        async () => (await callNext(app?.app as ClusterApp['app'], op, DESK.d2)).statusCode === 200,
        5_000,
      );
      await until(
        () => sse.events().filter((e) => e.event === 'called').length === 2,
        5_000,
        'call after the drop',
      );
      const events = sse.events();
      expect(events.map((e) => e.event)).toEqual(['called', 'resync', 'called']);
      expect(events[2]?.data.number).not.toBe(events[0]?.data.number);
      sse.close();
    });

    it('a board client that leaves while the stream subscribes leaves no handler and no heartbeat behind', async () => {
      // Long enough for the lock below to hold the subscriptions without a statement timeout.
      app = await clusterApp(cluster, { connectTimeoutMs: CONNECT_MS, statementTimeoutMs: 10_000 });
      const { ctx } = app;
      await seedCatalog(ctx.db);
      // Heartbeats of board streams: intervals set by the SSE handler and never cleared.
      const heartbeats = new Set<unknown>();
      const realSet = globalThis.setInterval;
      const realClear = globalThis.clearInterval;
      vi.spyOn(globalThis, 'setInterval').mockImplementation(((fn: () => void, ms?: number) => {
        const t = realSet(fn, ms);
        if (new Error().stack?.includes('hall-routes')) heartbeats.add(t);
        return t;
      }) as typeof setInterval);
      vi.spyOn(globalThis, 'clearInterval').mockImplementation(((t: NodeJS.Timeout) => {
        heartbeats.delete(t);
        realClear(t);
      }) as typeof clearInterval);
      const before = ctx.handle.listenerStatus().subscribers;

      // The center lookup of subscribe() waits behind this lock while the clients give up.
      const locker = new pg.Client({ connectionString: cluster.url(app.database) });
      await locker.connect();
      await locker.query('BEGIN; LOCK TABLE centers IN ACCESS EXCLUSIVE MODE');
      const streams = Array.from({ length: 5 }, () =>
        openSse(`${app?.base}/api/v1/centers/${CENTER}/board/events`),
      );
      const waiting = async () =>
        Number(
          (
            await locker.query(
              "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND wait_event_type = 'Lock'",
              [app?.database],
            )
          ).rows[0].n,
        );
      const connections = () =>
        new Promise<number>((resolve) => app?.app.server.getConnections((_e, n) => resolve(n)));
      // All five requests are in the handler, at least one already waiting for the lock.
      await until(
        async () => (await connections()) >= 5 && (await waiting()) >= 1,
        5_000,
        'subscriptions waiting',
      );
      await new Promise((r) => setTimeout(r, 300));
      for (const s of streams) s.close();
      await new Promise((r) => setTimeout(r, 300));
      await locker.query('ROLLBACK');
      // Every subscribe() goes on now; give the handlers a moment to finish and clean up.
      await until(async () => (await waiting()) === 0, 5_000);
      await new Promise((r) => setTimeout(r, 500));
      await locker.end();
      expect(ctx.handle.listenerStatus().subscribers).toBe(before);
      expect(heartbeats.size).toBe(0);

      // A stream that stays still works, and its end cleans up too.
      const kept = openSse(`${app.base}/api/v1/centers/${CENTER}/board/events`);
      await until(() => kept.state.text.includes(': connected'), 5_000);
      expect(ctx.handle.listenerStatus().subscribers).toBe(before + 1);
      expect(heartbeats.size).toBe(1);
      kept.close();
      await until(() => heartbeats.size === 0 && ctx.handle.listenerStatus().subscribers === before, 5_000);
    });

    it('a frozen database: requests answer 503 within the read timeout instead of hanging; a stopped one at once; both recover', async () => {
      app = await clusterApp(cluster, { connectTimeoutMs: CONNECT_MS, statementTimeoutMs: STATEMENT_MS });
      const { base } = app;
      await seedCatalog(app.ctx.db);
      const board = `${base}/api/v1/centers/${CENTER}/board`;
      expect((await timed(board)).status).toBe(200);

      cluster.freeze();
      try {
        const answers = await Promise.all([
          timed(board),
          timed(board),
          timed(`${base}/api/v1/centers/${CENTER}/slots?service=svc-vehicle-registration&date=2026-11-25`),
          timed(`${base}/dev/session`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ role: 'operator', centerId: CENTER }),
          }),
        ]);
        for (const r of answers) {
          expectUnavailable(r, app?.logs);
          // At most one read timeout, or one connect timeout, plus scheduling slack.
          expect(r.ms).toBeLessThan(READ_MS + CONNECT_MS + 1_500);
        }
        const ready = await timed(`${base}/readyz`);
        expect(ready.status).toBe(503);
        expect(ready.ms).toBeLessThan(3_000);
        const health = await timed(`${base}/healthz`);
        expect([health.status, health.ms < 1_000]).toEqual([200, true]);
      } finally {
        cluster.thaw();
      }
      await until(async () => (await timed(board)).status === 200, 10_000, 'recovery after thaw');

      cluster.stop();
      try {
        const r = await timed(board);
        expectUnavailable(r, app?.logs);
        expect(r.ms).toBeLessThan(CONNECT_MS + 500);
        expect((await timed(`${base}/readyz`)).status).toBe(503);
        expect((await timed(`${base}/healthz`)).status).toBe(200);
      } finally {
        cluster.start();
      }
      await until(async () => (await timed(`${base}/readyz`)).status === 200, 15_000, 'ready after restart');
      expect((await timed(board)).status).toBe(200);
      // Every failure was answered as expected: nothing reached the log as an unhandled error.
      expect(app.logs.filter((l) => l.level >= 50)).toEqual([]);
    }, 60_000);
  },
);

describe('SPEC §6: which errors mean "the database is away" (503) and which do not', () => {
  const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  it.each([
    ['57P01 admin_shutdown (pg_terminate_backend, a fast stop)', withCode('57P01')],
    ['57P02 crash_shutdown', withCode('57P02')],
    ['57P03 cannot_connect_now (starting up)', withCode('57P03')],
    ['08006 connection_failure', withCode('08006')],
    ['57014 statement timeout', withCode('57014')],
    ['25006 read-only transaction (a demoted primary)', withCode('25006')],
    [
      'ECONNREFUSED inside an AggregateError (IPv4 and IPv6 tried)',
      new AggregateError([withCode('ECONNREFUSED')]),
    ],
    [
      'a lost connection wrapped by a store',
      new StoreError('book', new Error('Connection terminated unexpectedly')),
    ],
    ['the pool waited too long', new Error('timeout exceeded when trying to connect')],
    ['the server did not answer', new Error('Query read timeout')],
  ])('%s → 503', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });
  it.each([
    ['23505 unique violation', withCode('23505')],
    ['40001 serialization failure (retried by the caller)', withCode('40001')],
    ['a bug', new TypeError('x is undefined')],
    ['a store error caused by a bug', new StoreError('book', new RangeError('bad'))],
  ])('%s → not 503', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe('SPEC §6: /readyz waits for the migrations of this code', () => {
  it('a database without the newest migration is not ready; /healthz still says alive', async () => {
    const h = await createHarness('pglite');
    try {
      expect((await h.app.inject({ url: '/readyz' })).statusCode).toBe(200);
      // The migrations' own bookkeeping table is not part of the typed schema.
      const newest = (
        await sql<{ name: string }>`SELECT name FROM schema_migrations ORDER BY name DESC LIMIT 1`.execute(
          h.ctx.db,
        )
      ).rows[0] as { name: string };
      await sql`DELETE FROM schema_migrations WHERE name = ${newest.name}`.execute(h.ctx.db);
      const res = await h.app.inject({ url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json()).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        database: 'reachable',
        pendingMigrations: [newest.name],
      });
      expect((await h.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await h.close();
    }
    // Builds and migrates its own database inside the test, like a hook.
  }, 60_000);
});
