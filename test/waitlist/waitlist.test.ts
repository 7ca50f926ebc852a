import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { drawOrder } from '../../src/waitlist/waitlist-rules.js';
import { addSlot, CENTER, OTHER_CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

// Monday 23 Nov 2026, 09:00 Kyiv; the horizon runs 24 Nov … 14 Dec.
const NOW = '2026-11-23T07:00:00Z';
let seq = 0;
const person = () => rnokpp(63000 + ++seq);

describe.each(testDatabases())('rule 12: the waitlist on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind, { now: NOW });
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());
  beforeEach(() => h.clock.set(NOW));

  const join = (cookie: string, body: Record<string, unknown>) =>
    h.app.inject({
      method: 'POST',
      url: '/api/v1/waitlist',
      headers: { cookie },
      payload: { centerIds: [CENTER], serviceId: SERVICE.vehicle, ...body },
    });
  const offersOf = async (cookie: string) =>
    (await h.app.inject({ url: '/api/v1/me/offers', headers: { cookie } })).json() as Array<{
      id: string;
      slotId: number;
      expiresAt: string;
    }>;
  const act = (cookie: string, id: string, action: 'accept' | 'decline') =>
    h.app.inject({ method: 'POST', url: `/api/v1/offers/${id}/${action}`, headers: { cookie } });
  const booked = async (slot: number) =>
    (await h.ctx.db.selectFrom('slots').select('booked').where('id', '=', slot).executeTakeFirstOrThrow())
      .booked;
  /** A full slot of `day` held by a fresh person; returns the slot and how to cancel it. */
  async function fullSlot(day: string, time: string) {
    const slot = await addSlot(h.ctx.db, { day, time, capacity: 1 });
    const holder = await citizenCookie(h.app, { rnokpp: person() });
    const reg = (await h.client.book({ cookie: holder.cookie }, { slotId: slot })).json();
    expect(reg.status).toBe('booked');
    return { slot, cancel: () => h.client.cancel({ cookie: holder.cookie }, reg.id) };
  }

  it('rule 12: join inside the horizon, one open wait per service, listed, left', async () => {
    const p = await citizenCookie(h.app, { rnokpp: person() });
    const res = await join(p.cookie, { from: '2026-11-25', to: '2026-11-27' });
    expect(res.statusCode).toBe(201);
    const { id } = res.json();
    expect((await join(p.cookie, { from: '2026-11-28', to: '2026-11-29' })).json().code).toBe('CONFLICT');
    expect(
      (await join(p.cookie, { from: '2026-11-25', to: '2026-12-20', serviceId: SERVICE.licence })).json()
        .code,
    ).toBe('OUT_OF_HORIZON');
    const mine = await h.app.inject({ url: '/api/v1/me/waitlist', headers: { cookie: p.cookie } });
    expect(mine.json()).toEqual([
      expect.objectContaining({
        id,
        serviceId: SERVICE.vehicle,
        centerIds: [CENTER],
        from: '2026-11-25',
        to: '2026-11-27',
        status: 'active',
      }),
    ]);
    const left = await h.app.inject({
      method: 'DELETE',
      url: `/api/v1/waitlist/${id}`,
      headers: { cookie: p.cookie },
    });
    expect(left.json()).toEqual({ id, status: 'left' });
    expect(
      (await h.app.inject({ url: '/api/v1/me/waitlist', headers: { cookie: p.cookie } })).json(),
    ).toEqual([]);
    expect((await join(p.cookie, { from: '2026-11-28', to: '2026-11-29' })).statusCode).toBe(201);
  });

  it('rule 12: a cancelled place is offered to one waiter, held 30 minutes, announced by e-mail; never back on /slots', async () => {
    const { slot, cancel } = await fullSlot('2026-11-30', '10:00');
    const waiter = await citizenCookie(h.app, { rnokpp: person(), email: 'waiter@example.com' });
    expect((await join(waiter.cookie, { from: '2026-11-30', to: '2026-11-30' })).statusCode).toBe(201);
    expect((await cancel()).statusCode).toBe(200);
    const offers = await offersOf(waiter.cookie);
    expect(offers).toEqual([
      expect.objectContaining({
        slotId: slot,
        centerId: CENTER,
        serviceId: SERVICE.vehicle,
        expiresAt: '2026-11-23T07:30:00.000Z',
      }),
    ]);
    expect(await booked(slot)).toBe(1); // held, not in the pool
    const free = await h.app.inject({
      url: `/api/v1/centers/${CENTER}/slots?service=${SERVICE.vehicle}&date=2026-11-30`,
    });
    expect(free.json().filter((s: { id: number }) => s.id === slot)).toEqual([]);
    const mail = await h.ctx.db
      .selectFrom('outbox')
      .select(['recipient', 'template'])
      .where('dedupe_key', '=', `waitlist_offer:${offers[0]?.id}`)
      .executeTakeFirstOrThrow();
    expect(mail).toEqual({ recipient: 'waiter@example.com', template: 'waitlist_offer' });
    const accepted = await act(waiter.cookie, offers[0]?.id ?? '', 'accept');
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json()).toMatchObject({ id: offers[0]?.id, status: 'booked', centerId: CENTER });
    expect(accepted.json().number).toBeGreaterThanOrEqual(1000);
    expect(await booked(slot)).toBe(1);
    expect(
      (await h.app.inject({ url: '/api/v1/me/waitlist', headers: { cookie: waiter.cookie } })).json(),
    ).toEqual([]);
    // The offer is spent: a second accept is refused.
    expect((await act(waiter.cookie, offers[0]?.id ?? '', 'accept')).json().code).toBe('INVALID_STATE');
  });

  it('rule 12: the waiter is drawn at random with the seed recorded; the draw can be recomputed', async () => {
    const { slot, cancel } = await fullSlot('2026-12-01', '10:00');
    const waits: string[] = [];
    for (let i = 0; i < 5; i++) {
      const w = await citizenCookie(h.app, { rnokpp: person() });
      waits.push(
        (
          await join(w.cookie, { from: '2026-12-01', to: '2026-12-02', centerIds: [CENTER, OTHER_CENTER] })
        ).json().id,
      );
    }
    await cancel();
    const offer = await h.ctx.db
      .selectFrom('waitlist_offers')
      .selectAll()
      .where('slot_id', '=', slot)
      .executeTakeFirstOrThrow();
    expect(offer.candidates).toBe(5);
    const canonical = [...waits].sort();
    expect(canonical[drawOrder(offer.seed, offer.candidates)[offer.position] ?? -1]).toBe(offer.wait_id);
  });

  it('rule 12: declining or silence offers the place to the next draw; nobody left: back to the pool at a random moment', async () => {
    const { slot, cancel } = await fullSlot('2026-12-07', '11:00');
    const a = await citizenCookie(h.app, { rnokpp: person() });
    const b = await citizenCookie(h.app, { rnokpp: person() });
    await join(a.cookie, { from: '2026-12-07', to: '2026-12-07' });
    await join(b.cookie, { from: '2026-12-07', to: '2026-12-07' });
    await cancel();
    const [first, second] = (await offersOf(a.cookie)).length ? [a, b] : [b, a];
    const offer1 = (await offersOf(first.cookie))[0];
    expect(offer1).toBeDefined();
    expect((await act(first.cookie, offer1?.id ?? '', 'decline')).json()).toEqual({
      id: offer1?.id,
      status: 'declined',
    });
    // The decliner keeps waiting (for another place); the second waiter gets this one.
    const offer2 = (await offersOf(second.cookie))[0];
    expect(offer2?.slotId).toBe(slot);
    expect(await offersOf(first.cookie)).toEqual([]);
    // Silence: after the hold the offer lapses; the decliner was offered this place already, so
    // nobody is left and the place returns to the pool later, at a random moment.
    h.clock.advance(30 * 60_000);
    expect(await h.ctx.waitlist.expireDue()).toBeGreaterThanOrEqual(1); // (earlier tests' offers lapse too)
    expect(await offersOf(second.cookie)).toEqual([]);
    const back = await h.ctx.db
      .selectFrom('slot_returns')
      .select('due_at')
      .where('slot_id', '=', slot)
      .executeTakeFirstOrThrow();
    const delay = new Date(back.due_at).getTime() - h.clock.now().getTime();
    expect(delay).toBeGreaterThanOrEqual(5 * 60_000);
    expect(delay).toBeLessThanOrEqual(30 * 60_000);
    expect(await booked(slot)).toBe(1);
    h.clock.advance(31 * 60_000);
    await h.ctx.booking.returnDuePlaces();
    expect(await booked(slot)).toBe(0);
  });

  it('rule 1 on accept: limits apply (a waiter at the monthly limit is refused; the offer stays)', async () => {
    const { cancel } = await fullSlot('2026-11-26', '15:00');
    const w = await citizenCookie(h.app, { rnokpp: person() });
    for (const day of ['2026-11-24', '2026-11-25', '2026-11-27', '2026-11-28']) {
      const s = await addSlot(h.ctx.db, { day, time: '16:00', capacity: 1 });
      expect((await h.client.book({ cookie: w.cookie }, { slotId: s })).statusCode).toBe(201);
    }
    await join(w.cookie, { from: '2026-11-26', to: '2026-11-26' });
    await cancel();
    const offer = (await offersOf(w.cookie))[0];
    const res = await act(w.cookie, offer?.id ?? '', 'accept');
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('LIMIT_REACHED');
    expect(await offersOf(w.cookie)).toHaveLength(1);
  });

  it("rule 12: someone else's offer is not found; a waiter already holding that day is not drawn (rule 1)", async () => {
    const { cancel } = await fullSlot('2026-12-03', '10:00');
    const holder = await citizenCookie(h.app, { rnokpp: person() });
    const other = await addSlot(h.ctx.db, { day: '2026-12-03', time: '12:00', capacity: 1 });
    expect((await h.client.book({ cookie: holder.cookie }, { slotId: other })).statusCode).toBe(201);
    await join(holder.cookie, { from: '2026-12-03', to: '2026-12-04' });
    const w = await citizenCookie(h.app, { rnokpp: person() });
    await join(w.cookie, { from: '2026-12-03', to: '2026-12-04' });
    await cancel();
    expect(await offersOf(holder.cookie)).toEqual([]);
    const offer = (await offersOf(w.cookie))[0];
    expect((await act(holder.cookie, offer?.id ?? '', 'accept')).statusCode).toBe(404);
  });
  it('rule 12: a place added to the pool (capacity added) goes to a waiter, not to whoever asks first', async () => {
    const { slot } = await fullSlot('2026-12-08', '10:00');
    const w = await citizenCookie(h.app, { rnokpp: person() });
    await join(w.cookie, { from: '2026-12-08', to: '2026-12-08' });
    const untouched = await addSlot(h.ctx.db, { day: '2026-12-09', time: '10:00', capacity: 1 });
    await h.ctx.db.updateTable('slots').set({ capacity: 2 }).where('id', '=', slot).execute();
    expect(await h.ctx.waitlist.offerFreePlaces()).toBe(1);
    expect((await offersOf(w.cookie)).map((o) => o.slotId)).toEqual([slot]);
    expect(await booked(slot)).toBe(2);
    // Nobody waits for the other day: its place stays in the pool.
    expect(await booked(untouched)).toBe(0);
    expect(await h.ctx.waitlist.offerFreePlaces()).toBe(0);
  });
  it("rule 12 is observable: ezapys_offers_total counts the offers' accepts and declines by outcome", async () => {
    const text = (await h.app.inject({ url: '/metrics' })).body;
    const sample = (labels: string) =>
      Number(text.match(new RegExp(`^ezapys_offers_total\\{${labels}\\} (\\d+)$`, 'm'))?.[1] ?? 0);
    expect(sample('action="accept",outcome="ok"')).toBeGreaterThanOrEqual(1);
    expect(sample('action="accept",outcome="LIMIT_REACHED"')).toBeGreaterThanOrEqual(1);
    expect(sample('action="decline",outcome="ok"')).toBeGreaterThanOrEqual(1);
  });
});
