import { randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { type AppContext, createContext } from '../../src/context.js';
import { openPostgres } from '../../src/platform/db.js';
import { addSlot, CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { requirePostgres, testDatabases } from '../support/test-db.js';

const limits = {
  RATE_LIMITS: 'on',
  RATE_LIMIT_SLOTS: '4/6',
  RATE_LIMIT_BOOKINGS: '2/100',
  RATE_LIMIT_LOGINS: '100/100',
};
/** A fresh address per test (counters of earlier runs may still live in Redis for a minute). */
const freshIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

describe.each(testDatabases())('rule 9: rate limits on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind, { env: limits });
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());

  const slots = (ip: string, cookie?: string) =>
    h.app.inject({
      url: `/api/v1/centers/${CENTER}/slots?service=${SERVICE.vehicle}&date=2026-11-25`,
      remoteAddress: ip,
      headers: cookie ? { cookie } : {},
    });

  it('slot queries per network address: over the limit → 429 RATE_LIMITED with Retry-After', async () => {
    const ip = freshIp();
    for (let i = 0; i < 6; i++) expect((await slots(ip)).statusCode).toBe(200);
    const res = await slots(ip);
    expect(res.statusCode).toBe(429);
    expect(res.json().code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await slots(freshIp())).statusCode).toBe(200); // another address is not affected
  });

  it('booking attempts per identity, whatever address they come from', async () => {
    // Two days: one active registration per person, day and service group (rule 1).
    const first = await addSlot(h.ctx.db, { day: '2026-11-26', time: '10:00', capacity: 10 });
    const second = await addSlot(h.ctx.db, { day: '2026-11-27', time: '10:00', capacity: 10 });
    const p = await citizenCookie(h.app, { rnokpp: rnokpp(9001) });
    const book = (slotId: number) =>
      h.client.book({ cookie: p.cookie, remoteAddress: freshIp() }, { slotId });
    expect((await book(first)).statusCode).toBe(201);
    expect((await book(second)).statusCode).toBe(201);
    const third = await book(second);
    expect(third.statusCode).toBe(429);
    expect(third.headers['retry-after']).toBeDefined();
  });
});

async function secondInstance(
  h: Harness,
  env: Record<string, string>,
): Promise<{ app: FastifyInstance; ctx: AppContext }> {
  if (!h.handle.url) throw new Error('needs PostgreSQL');
  const handle = await openPostgres(h.handle.url, 5);
  const config = { ...h.config, redisUrl: env.REDIS_URL };
  const ctx = createContext({ config, handle, clock: h.clock });
  const app = await buildApp(ctx);
  await app.ready();
  return {
    app,
    ctx: {
      ...ctx,
      async stop() {
        await ctx.stop();
        await handle.close();
      },
    },
  };
}

const shared = [
  ['PostgreSQL', {}],
  ...(process.env.TEST_REDIS_URL ? [['Redis', { REDIS_URL: process.env.TEST_REDIS_URL }]] : []),
] as Array<[string, Record<string, string>]>;

describe.runIf(requirePostgres()).each(shared)(
  'rule 9: limits hold across two instances (%s counters)',
  (_name, env) => {
    let h: Harness;
    let b: { app: FastifyInstance; ctx: AppContext };
    beforeAll(async () => {
      h = await createHarness('postgres', { env: { ...limits, ...env } });
      await seedCatalog(h.ctx.db);
      b = await secondInstance(h, env);
    });
    afterAll(async () => {
      await b.app.close();
      await b.ctx.stop();
      await h.close();
    });

    it('requests spread over two servers share one budget per address', async () => {
      const ip = freshIp();
      const url = `/api/v1/centers/${CENTER}/slots?service=${SERVICE.vehicle}&date=2026-11-25`;
      const on = (app: FastifyInstance) => app.inject({ url, remoteAddress: ip });
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) {
        codes.push((await on(h.app)).statusCode);
        codes.push((await on(b.app)).statusCode);
      }
      // 6 per address per minute in total, not 6 per server.
      expect(codes.filter((c) => c === 200)).toHaveLength(6);
      expect(codes.filter((c) => c === 429)).toHaveLength(2);
    });

    it('the PostgreSQL counters are an unlogged table: a take writes no WAL and waits for no flush (#19)', async () => {
      const { rows } = await sql<{ persistence: string }>`
        SELECT relpersistence AS persistence FROM pg_class WHERE oid = 'rate_limits'::regclass`.execute(
        h.ctx.db,
      );
      expect(rows[0]?.persistence).toBe('u');
    });

    it('parallel requests on both servers cannot overshoot the budget', async () => {
      const ip = freshIp();
      const url = `/api/v1/centers/${CENTER}/slots?service=${SERVICE.vehicle}&date=2026-11-25`;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? h.app : b.app).inject({ url, headers: { 'x-forwarded-for': ip } }),
        ),
      );
      expect(results.filter((r) => r.statusCode === 200)).toHaveLength(6);
    });
  },
);
