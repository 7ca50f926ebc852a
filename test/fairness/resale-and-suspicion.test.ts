import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSlot, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

describe.each(testDatabases())('rule 3: anti-resale delay on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind);
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());

  it('a cancelled place is not bookable before its 5–30 minute delay ends, and is after', async () => {
    const slot = await addSlot(h.ctx.db, { day: '2026-11-27', time: '10:00', capacity: 1 });
    const seller = await citizenCookie(h.app, { rnokpp: rnokpp(9501) });
    const buyer = await citizenCookie(h.app, { rnokpp: rnokpp(9502) });
    const booked = await h.client.book({ cookie: seller.cookie }, { slotId: slot });
    expect(booked.statusCode).toBe(201);
    // The reseller cancels at the agreed second; the buyer books at once.
    const cancel = await h.app.inject({
      method: 'POST',
      url: `/api/v1/bookings/${booked.json().id}/cancel`,
      headers: { cookie: seller.cookie },
    });
    expect(cancel.json()).toMatchObject({ status: 'cancelled' });
    expect((await h.client.book({ cookie: buyer.cookie }, { slotId: slot })).json().code).toBe('SLOT_TAKEN');
    const ret = await h.ctx.db
      .selectFrom('slot_returns')
      .select('due_at')
      .where('slot_id', '=', slot)
      .executeTakeFirstOrThrow();
    const delay = new Date(ret.due_at).getTime() - h.clock.now().getTime();
    expect(delay).toBeGreaterThanOrEqual(5 * 60_000);
    expect(delay).toBeLessThanOrEqual(30 * 60_000);
    // One second before the delay ends the job returns nothing; the place is still taken.
    h.clock.advance(delay - 1000);
    expect(await h.ctx.booking.returnDuePlaces()).toBe(0);
    expect((await h.client.book({ cookie: buyer.cookie }, { slotId: slot })).json().code).toBe('SLOT_TAKEN');
    // When it ends, the place is back in the pool for anyone.
    h.clock.advance(1000);
    expect(await h.ctx.booking.returnDuePlaces()).toBe(1);
    expect((await h.client.book({ cookie: buyer.cookie }, { slotId: slot })).statusCode).toBe(201);
  });
});

describe.each(testDatabases())('suspicion report on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind);
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());

  it('lists an identity hammering the booking endpoint and the address behind many identities; national admin only', async () => {
    const slot = await addSlot(h.ctx.db, { day: '2026-11-30', time: '10:00', capacity: 1 });
    const from = h.clock.now().toISOString();
    const bot = await citizenCookie(h.app, { rnokpp: rnokpp(9601) });
    for (let i = 0; i < 25; i++) {
      await h.app.inject({
        method: 'POST',
        url: '/api/v1/bookings',
        remoteAddress: '203.0.113.7',
        headers: { cookie: bot.cookie },
        payload: { slotId: slot, serviceId: SERVICE.vehicle },
      });
    }
    for (let i = 0; i < 12; i++) {
      const p = await citizenCookie(h.app, { rnokpp: rnokpp(9700 + i) });
      await h.app.inject({
        method: 'POST',
        url: '/api/v1/bookings',
        remoteAddress: '198.51.100.9',
        headers: { cookie: p.cookie },
        payload: { slotId: slot, serviceId: SERVICE.vehicle },
      });
    }
    h.clock.advance(1000);
    const admin = await staffCookie(h.app, 'national_admin');
    const res = await h.app.inject({
      url: `/api/v1/admin/suspicion?from=${encodeURIComponent(from)}`,
      headers: { cookie: admin },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.identities).toEqual([
      expect.objectContaining({
        personId: bot.personId,
        attempts: 25,
        reasons: expect.arrayContaining(['many_attempts']),
      }),
    ]);
    expect(body.identities[0].codes).toEqual({ BOOKED: 1, SLOT_TAKEN: 24 });
    // One identity's 25 attempts flag the identity; its address alone is not abnormal (shared
    // addresses are common), but 12 identities behind one address are.
    expect(body.addresses).toEqual([
      expect.objectContaining({ address: '198.51.100.9', distinctPersons: 12, reasons: ['many_identities'] }),
    ]);
    // No personal data in the report: ids and addresses only.
    expect(JSON.stringify(body)).not.toMatch(/Шевченко|taras@/);
    const citizen = await h.app.inject({ url: '/api/v1/admin/suspicion', headers: { cookie: bot.cookie } });
    expect(citizen.statusCode).toBe(403);
  });
});
