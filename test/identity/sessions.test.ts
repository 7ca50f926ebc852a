import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSlot, CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

describe.each(testDatabases())('sessions and CSRF on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind, { env: { SESSION_IDLE_MINUTES: '30', SESSION_ABSOLUTE_HOURS: '12' } });
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());

  const me = (cookie: string) => h.app.inject({ url: '/api/v1/me', headers: { cookie } });

  it('the session cookie is httpOnly, SameSite=Lax, path /, and the table keeps only a hash', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/dev/session',
      payload: { rnokpp: rnokpp(501), lastName: 'Тест', firstName: 'Кука' },
    });
    const cookie = res.cookies.find((c) => c.name === 'ezs');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    // Secure only outside localhost: production sets it (secureCookies = production).
    expect(cookie?.secure).toBeFalsy();
    const rows = await h.ctx.db.selectFrom('sessions').select('id_hash').execute();
    expect(rows.some((r) => r.id_hash === cookie?.value)).toBe(false);
  });

  it('idle expiry: 30 minutes without a request ends a citizen session; activity keeps it', async () => {
    const { cookie } = await citizenCookie(h.app, { rnokpp: rnokpp(502) });
    h.clock.advance(29 * 60_000);
    expect((await me(cookie)).statusCode).toBe(200);
    h.clock.advance(29 * 60_000);
    expect((await me(cookie)).statusCode).toBe(200);
    h.clock.advance(31 * 60_000);
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('absolute expiry: 12 hours end a session however active it is', async () => {
    const { cookie } = await citizenCookie(h.app, { rnokpp: rnokpp(503) });
    for (let i = 0; i < 24; i++) {
      h.clock.advance(29 * 60_000);
      const status = (await me(cookie)).statusCode;
      if (i < 24 && (i + 1) * 29 < 12 * 60) expect(status).toBe(200);
    }
    h.clock.advance(29 * 60_000);
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('device sessions have no idle expiry, only the absolute one', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/dev/session',
      payload: { role: 'terminal', centerId: CENTER },
    });
    const cookie = `ezs=${res.json().token}`;
    h.clock.advance(3 * 3600_000);
    expect(
      (await h.app.inject({ url: `/api/v1/centers/${CENTER}/desks`, headers: { cookie } })).statusCode,
    ).toBe(200);
    h.clock.advance(10 * 3600_000);
    expect(
      (await h.app.inject({ url: `/api/v1/centers/${CENTER}/desks`, headers: { cookie } })).statusCode,
    ).toBe(401);
  });

  it('rotation: signing in again replaces the old session token', async () => {
    const first = await citizenCookie(h.app, { rnokpp: rnokpp(504) });
    const res = await h.app.inject({
      method: 'POST',
      url: '/dev/session',
      headers: { cookie: first.cookie },
      payload: { rnokpp: rnokpp(504), lastName: 'Шевченко', firstName: 'Тарас' },
    });
    expect((await me(first.cookie)).statusCode).toBe(401);
    expect((await me(`ezs=${res.json().token}`)).statusCode).toBe(200);
  });

  describe('CSRF: a state-changing cookie request must come from our own origin', () => {
    // A distinct person per case: a random number collided now and then, and the same
    // person's second booking of the day is refused (one active registration per day).
    let nextPerson = 600;
    async function cancelWith(headers: Record<string, string>) {
      nextPerson += 1;
      const { cookie } = await citizenCookie(h.app, { rnokpp: rnokpp(nextPerson) });
      const slotId = await addSlot(h.ctx.db, {
        day: '2026-11-27',
        time: `1${Math.floor(Math.random() * 6)}:${String(Math.floor(Math.random() * 60)).padStart(2, '0')}`,
        capacity: 5,
      }).catch(async () => {
        const row = await h.ctx.db
          .selectFrom('slots')
          .select('id')
          .where('day', '=', '2026-11-27')
          .executeTakeFirstOrThrow();
        return row.id;
      });
      const booked = await h.app.inject({
        method: 'POST',
        url: '/api/v1/bookings',
        headers: { cookie, 'idempotency-key': `csrf-${Math.random().toString(36).slice(2, 12)}` },
        payload: { slotId, serviceId: SERVICE.vehicle },
      });
      expect(booked.statusCode).toBe(201);
      return h.app.inject({
        method: 'POST',
        url: `/api/v1/bookings/${booked.json().id}/cancel`,
        headers: { cookie, host: 'e-zapys.example', ...headers },
      });
    }

    it.each([
      [{ 'sec-fetch-site': 'cross-site' }, 403],
      [{ 'sec-fetch-site': 'same-site' }, 403],
      [{ origin: 'https://evil.example' }, 403],
      [{ origin: 'not a url' }, 403],
      [{ 'sec-fetch-site': 'same-origin', origin: 'http://e-zapys.example' }, 200],
      [{ origin: 'http://e-zapys.example' }, 200],
      // Non-browser clients send neither header and carry no ambient-cookie risk.
      [{}, 200],
    ])('%j → %i', async (headers, status) => {
      const res = await cancelWith(headers);
      expect(res.statusCode).toBe(status);
      if (status === 403) expect(res.json().code).toBe('FORBIDDEN');
    });
  });
});

describe('Secure cookies outside localhost', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('pglite', { env: { PUBLIC_URL: 'https://e-zapys.example' } });
  });
  afterAll(() => h.close());

  it('an https public URL makes every session and flow cookie Secure', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/dev/session',
      payload: { rnokpp: rnokpp(701), lastName: 'Тест', firstName: 'Кука' },
    });
    expect(res.cookies.find((c) => c.name === 'ezs')?.secure).toBe(true);
    const login = await h.app.inject({ url: '/auth/citizen/login' });
    expect(login.cookies.find((c) => c.name === 'ezs_flow_c')).toMatchObject({
      secure: true,
      httpOnly: true,
      path: '/auth/',
    });
    expect(login.headers.location).toMatch(/^https:\/\/e-zapys\.example\/dev\/idgovua\/\?/);
  });
});
