import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/platform/clock.js';
import { openPostgres } from '../../src/platform/db.js';
import { createMetrics } from '../../src/platform/metrics.js';
import { kiosk } from '../hall/hall-support.js';
import { addSlot, CENTER, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { requirePostgres } from '../support/test-db.js';

/** The value of one series in Prometheus text format (undefined when absent). */
function sample(
  text: string,
  name: string,
  labels: Record<string, string | RegExp> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const got = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    const matches = ([k, v]: [string, string | RegExp]) =>
      typeof v === 'string' ? got[k] === v : v.test(got[k] ?? '');
    if (Object.entries(labels).every(matches)) return Number(match[3]);
  }
  return undefined;
}

describe('GET /metrics (SPEC §6: a national service is observable)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('pglite');
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());

  it('latency per route pattern (never the raw URL), registrations by outcome, outbox and hall queue', async () => {
    const slot = await addSlot(h.ctx.db, { day: '2026-11-25', time: '10:00', capacity: 1 });
    const a = await citizenCookie(h.app, { rnokpp: rnokpp(7101) });
    const b = await citizenCookie(h.app, { rnokpp: rnokpp(7102) });
    expect((await h.client.book({ cookie: a.cookie }, { slotId: slot })).statusCode).toBe(201);
    expect((await h.client.book({ cookie: b.cookie }, { slotId: slot })).json().code).toBe('SLOT_TAKEN');
    await addSlot(h.ctx.db, { day: '2026-11-23', time: '08:30', capacity: 3, pool: 'terminal', minutes: 60 });
    const term = await staffCookie(h.app, 'terminal', CENTER);
    expect((await kiosk(h.app, term, { seed: 1 })).statusCode).toBe(201);
    await h.app.inject({ url: `/api/v1/centers/${CENTER}/slots?date=2026-11-25` });
    h.clock.advance(10 * 60_000);

    const res = await h.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(
      sample(text, 'ezapys_http_request_duration_seconds_count', {
        method: 'GET',
        route: /^\/api\/v1\/centers\/:\w+\/slots$/,
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(`route="/api/v1/centers/${CENTER}/slots`);
    expect(
      sample(text, 'ezapys_http_request_duration_seconds_count', {
        route: '/api/v1/bookings',
        status_class: '4xx',
      }),
    ).toBe(1);
    expect(sample(text, 'ezapys_bookings_total', { channel: 'online', outcome: 'booked' })).toBe(1);
    expect(sample(text, 'ezapys_bookings_total', { channel: 'online', outcome: 'SLOT_TAKEN' })).toBe(1);
    expect(sample(text, 'ezapys_bookings_total', { channel: 'terminal', outcome: 'booked' })).toBe(1);
    // The booking's confirmation and the ticket's e-mail wait in the outbox (no worker runs here).
    expect(sample(text, 'ezapys_outbox_messages', { status: 'pending' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'ezapys_outbox_oldest_undelivered_age_seconds')).toBeGreaterThanOrEqual(600);
    // The walk-in waits since the ticket was issued, ten minutes ago on the server's clock.
    expect(sample(text, 'ezapys_queue_waiting', { center: CENTER })).toBe(1);
    expect(sample(text, 'ezapys_queue_longest_wait_seconds', { center: CENTER })).toBe(600);
    expect(sample(text, 'ezapys_metrics_database_up')).toBe(1);
    expect(sample(text, 'ezapys_event_listener_state', { state: 'listening' })).toBe(1);
    expect(sample(text, 'ezapys_event_listener_state', { state: 'reconnecting' })).toBe(0);
    // PGlite has no pool: no pool series rather than misleading zeros.
    expect(text).not.toContain('ezapys_db_pool_connections');
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('is not served to requests relayed by a proxy (the public internet) without the token', async () => {
    const res = await h.app.inject({ url: '/metrics', headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('FORBIDDEN');
    const remote = await h.app.inject({ url: '/metrics', remoteAddress: '203.0.113.9' });
    expect(remote.statusCode).toBe(403);
  });
});

describe.runIf(requirePostgres())('GET /metrics on PostgreSQL', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('postgres', { poolSize: 4 });
  });
  afterAll(() => h.close());

  it('shows the pool in use and the LISTEN connection state', async () => {
    const text = (await h.app.inject({ url: '/metrics' })).body;
    expect(sample(text, 'ezapys_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'ezapys_db_pool_connections', { state: 'total' })).toBeLessThanOrEqual(4);
    expect(sample(text, 'ezapys_db_pool_waiting_requests')).toBe(0);
    const states = ['idle', 'connecting', 'listening', 'reconnecting', 'closed'].map(
      (state) => sample(text, 'ezapys_event_listener_state', { state }) ?? 0,
    );
    expect(states.reduce((a, b) => a + b, 0)).toBe(1);
    expect(sample(text, 'ezapys_event_listener_reconnects')).toBe(0);
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  let h: Harness;
  const token = 'scrape-token-0123456789';
  beforeAll(async () => {
    h = await createHarness('pglite', { env: { METRICS_TOKEN: token } });
  });
  afterAll(() => h.close());

  it('answers only the bearer of the token, from any address', async () => {
    expect((await h.app.inject({ url: '/metrics' })).statusCode).toBe(403);
    const wrong = await h.app.inject({ url: '/metrics', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(403);
    const right = await h.app.inject({
      url: '/metrics',
      remoteAddress: '203.0.113.9',
      headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': '203.0.113.9' },
    });
    expect(right.statusCode).toBe(200);
    expect(right.body).toContain('ezapys_http_request_duration_seconds');
  });
});

describe('metrics when the database is away', () => {
  it('a scrape still answers, in time, and says the database read failed', async () => {
    // Nothing listens on port 1: every connection attempt fails.
    const handle = await openPostgres('postgres://postgres@127.0.0.1:1/none', 2);
    const app = Fastify();
    const metrics = createMetrics({ db: handle.db, clock: fixedClock('2026-11-23T07:00:00Z') });
    metrics.install(app, {});
    const started = Date.now();
    const res = await app.inject({ url: '/metrics' });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(res.statusCode).toBe(200);
    expect(sample(res.body, 'ezapys_metrics_database_up')).toBe(0);
    await app.close();
    await handle.close();
  });

  it('the lottery draw job: its duration is observed and its winners and losers counted', async () => {
    const app = Fastify();
    const handle = await openPostgres('postgres://postgres@127.0.0.1:1/none', 1);
    const metrics = createMetrics({ db: handle.db, clock: fixedClock('2026-11-23T07:00:00Z') });
    metrics.install(app, {});
    const [job] = metrics.timeJobs([
      {
        name: 'lottery-draw',
        everyMs: 1000,
        run: async () => [{ day: '2026-12-14', seed: 'x', entries: 5, won: 3, lost: 2 }],
      },
    ]);
    await job?.run();
    const text = await metrics.registry.metrics();
    expect(sample(text, 'ezapys_lottery_draw_duration_seconds_count')).toBe(1);
    expect(sample(text, 'ezapys_lottery_entries_total', { outcome: 'won' })).toBe(3);
    expect(sample(text, 'ezapys_lottery_entries_total', { outcome: 'lost' })).toBe(2);
    expect(sample(text, 'ezapys_job_duration_seconds_count', { job: 'lottery-draw' })).toBe(1);
    await app.close();
    await handle.close();
  });
});
