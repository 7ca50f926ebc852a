import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { solvedPayload } from '../fairness/pow-client.js';
import { addSlot, CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

/**
 * Bypass: a proof-of-work challenge was bound to nobody, so one solver (or a pool of solved
 * challenges) fed every bot identity; production accepted a difficulty of 10; public reads such
 * as /availability had no rate limit at all (SPEC 3.9: "bound to the session that fetched it").
 */
describe.each(testDatabases())('red team: proof-of-work bound to its session and scope, on %s', (kind) => {
  let h: Harness;
  let slot: number;
  beforeAll(async () => {
    h = await createHarness(kind, { env: { ANTIBOT: 'on' } });
    await seedCatalog(h.ctx.db);
    slot = await addSlot(h.ctx.db, { day: '2026-11-25', time: '10:00', capacity: 20 });
  });
  afterAll(() => h.close());

  const book = (cookie: string, altcha: string) =>
    h.app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { cookie },
      payload: { slotId: slot, serviceId: SERVICE.vehicle, altcha },
    });

  it('a challenge fetched and solved by A is refused from B', async () => {
    const a = await citizenCookie(h.app, { rnokpp: rnokpp(52001) });
    const b = await citizenCookie(h.app, { rnokpp: rnokpp(52002) });
    const solvedByA = await solvedPayload(h.app, { cookie: a.cookie });
    const res = await book(b.cookie, solvedByA.altcha);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'ANTIBOT_REQUIRED', reason: 'foreign' });
    // A can still use it: refusing B did not spend it.
    expect((await book(a.cookie, solvedByA.altcha)).statusCode).toBe(201);
  });

  it('a challenge fetched without a session is no good to any session', async () => {
    const a = await citizenCookie(h.app, { rnokpp: rnokpp(52003) });
    const anonymous = await solvedPayload(h.app);
    const res = await book(a.cookie, anonymous.altcha);
    expect(res.json()).toMatchObject({ code: 'ANTIBOT_REQUIRED', reason: 'foreign' });
  });

  it('the same person signed in twice: the second session cannot spend the first one’s challenge', async () => {
    const first = await citizenCookie(h.app, { rnokpp: rnokpp(52004) });
    const second = await citizenCookie(h.app, { rnokpp: rnokpp(52004) });
    const solved = await solvedPayload(h.app, { cookie: first.cookie });
    expect((await book(second.cookie, solved.altcha)).json()).toMatchObject({ reason: 'foreign' });
  });

  it('a challenge fetched for another scope does not pay for a booking', async () => {
    const a = await citizenCookie(h.app, { rnokpp: rnokpp(52005) });
    const res = await h.app.inject({
      url: '/api/v1/antibot/challenge?scope=logins',
      headers: { cookie: a.cookie },
    });
    expect(res.statusCode).toBe(200);
    const { solveChallenge } = await import('altcha-lib/v1');
    const c = res.json();
    const solution = await solveChallenge(c.challenge, c.salt, c.algorithm, c.maxnumber).promise;
    const altcha = Buffer.from(
      JSON.stringify({
        algorithm: c.algorithm,
        challenge: c.challenge,
        number: solution?.number,
        salt: c.salt,
        signature: c.signature,
      }),
    ).toString('base64');
    expect((await book(a.cookie, altcha)).json()).toMatchObject({
      code: 'ANTIBOT_REQUIRED',
      reason: 'scope',
    });
  });

  it('still single use for its own session', async () => {
    const a = await citizenCookie(h.app, { rnokpp: rnokpp(52006) });
    const solved = await solvedPayload(h.app, { cookie: a.cookie });
    expect((await book(a.cookie, solved.altcha)).statusCode).toBe(201);
    expect((await book(a.cookie, solved.altcha)).json()).toMatchObject({ reason: 'reused' });
  });
});

describe.each(testDatabases())('red team: public reads are rate limited, on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind, { env: { RATE_LIMITS: 'on', RATE_LIMIT_READS: '100/20' } });
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());

  it.each([
    [`/api/v1/centers/${CENTER}/availability?service=${SERVICE.vehicle}`],
    ['/api/v1/centers'],
    ['/api/v1/services'],
    ['/api/v1/antibot/challenge'],
    [`/api/v1/centers/${CENTER}/board`],
  ])('%s: one address is limited per minute, another is not', async (url) => {
    const from = `198.18.${randomInt(256)}.${randomInt(1, 255)}`;
    const codes: number[] = [];
    for (let i = 0; i < 25; i++) codes.push((await h.app.inject({ url, remoteAddress: from })).statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(20);
    expect(codes.slice(20)).toEqual([429, 429, 429, 429, 429]);
    expect((await h.app.inject({ url, remoteAddress: '198.19.0.1' })).statusCode).toBe(200);
  });

  it('the defaults are generous but finite: 120 per identity, 600 per address each minute', () => {
    const config = loadConfig({ NODE_ENV: 'development' });
    expect(config.fairness.rateLimits.reads).toEqual({ identity: 120, address: 600 });
  });
});

describe('red team: production refuses a trivial proof-of-work', () => {
  const key = Buffer.alloc(32, 7).toString('base64');
  const production = {
    NODE_ENV: 'production',
    PUBLIC_URL: 'https://e-zapys.example.gov.ua',
    DATABASE_URL: 'postgres://db/e',
    PII_KEYS: `k1:${key}`,
    PII_HMAC_KEY: key,
    SMTP_URL: 'smtp://mail:25',
    IDGOVUA_BASE_URL: 'https://id.gov.ua',
    IDGOVUA_CLIENT_ID: 'mvs-e-zapys',
    IDGOVUA_CLIENT_SECRET: 'real-secret',
    STAFF_OIDC_ISSUER: 'https://sso.mvs.gov.ua/realms/staff',
    STAFF_OIDC_CLIENT_ID: 'e-zapys',
    STAFF_OIDC_CLIENT_SECRET: 'real-staff-secret',
    ANTIBOT_HMAC_KEY: key,
  };

  it('ANTIBOT_MAX_NUMBER=10 stops start-up with a one-line reason; the default and the floor start', () => {
    let error: unknown;
    try {
      loadConfig({ ...production, ANTIBOT_MAX_NUMBER: '10' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/ANTIBOT_MAX_NUMBER/);
    expect((error as Error).message).not.toContain('\n');
    // The default and the floor pass this check (whatever else production may still ask for).
    const refusalOf = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return 'started';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(refusalOf(production)).not.toMatch(/ANTIBOT_MAX_NUMBER/);
    expect(refusalOf({ ...production, ANTIBOT_MAX_NUMBER: '50000' })).not.toMatch(/ANTIBOT_MAX_NUMBER/);
    expect(refusalOf({ ...production, ANTIBOT_MAX_NUMBER: '49999' })).toMatch(/ANTIBOT_MAX_NUMBER/);
    expect(loadConfig({ NODE_ENV: 'development' }).fairness.antibotMaxNumber).toBe(1_000);
  });
});
