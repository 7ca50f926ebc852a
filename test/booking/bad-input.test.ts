import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSlot, CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

/** Bad input gets a clear problem-details error with a stable code, no stack trace, and writes nothing. */
describe.each(testDatabases())('bad input on %s', (kind) => {
  let h: Harness;
  let cookie: string;
  let slot: number;
  beforeAll(async () => {
    h = await createHarness(kind);
    await seedCatalog(h.ctx.db);
    slot = await addSlot(h.ctx.db, { day: '2026-11-25', time: '10:00', capacity: 3 });
    ({ cookie } = await citizenCookie(h.app, { rnokpp: rnokpp(7) }));
  });
  afterAll(() => h.close());

  const nothingWritten = async () => {
    const regs = await h.ctx.db.selectFrom('registrations').select('id').execute();
    expect(regs).toHaveLength(0);
    const s = await h.ctx.db
      .selectFrom('slots')
      .select('booked')
      .where('id', '=', slot)
      .executeTakeFirstOrThrow();
    expect(s.booked).toBe(0);
  };

  const expectProblem = (
    res: { statusCode: number; headers: Record<string, unknown>; body: string },
    status: number,
    code: string,
  ) => {
    expect(res.statusCode).toBe(status);
    expect(String(res.headers['content-type'])).toContain('application/problem+json');
    const body = JSON.parse(res.body);
    expect(body).toMatchObject({
      status,
      code,
      type: expect.stringContaining('/problems/'),
      title: expect.any(String),
    });
    expect(res.body).not.toMatch(/at .*\.(ts|js):\d+/); // no stack traces
    expect(res.body).not.toContain('stack');
  };

  it('malformed JSON → 400 VALIDATION', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { cookie, 'content-type': 'application/json' },
      payload: '{"slotId": ',
    });
    expectProblem(res, 400, 'VALIDATION');
    await nothingWritten();
  });

  it('wrong types → 400 VALIDATION naming the field, in Ukrainian', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { cookie },
      payload: { slotId: 'abc', serviceId: 5 },
    });
    expectProblem(res, 400, 'VALIDATION');
    expect(res.json().detail).toMatch(/[а-яі]/i);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['body.slotId']),
    );
    await nothingWritten();
  });

  it('unknown slot or service → 404 NOT_FOUND', async () => {
    expectProblem(
      await h.app.inject({
        method: 'POST',
        url: '/api/v1/bookings',
        headers: { cookie },
        payload: { slotId: 999999, serviceId: SERVICE.vehicle },
      }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await h.app.inject({
        method: 'POST',
        url: '/api/v1/bookings',
        headers: { cookie },
        payload: { slotId: slot, serviceId: 'nope' },
      }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await h.app.inject({ url: `/api/v1/centers/nope/slots?service=${SERVICE.vehicle}&date=2026-11-25` }),
      404,
      'NOT_FOUND',
    );
    await nothingWritten();
  });

  it('a slot of another service group → 400 VALIDATION', async () => {
    expectProblem(
      await h.app.inject({
        method: 'POST',
        url: '/api/v1/bookings',
        headers: { cookie },
        payload: { slotId: slot, serviceId: SERVICE.practical },
      }),
      400,
      'VALIDATION',
    );
    await nothingWritten();
  });

  it('missing session → 401 UNAUTHENTICATED; a forged cookie too', async () => {
    expectProblem(
      await h.app.inject({
        method: 'POST',
        url: '/api/v1/bookings',
        payload: { slotId: slot, serviceId: SERVICE.vehicle },
      }),
      401,
      'UNAUTHENTICATED',
    );
    expectProblem(
      await h.app.inject({
        method: 'POST',
        url: '/api/v1/bookings',
        headers: { cookie: 'ezs=forged' },
        payload: { slotId: slot, serviceId: SERVICE.vehicle },
      }),
      401,
      'UNAUTHENTICATED',
    );
    expectProblem(await h.app.inject({ url: '/api/v1/me' }), 401, 'UNAUTHENTICATED');
    await nothingWritten();
  });

  it('a bad date or cancel id → 400 VALIDATION; unknown route → 404', async () => {
    expectProblem(
      await h.app.inject({
        url: `/api/v1/centers/${CENTER}/slots?service=${SERVICE.vehicle}&date=2026-13-45`,
      }),
      400,
      'VALIDATION',
    );
    expectProblem(
      await h.app.inject({ method: 'POST', url: '/api/v1/bookings/not-a-uuid/cancel', headers: { cookie } }),
      400,
      'VALIDATION',
    );
    expectProblem(await h.app.inject({ url: '/api/v1/nothing-here' }), 404, 'NOT_FOUND');
  });

  it('English is available: Accept-Language en gives an English title', async () => {
    const res = await h.app.inject({ url: '/api/v1/me', headers: { 'accept-language': 'en-GB,en' } });
    expect(res.json().title).toBe('Electronic identification is required. Please sign in.');
  });

  it('a cross-site POST with the session cookie is refused (CSRF)', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      payload: { slotId: slot, serviceId: SERVICE.vehicle },
    });
    expectProblem(res, 403, 'FORBIDDEN');
    await nothingWritten();
  });

  it('an absurd slot id → 404 NOT_FOUND, and does not fail the bookings read in the same batch', async () => {
    const other = await citizenCookie(h.app, { rnokpp: rnokpp(8) });
    const [absurd, good] = await Promise.all([
      h.app.inject({
        method: 'POST',
        url: '/api/v1/bookings',
        headers: { cookie },
        payload: { slotId: '123456789012345678901234567890', serviceId: SERVICE.vehicle },
      }),
      h.app.inject({
        method: 'POST',
        url: '/api/v1/bookings',
        headers: { cookie: other.cookie },
        payload: { slotId: slot, serviceId: SERVICE.vehicle },
      }),
    ]);
    expectProblem(absurd, 404, 'NOT_FOUND');
    expect(good.statusCode).toBe(201);
    await h.ctx.db.deleteFrom('registrations').execute();
    await h.ctx.db.updateTable('slots').set({ booked: 0 }).where('id', '=', slot).execute();
    await h.ctx.db.deleteFrom('usage_counters').execute();
    await nothingWritten();
  });
});
