import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSlot, CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';

/** The per-process caches of hot reads never hide this process's own writes. */
describe('per-process caches (PGlite)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('pglite', { env: { AVAILABILITY_CACHE_MS: '60000', SESSION_CACHE_MS: '60000' } });
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());

  const slotsUrl = `/api/v1/centers/${CENTER}/slots?service=${SERVICE.vehicle}&date=2026-11-25`;

  it('a booking is visible in the next slot read; a change by another writer shows after the cache time', async () => {
    const slot = await addSlot(h.ctx.db, { day: '2026-11-25', time: '10:00', capacity: 3 });
    expect((await h.app.inject({ url: slotsUrl })).json()).toEqual([
      expect.objectContaining({ id: slot, free: 3 }),
    ]);
    const { cookie } = await citizenCookie(h.app, { rnokpp: rnokpp(901) });
    const booked = await h.app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { cookie },
      payload: { slotId: slot, serviceId: SERVICE.vehicle },
    });
    expect(booked.statusCode).toBe(201);
    expect((await h.app.inject({ url: slotsUrl })).json()[0].free).toBe(2);
    // Another instance's write (here: straight to the database) is not seen within the same second…
    await h.ctx.db.updateTable('slots').set({ capacity: 10 }).where('id', '=', slot).execute();
    expect((await h.app.inject({ url: slotsUrl })).json()[0].free).toBe(2);
    // …and is once the clock moves on.
    h.clock.advance(1000);
    expect((await h.app.inject({ url: slotsUrl })).json()[0].free).toBe(9);
  });

  it('a logout in this process ends the session at once, despite the session cache', async () => {
    const { cookie } = await citizenCookie(h.app, { rnokpp: rnokpp(902) });
    expect((await h.app.inject({ url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(200);
    expect(
      (await h.app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie } })).statusCode,
    ).toBeLessThan(400);
    expect((await h.app.inject({ url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(401);
  });
});
