import { randomInt } from 'node:crypto';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, fastifyTrustProxy, parseTrustProxy, trustedAddresses } from '../../src/config.js';
import { CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { createHarness, type Harness, rnokpp } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

/**
 * Bypass: a client-sent X-Forwarded-For chose the address every per-address mechanism counts
 * (SPEC 3.9: "a client-sent X-Forwarded-For is never believed" unless TRUST_PROXY names the
 * proxy). Each request below comes from one TCP peer with a fresh forged header.
 */
const forged = () => `${randomInt(1, 223)}.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
/** A documentation-range peer per test, so counters of one test never meet another's. */
const peer = () => `198.51.${randomInt(0, 100)}.${randomInt(1, 255)}`;

describe.each(testDatabases())('red team: spoofed X-Forwarded-For, no proxy configured, on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    // The default login limit (30 per address per minute); slot polling lowered to keep it quick.
    h = await createHarness(kind, {
      env: { RATE_LIMITS: 'on', ANTIBOT: 'on', RATE_LIMIT_SLOTS: '100/20' },
    });
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());

  it('35 logins from one address with a different X-Forwarded-For each: limited after 30', async () => {
    const from = peer();
    const codes: number[] = [];
    for (let i = 0; i < 35; i++) {
      const res = await h.app.inject({
        url: '/auth/citizen/login',
        remoteAddress: from,
        headers: { 'x-forwarded-for': forged() },
      });
      codes.push(res.statusCode);
    }
    expect(codes.slice(0, 30).every((c) => c === 302)).toBe(true);
    expect(codes.slice(30)).toEqual([429, 429, 429, 429, 429]);
  });

  it('slot queries with a rotating X-Forwarded-For are limited per peer', async () => {
    const from = peer();
    const codes: number[] = [];
    for (let i = 0; i < 25; i++) {
      const res = await h.app.inject({
        url: `/api/v1/centers/${CENTER}/slots?service=${SERVICE.vehicle}&date=2026-11-25`,
        remoteAddress: from,
        headers: { 'x-forwarded-for': forged() },
      });
      codes.push(res.statusCode);
    }
    expect(codes.filter((c) => c === 200)).toHaveLength(20);
    expect(codes.filter((c) => c === 429)).toHaveLength(5);
  });

  it("a flagged address's raised proof-of-work difficulty is not dodged with a fresh header", async () => {
    const from = peer();
    const challenge = (xff: string) =>
      h.app.inject({
        url: '/api/v1/antibot/challenge',
        remoteAddress: from,
        headers: { 'x-forwarded-for': xff },
      });
    const base = (await challenge(forged())).json().maxnumber as number;
    // Heavy polling (over half the per-address minute) flags the address.
    for (let i = 0; i < 15; i++) {
      await h.app.inject({
        url: `/api/v1/centers/${CENTER}/slots?service=${SERVICE.vehicle}&date=2026-11-25`,
        remoteAddress: from,
        headers: { 'x-forwarded-for': forged() },
      });
    }
    const raised = (await challenge(forged())).json().maxnumber as number;
    expect(raised).toBeGreaterThan(base);
  });

  it('audit_log.ip and the booking-attempt record name the TCP peer, not the forged value', async () => {
    const from = peer();
    const lie = forged();
    const login = await h.app.inject({
      method: 'POST',
      url: '/dev/session',
      remoteAddress: from,
      headers: { 'x-forwarded-for': lie },
      payload: { rnokpp: rnokpp(51001), lastName: 'Гончар', firstName: 'Олесь' },
    });
    expect(login.statusCode).toBe(200);
    const personId = login.json().personId as string;
    const rows = await h.ctx.db
      .selectFrom('audit_log')
      .select('ip')
      .where('actor_id', '=', personId)
      .where('action', '=', 'login')
      .execute();
    expect(rows.map((r) => r.ip)).toEqual([from]);

    await h.app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      remoteAddress: from,
      headers: { 'x-forwarded-for': lie, cookie: `ezs=${login.json().token}` },
      payload: { slotId: 1, serviceId: SERVICE.vehicle },
    });
    await h.ctx.fairness.attempts.flush();
    const attempts = await h.ctx.db
      .selectFrom('booking_attempts')
      .select('ip')
      .where('person_id', '=', personId)
      .execute();
    expect(attempts.map((a) => a.ip)).toEqual([from]);
  });
});

describe.each(testDatabases())('red team: X-Forwarded-For from a configured proxy, on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind, { env: { RATE_LIMITS: 'on', TRUST_PROXY: '127.0.0.1' } });
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());

  it('TRUST_PROXY=127.0.0.1: the client address that proxy forwards is believed', async () => {
    const client = forged();
    const login = await h.app.inject({
      method: 'POST',
      url: '/dev/session',
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': client },
      payload: { rnokpp: rnokpp(51002), lastName: 'Гончар', firstName: 'Олесь' },
    });
    const row = await h.ctx.db
      .selectFrom('audit_log')
      .select('ip')
      .where('actor_id', '=', login.json().personId)
      .executeTakeFirstOrThrow();
    expect(row.ip).toBe(client);
  });

  it('clients behind the proxy have their own budgets; a peer that is not the proxy is not believed', async () => {
    const login = (remoteAddress: string, xff: string) =>
      h.app.inject({ url: '/auth/citizen/login', remoteAddress, headers: { 'x-forwarded-for': xff } });
    const a = forged();
    for (let i = 0; i < 30; i++) expect((await login('127.0.0.1', a)).statusCode).toBe(302);
    expect((await login('127.0.0.1', a)).statusCode).toBe(429);
    expect((await login('127.0.0.1', forged())).statusCode).toBe(302);

    const outsider = peer();
    for (let i = 0; i < 30; i++) await login(outsider, forged());
    expect((await login(outsider, forged())).statusCode).toBe(429);
  });
});

describe('red team: TRUST_PROXY values', () => {
  const ipBehind = async (setting: string | undefined, remoteAddress: string, xff: string) => {
    const app = Fastify({ trustProxy: fastifyTrustProxy(parseTrustProxy(setting)) });
    app.get('/', async (request) => ({ ip: request.ip }));
    const res = await app.inject({ url: '/', remoteAddress, headers: { 'x-forwarded-for': xff } });
    await app.close();
    return res.json().ip as string;
  };

  it('unset: the TCP peer, whatever the header says', async () => {
    expect(await ipBehind(undefined, '203.0.113.5', '6.6.6.6')).toBe('203.0.113.5');
  });

  it('a hop count of 1 believes only the entry our proxy appended, not what the client sent before it', async () => {
    // The client sent "X-Forwarded-For: 6.6.6.6"; nginx appended the address it saw.
    expect(await ipBehind('1', '10.0.0.2', '6.6.6.6, 198.51.100.23')).toBe('198.51.100.23');
  });

  it('an address list believes only those peers; a CIDR range works too', async () => {
    expect(await ipBehind('10.0.0.0/8', '10.1.2.3', '198.51.100.23')).toBe('198.51.100.23');
    expect(await ipBehind('10.0.0.0/8', '192.0.2.9', '198.51.100.23')).toBe('192.0.2.9');
  });

  it('names, IPv6 ranges and IPv4-mapped peers mean what proxy-addr meant by them', async () => {
    expect(await ipBehind('loopback', '127.3.2.1', '198.51.100.23')).toBe('198.51.100.23');
    expect(await ipBehind('loopback', '::1', '198.51.100.23')).toBe('198.51.100.23');
    expect(await ipBehind('uniquelocal', '172.20.0.5', '198.51.100.23')).toBe('198.51.100.23');
    expect(await ipBehind('uniquelocal', '172.32.0.5', '198.51.100.23')).toBe('172.32.0.5');
    expect(await ipBehind('2001:db8::/32', '2001:db8::7', '198.51.100.23')).toBe('198.51.100.23');
    expect(await ipBehind('127.0.0.1', '::ffff:127.0.0.1', '198.51.100.23')).toBe('198.51.100.23');
    expect(await ipBehind('::ffff:10.0.0.2', '10.0.0.2', '198.51.100.23')).toBe('198.51.100.23');
    // A chain of our proxies is walked until the first address that is not one of them.
    expect(await ipBehind('10.0.0.0/8', '10.0.0.2', '6.6.6.6, 198.51.100.23, 10.0.0.9')).toBe(
      '198.51.100.23',
    );
  });

  it('only an address can be a proxy: junk in the header stops the walk, it is never trusted', () => {
    const trusted = trustedAddresses(['10.0.0.0/8', 'loopback']);
    for (const junk of ['', 'unknown', '10.0.0', '10.0.0.1.5', '10.0.0.1:80', '[::1]', 'localhost'])
      expect(trusted(junk), junk).toBe(false);
    expect(trusted('10.255.255.255')).toBe(true);
    expect(trusted('11.0.0.0')).toBe(false);
  });

  it.each(['true', '*', '0.0.0.0/0', '::/0', '0', 'nginx', '10.0.0.0/33'])(
    'TRUST_PROXY=%j (trusting everyone, or not an address) refuses to start',
    (value) => {
      expect(() => parseTrustProxy(value)).toThrow(ConfigError);
    },
  );
});
