import { randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { type AppContext, createContext } from '../../src/context.js';
import { leaseExtra } from '../../src/fairness/rate-limits.js';
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
        Array.from({ length: 20 }, (_, i) => (i % 2 ? h.app : b.app).inject({ url, remoteAddress: ip })),
      );
      expect(results.filter((r) => r.statusCode === 200)).toHaveLength(6);
    });
  },
);

describe.runIf(requirePostgres())(
  'rule 9: public reads counted a few points at a time (PostgreSQL leases)',
  () => {
    // 40 reads per address a minute: a take may reserve 2 more (a 16th of the limit), until half.
    const env = { RATE_LIMITS: 'on', RATE_LIMIT_READS: '200/40' };
    let h: Harness;
    let b: { app: FastifyInstance; ctx: AppContext };
    beforeAll(async () => {
      h = await createHarness('postgres', { env });
      await seedCatalog(h.ctx.db);
      b = await secondInstance(h, {});
    });
    afterAll(async () => {
      await b.app.close();
      await b.ctx.stop();
      await h.close();
    });

    /** Rate-limit upserts sent so far (counted at pg's client, where every statement leaves). */
    let upserts = 0;
    const query = pg.Client.prototype.query;
    beforeAll(() => {
      // biome-ignore lint/suspicious/noExplicitAny: a counting wrapper around pg's overloads
      (pg.Client.prototype as any).query = function (this: pg.Client, ...args: any[]) {
        const c = args[0];
        if (/INSERT INTO rate_limits/.test(typeof c === 'string' ? c : String(c?.text ?? ''))) upserts += 1;
        // biome-ignore lint/suspicious/noExplicitAny: forwards every overload unchanged
        return (query as any).apply(this, args);
      };
    });
    afterAll(() => {
      pg.Client.prototype.query = query;
    });

    const read = (app: FastifyInstance, ip: string) =>
      app.inject({ url: '/api/v1/services', remoteAddress: ip });
    const passed = (codes: number[]) => codes.filter((c) => c === 200).length;

    it('the reservation: at most 4 points and a 16th of the limit, and none once the counter may be past half', () => {
      expect(leaseExtra(600, 0)).toBe(4);
      expect(leaseExtra(60, 0)).toBe(3);
      expect(leaseExtra(40, 0)).toBe(2);
      expect(leaseExtra(6, 0)).toBe(0);
      expect(leaseExtra(600, 295)).toBe(4);
      expect(leaseExtra(600, 296)).toBe(0);
    });

    it('one instance: exactly the limit is let through, and most reads make no statement', async () => {
      const ip = freshIp();
      const before = upserts;
      const codes: number[] = [];
      for (let i = 0; i < 45; i++) codes.push((await read(h.app, ip)).statusCode);
      expect(passed(codes)).toBe(40);
      expect(codes.slice(40)).toEqual([429, 429, 429, 429, 429]);
      // 3 reads a statement while the counter stays under half (20): 6 for the first 18 reads,
      // then one a read: 6 + 27 (the old code: 45).
      expect(upserts - before).toBe(33);
    });

    it('a scraper spreading its reads over two instances gets no more than the limit', async () => {
      const ip = freshIp();
      const codes: number[] = [];
      for (let i = 0; i < 45; i++) codes.push((await read(i % 2 ? b.app : h.app, ip)).statusCode);
      // A reservation left unused on one instance may refuse a read early (at most 2 each).
      expect(passed(codes)).toBeLessThanOrEqual(40);
      expect(passed(codes)).toBeGreaterThanOrEqual(36);
    });

    it('60 reads at once on two instances: no more than the limit', async () => {
      const ip = freshIp();
      const answers = await Promise.all(
        Array.from({ length: 60 }, (_, i) => read(i % 2 ? b.app : h.app, ip)),
      );
      const codes = answers.map((a) => a.statusCode);
      expect(passed(codes)).toBeLessThanOrEqual(40);
      expect(passed(codes)).toBeGreaterThanOrEqual(36);
    });
  },
);
