import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/platform/crypto.js';
import { seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

/**
 * Issue #19: an authenticated request writes the session's last-seen time only when the stored
 * one is over a minute old (not one UPDATE per request), and idle expiry stays correct.
 */
describe.each(testDatabases())('sessions: the last-seen write is throttled on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind, { env: { SESSION_IDLE_MINUTES: '30' } });
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());

  const me = (cookie: string) => h.app.inject({ url: '/api/v1/me', headers: { cookie } });
  const lastSeen = async (cookie: string) => {
    const token = cookie.replace(/^ezs=/, '').split(';')[0] ?? '';
    const row = await h.ctx.db
      .selectFrom('sessions')
      .select('last_seen_at')
      .where('id_hash', '=', sha256(token))
      .executeTakeFirstOrThrow();
    return new Date(row.last_seen_at).getTime();
  };

  it('requests within a minute write nothing; the first one after it moves last-seen; idle expiry holds', async () => {
    const { cookie } = await citizenCookie(h.app, { rnokpp: rnokpp(9301) });
    const created = await lastSeen(cookie);
    for (let i = 0; i < 5; i++) {
      h.clock.advance(10_000);
      expect((await me(cookie)).statusCode).toBe(200);
    }
    expect(await lastSeen(cookie)).toBe(created); // 50 s of requests: no write
    h.clock.advance(11_000);
    expect((await me(cookie)).statusCode).toBe(200);
    const touched = await lastSeen(cookie);
    expect(touched).toBe(h.clock.now().getTime()); // 61 s: written
    // Idle expiry counts from the last write: 29 minutes later the session lives and is written…
    h.clock.advance(29 * 60_000);
    expect((await me(cookie)).statusCode).toBe(200);
    expect(await lastSeen(cookie)).toBe(h.clock.now().getTime());
    // …and 30 minutes and a second without a request end it.
    h.clock.advance(30 * 60_000 + 1000);
    expect((await me(cookie)).statusCode).toBe(401);
  });
});
