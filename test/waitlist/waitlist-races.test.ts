import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSlot, CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { requirePostgres } from '../support/test-db.js';

/** Rule 12 under concurrency, on PostgreSQL: no place offered twice, no waiter holding two, no overbooking. */
describe.skipIf(!requirePostgres())('rule 12: waitlist races on PostgreSQL', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('postgres', { now: '2026-11-23T07:00:00Z', poolSize: 20 });
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());

  const join = (cookie: string, day: string) =>
    h.app.inject({
      method: 'POST',
      url: '/api/v1/waitlist',
      headers: { cookie },
      payload: { centerIds: [CENTER], serviceId: SERVICE.vehicle, from: day, to: day },
    });

  it('8 cancels at once with 5 waiters: 5 offers to 5 different waiters on 5 different places, 3 places back to the pool later', async () => {
    const day = '2026-12-02';
    const cancels: Array<() => Promise<unknown>> = [];
    const slots: number[] = [];
    for (let i = 0; i < 8; i++) {
      const slot = await addSlot(h.ctx.db, { day, time: `1${i}:00`.replace('18:00', '08:30'), capacity: 1 });
      slots.push(slot);
      const holder = await citizenCookie(h.app, { rnokpp: rnokpp(65000 + i) });
      const reg = (await h.client.book({ cookie: holder.cookie }, { slotId: slot })).json();
      cancels.push(() => h.client.cancel({ cookie: holder.cookie }, reg.id));
    }
    for (let i = 0; i < 5; i++) {
      const w = await citizenCookie(h.app, { rnokpp: rnokpp(65100 + i) });
      expect((await join(w.cookie, day)).statusCode).toBe(201);
    }
    await Promise.all(cancels.map((c) => c()));
    const offers = await h.ctx.db
      .selectFrom('registrations')
      .select(['person_id', 'slot_id'])
      .where('status', '=', 'offered')
      .where('day', '=', day)
      .execute();
    expect(offers).toHaveLength(5);
    expect(new Set(offers.map((o) => o.person_id)).size).toBe(5);
    expect(new Set(offers.map((o) => o.slot_id)).size).toBe(5);
    const returns = await h.ctx.db
      .selectFrom('slot_returns')
      .select('slot_id')
      .where('slot_id', 'in', slots)
      .execute();
    expect(returns).toHaveLength(3);
    // Every freed place went exactly one way.
    expect(
      new Set([...offers.map((o) => Number(o.slot_id)), ...returns.map((r) => Number(r.slot_id))]).size,
    ).toBe(8);
    const over = await h.ctx.db
      .selectFrom('slots')
      .select('id')
      .whereRef('booked', '>', 'capacity')
      .execute();
    expect(over).toEqual([]);
  });

  it('an offer raced by its waiter (accept ×4, decline ×2) and another waiter (accept ×2): one outcome, one holder', async () => {
    const day = '2026-12-03';
    const slot = await addSlot(h.ctx.db, { day, time: '10:00', capacity: 1 });
    const holder = await citizenCookie(h.app, { rnokpp: rnokpp(65200) });
    const reg = (await h.client.book({ cookie: holder.cookie }, { slotId: slot })).json();
    const a = await citizenCookie(h.app, { rnokpp: rnokpp(65201) });
    await join(a.cookie, day);
    await h.client.cancel({ cookie: holder.cookie }, reg.id);
    const b = await citizenCookie(h.app, { rnokpp: rnokpp(65202) });
    await join(b.cookie, day);
    const offer = (await h.app.inject({ url: '/api/v1/me/offers', headers: { cookie: a.cookie } })).json()[0];
    expect(offer?.slotId).toBe(slot);
    const act = (cookie: string, action: string) =>
      h.app.inject({ method: 'POST', url: `/api/v1/offers/${offer.id}/${action}`, headers: { cookie } });
    const answers = await Promise.all([
      ...Array.from({ length: 4 }, () => act(a.cookie, 'accept')),
      ...Array.from({ length: 2 }, () => act(a.cookie, 'decline')),
      ...Array.from({ length: 2 }, () => act(b.cookie, 'accept')),
    ]);
    const ok = answers.filter((r) => r.statusCode < 300);
    expect(ok).toHaveLength(1);
    expect(answers.slice(6).every((r) => r.statusCode === 404)).toBe(true);
    const booked = await h.ctx.db
      .selectFrom('registrations')
      .select('person_id')
      .where('slot_id', '=', slot)
      .where('status', 'in', ['booked', 'offered'])
      .execute();
    // Accepted: A holds it. Declined: it was offered on to B. Either way one holder, one place.
    expect(booked).toHaveLength(1);
    expect(booked[0]?.person_id).toBe(ok[0]?.statusCode === 201 ? a.personId : b.personId);
    const s = await h.ctx.db
      .selectFrom('slots')
      .select('booked')
      .where('id', '=', slot)
      .executeTakeFirstOrThrow();
    expect(s.booked).toBe(1);
  });
});
