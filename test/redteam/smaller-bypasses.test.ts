import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { scrub } from '../../src/platform/logger.js';
import { addSlot, CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

/**
 * The smaller bypasses of the review, one block each: a misspelt NODE_ENV ran demo mode, a NUL
 * byte in a path answered 500, `Origin: null` passed the CSRF check and JSON routes took form
 * bodies, names took CR/LF and bidi controls, the log scrubber missed booklet passports, and an
 * operator could reveal the РНОКПП of any registration of the center.
 */
describe('red team: NODE_ENV spelt otherwise never means demo mode', () => {
  it.each(['Production', 'PRODUCTION', 'prod', 'production ', 'staging'])(
    'NODE_ENV=%j refuses to start, in one line',
    (value) => {
      let error: unknown;
      try {
        loadConfig({ NODE_ENV: value });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/NODE_ENV/);
      expect((error as Error).message).not.toContain('\n');
    },
  );
});

describe('red team: the log scrubber', () => {
  it('hides booklet passports next to Cyrillic, spaces, punctuation and underscores, and РНОКПП glued to text', () => {
    for (const text of [
      'паспорт КВ123456 пред’явлено',
      'паспорт: КВ 123456.',
      'номер=ВК123456;',
      '(МК765432)',
      'id_3012345670',
      'РНОКПП3012345670',
      'typed AB 654321',
    ]) {
      expect(scrub(text), text).not.toMatch(/\d{6}/);
    }
    expect(scrub('квиток 1042 о 10:30, 2026-11-23')).toBe('квиток 1042 о 10:30, 2026-11-23');
  });
});

describe.each(testDatabases())('red team: request hygiene, on %s', (kind) => {
  let h: Harness;
  let term: string;
  beforeAll(async () => {
    h = await createHarness(kind, { now: '2026-11-23T07:00:00Z' });
    await seedCatalog(h.ctx.db);
    await addSlot(h.ctx.db, { day: '2026-11-23', time: '09:00', capacity: 20, pool: 'terminal' });
    term = await staffCookie(h.app, 'terminal', CENTER);
  });
  afterAll(() => h.close());

  it.each([
    '/api/v1/centers/a%00b/slots?service=x&date=2026-11-25',
    `/api/v1/centers/${CENTER}/availability?service=%00`,
    '/api/v1/centers/x%00/board',
    '/%00',
  ])('a NUL byte in %s is a 400/404 problem, not a 500', async (url) => {
    const res = await h.app.inject({ url });
    expect([400, 404]).toContain(res.statusCode);
    expect(res.headers['content-type']).toMatch(/problem\+json|text\/html/);
  });

  it('a NUL byte inside a JSON body is a 400 problem, not a 500', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/centers/${CENTER}/terminal/registrations`,
      headers: { cookie: term },
      payload: {
        serviceId: SERVICE.vehicle,
        person: { lastName: 'Бойко\u0000', firstName: 'Ніна', rnokpp: rnokpp(55001), email: 'n@example.com' },
      },
    });
    expect(res.statusCode).toBe(400);
  });

  it('Origin: null without Sec-Fetch-Site fails the CSRF check of a cookie session', async () => {
    const p = await citizenCookie(h.app, { rnokpp: rnokpp(55002) });
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { cookie: p.cookie, origin: 'null' },
      payload: { slotId: 1, serviceId: SERVICE.vehicle },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('FORBIDDEN');
  });

  it('a JSON route refuses a form body (a cross-site form cannot post to the API)', async () => {
    const p = await citizenCookie(h.app, { rnokpp: rnokpp(55003) });
    for (const type of [
      'application/x-www-form-urlencoded',
      'text/plain',
      'multipart/form-data; boundary=x',
    ]) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/bookings',
        headers: { cookie: p.cookie, 'content-type': type },
        payload: 'slotId=1&serviceId=svc-vehicle-registration',
      });
      expect(res.statusCode, type).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, type).toBeLessThan(500);
      expect(res.json().code, type).not.toBe('NOT_FOUND');
      expect([400, 415]).toContain(res.statusCode);
    }
  });

  it.each([
    ['CR/LF', 'Бойко\r\nX-Injected: 1'],
    ['LF', 'Бойко\nІванович'],
    ['RLO (U+202E)', 'Бойко\u202Eокйоб'],
    ['LRI (U+2066)', '\u2066Бойко'],
    ['RLM (U+200F)', 'Бой\u200Fко'],
  ])('a name with %s is refused with VALIDATION at the kiosk', async (_what, lastName) => {
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/centers/${CENTER}/terminal/registrations`,
      headers: { cookie: term },
      payload: {
        serviceId: SERVICE.vehicle,
        person: { lastName, firstName: 'Ніна', rnokpp: rnokpp(55004), email: 'n@example.com' },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION');
  });

  it('an apostrophe and a hyphen stay fine in names', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/centers/${CENTER}/terminal/registrations`,
      headers: { cookie: term },
      payload: {
        serviceId: SERVICE.vehicle,
        person: {
          lastName: "Дем'яненко-Бойко",
          firstName: 'Ніна',
          rnokpp: rnokpp(55005),
          email: 'n@example.com',
        },
      },
    });
    expect(res.statusCode).toBe(201);
  });
});

describe.each(testDatabases())(
  'red team: the operator reveals only the ticket at their desk, on %s',
  (kind) => {
    let h: Harness;
    beforeAll(async () => {
      h = await createHarness(kind, { now: '2026-11-23T07:00:00Z' });
      await seedCatalog(h.ctx.db);
      await addSlot(h.ctx.db, { day: '2026-11-23', time: '09:00', capacity: 20, pool: 'terminal' });
    });
    afterAll(() => h.close());

    it("an uncalled future registration's РНОКПП is refused; the ticket called to one's own desk is shown", async () => {
      const online = await addSlot(h.ctx.db, { day: '2026-11-27', time: '10:00', capacity: 5 });
      const citizen = await citizenCookie(h.app, { rnokpp: rnokpp(55101) });
      const booked = await h.app.inject({
        method: 'POST',
        url: '/api/v1/bookings',
        headers: { cookie: citizen.cookie },
        payload: { slotId: online, serviceId: SERVICE.vehicle },
      });
      expect(booked.statusCode).toBe(201);
      const d1 = await staffCookie(h.app, 'operator', CENTER, `${CENTER}-d1`);
      const reveal = (cookie: string, id: string) =>
        h.app.inject({
          method: 'POST',
          url: `/api/v1/registrations/${id}/reveal-identity`,
          headers: { cookie },
        });
      const future = await reveal(d1, booked.json().id);
      expect([403, 404, 409]).toContain(future.statusCode);
      expect(future.body).not.toContain(rnokpp(55101));

      const term = await staffCookie(h.app, 'terminal', CENTER);
      const visitor = rnokpp(55102);
      const ticket = await h.app.inject({
        method: 'POST',
        url: `/api/v1/centers/${CENTER}/terminal/registrations`,
        headers: { cookie: term },
        payload: {
          serviceId: SERVICE.vehicle,
          person: { lastName: 'Бойко', firstName: 'Ніна', rnokpp: visitor, email: 'n@example.com' },
        },
      });
      expect(ticket.statusCode).toBe(201);
      // Not yet called: refused even today.
      expect([403, 404, 409]).toContain((await reveal(d1, ticket.json().id)).statusCode);
      const called = await h.app.inject({
        method: 'POST',
        url: `/api/v1/desks/${CENTER}-d1/call-next`,
        headers: { cookie: d1 },
      });
      expect(called.json().id).toBe(ticket.json().id);
      // Another desk's operator cannot see it; the calling desk can.
      const d2 = await staffCookie(h.app, 'operator', CENTER, `${CENTER}-d2`);
      expect([403, 404, 409]).toContain((await reveal(d2, ticket.json().id)).statusCode);
      const mine = await reveal(d1, ticket.json().id);
      expect(mine.statusCode).toBe(200);
      expect(mine.json().value).toBe(visitor);
    });
  },
);
