import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/platform/db.js';
import { addSlot, CENTER, GROUP, OTHER_CENTER, SERVICE, seedExamHub } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

// Monday 23 Nov 2026, 09:00 Kyiv; the horizon runs 24 Nov … 14 Dec.
const NOW = '2026-11-23T07:00:00Z';

/**
 * The practical exam at CENTER (OTHER_CENTER examines nothing): B with 1 car, C with 2, the
 * center's examiner norm 4 a day. A day of 3 online slots and 1 terminal slot of 2 places: 8
 * places, 6 online; B's online cap is 3 (4 × 6/8), C's 6.
 */

async function examDay(db: Db, day: string) {
  const online: number[] = [];
  for (const time of ['09:00', '10:00', '11:00'])
    online.push(await addSlot(db, { day, time, group: GROUP.practical, capacity: 2 }));
  await addSlot(db, { day, time: '12:00', group: GROUP.practical, capacity: 2, pool: 'terminal' });
  return online;
}

let seq = 0;
const person = () => rnokpp(64000 + ++seq);

describe.each(testDatabases())('rule 12 waitlist for a practical exam’s vehicle category on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind, { now: NOW });
    await seedExamHub(h.ctx.db);
  });
  afterAll(() => h.close());
  beforeEach(() => h.clock.set(NOW));

  const join = (cookie: string, body: Record<string, unknown>) =>
    h.app.inject({
      method: 'POST',
      url: '/api/v1/waitlist',
      headers: { cookie },
      payload: { centerIds: [CENTER], serviceId: SERVICE.practical, ...body },
    });
  const offersOf = async (cookie: string) =>
    (await h.app.inject({ url: '/api/v1/me/offers', headers: { cookie } })).json() as Array<{
      id: string;
      slotId: number;
      examCategory?: string | null;
    }>;
  const act = (cookie: string, id: string, action: 'accept' | 'decline') =>
    h.app.inject({ method: 'POST', url: `/api/v1/offers/${id}/${action}`, headers: { cookie } });
  const categoryBooked = async (day: string, category: string) =>
    (
      await h.ctx.db
        .selectFrom('exam_category_places')
        .select('booked')
        .where('center_id', '=', CENTER)
        .where('day', '=', day)
        .where('pool', '=', 'online')
        .where('category', '=', category)
        .executeTakeFirst()
    )?.booked ?? 0;
  const registrationCategory = async (id: string) =>
    (
      await h.ctx.db
        .selectFrom('registrations')
        .select('exam_category')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).exam_category;
  /** Books an exam of `category` into `slot` for a fresh person; returns how to cancel it. */
  async function holder(slot: number | undefined, category: string) {
    const p = await citizenCookie(h.app, { rnokpp: person() });
    const res = await h.client.book({ cookie: p.cookie }, {
      slotId: slot,
      serviceId: SERVICE.practical,
      examCategory: category,
    } as never);
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    return { id, cancel: () => h.client.cancel({ cookie: p.cookie }, id) };
  }
  const waiter = async (day: string, category: string) => {
    const p = await citizenCookie(h.app, { rnokpp: person() });
    const res = await join(p.cookie, { from: day, to: day, examCategory: category });
    expect(res.statusCode, res.body).toBe(201);
    return p.cookie;
  };

  it('rule 12: a wait for an exam names a category the service has and every center of the wait examines', async () => {
    const p = await citizenCookie(h.app, { rnokpp: person() });
    const day = '2026-11-25';
    const field = (res: { json(): unknown }) =>
      (res.json() as { code: string; errors?: Array<{ field: string }> }).errors?.[0]?.field;
    // OTHER_CENTER takes no practical exams: refused, as an online booking there would be.
    const elsewhere = await join(p.cookie, {
      from: day,
      to: day,
      examCategory: 'B',
      centerIds: [CENTER, OTHER_CENTER],
    });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().code).toBe('VALIDATION');
    expect(field(elsewhere)).toBe('body.examCategory');
    // A category the exam has not, no category at all, a category for a service without any.
    for (const body of [{ examCategory: 'D' }, {}, { serviceId: SERVICE.vehicle, examCategory: 'B' }]) {
      const res = await join(p.cookie, { from: day, to: day, ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(field(res)).toBe('body.examCategory');
    }
    const ok = await join(p.cookie, { from: day, to: day, examCategory: 'B' });
    expect(ok.statusCode, ok.body).toBe(201);
    const mine = await h.app.inject({ url: '/api/v1/me/waitlist', headers: { cookie: p.cookie } });
    expect(mine.json()).toEqual([expect.objectContaining({ id: ok.json().id, examCategory: 'B' })]);
  });

  it('rule 12: an exam waiter’s offer records the category and claims its place; the freed category place goes back', async () => {
    const day = '2026-11-26';
    const online = await examDay(h.ctx.db, day);
    const c = await holder(online[0], 'C');
    for (const slot of [online[0], online[1], online[1], online[2], online[2]]) await holder(slot, 'C');
    expect(await categoryBooked(day, 'C')).toBe(6);
    const w = await waiter(day, 'B');
    expect((await c.cancel()).statusCode).toBe(200);
    const [offer] = await offersOf(w);
    expect(offer).toMatchObject({ slotId: online[0], examCategory: 'B' });
    expect(await registrationCategory(offer?.id ?? '')).toBe('B');
    expect(await categoryBooked(day, 'B')).toBe(1);
    expect(await categoryBooked(day, 'C')).toBe(5);
    // Accepting keeps the one place claimed for the offer: nothing claimed twice.
    expect((await act(w, offer?.id ?? '', 'accept')).statusCode).toBe(201);
    expect(await categoryBooked(day, 'B')).toBe(1);
  });

  it('rule 8: a waiter whose category is full is skipped; a waiter of the freed place’s own category takes it over', async () => {
    const day = '2026-11-27';
    const online = await examDay(h.ctx.db, day);
    const b = [];
    for (const slot of [online[0], online[0], online[1]]) b.push(await holder(slot, 'B'));
    const c = [];
    for (const slot of [online[1], online[2], online[2]]) c.push(await holder(slot, 'C'));
    expect([await categoryBooked(day, 'B'), await categoryBooked(day, 'C')]).toEqual([3, 3]);
    const wb = await waiter(day, 'B');
    const wc = await waiter(day, 'C');
    // A C place is freed: B has no place left that day, so only the C waiter can be drawn.
    expect((await c[0]?.cancel())?.statusCode).toBe(200);
    expect(await offersOf(wb)).toEqual([]);
    const [offerC] = await offersOf(wc);
    expect(offerC).toMatchObject({ slotId: online[1], examCategory: 'C' });
    expect([await categoryBooked(day, 'B'), await categoryBooked(day, 'C')]).toEqual([3, 3]);
    // A B place is freed while B is full: the B waiter takes over the place and its category.
    expect((await b[0]?.cancel())?.statusCode).toBe(200);
    const [offerB] = await offersOf(wb);
    expect(offerB).toMatchObject({ slotId: online[0], examCategory: 'B' });
    expect(await registrationCategory(offerB?.id ?? '')).toBe('B');
    expect([await categoryBooked(day, 'B'), await categoryBooked(day, 'C')]).toEqual([3, 3]);
    // Capacity added: a place of the pool goes to no waiter whose category is full.
    const wb2 = await waiter(day, 'B');
    await h.ctx.db
      .updateTable('slots')
      .set({ capacity: 3 })
      .where('id', '=', online[2] ?? 0)
      .execute();
    expect(await h.ctx.waitlist.offerFreePlaces()).toBe(0);
    expect(await offersOf(wb2)).toEqual([]);
    expect(await categoryBooked(day, 'B')).toBe(3);
  });

  it('rule 8: declining, leaving or lapsing gives the held category place back: at once to the next waiter, else with the place', async () => {
    const day = '2026-11-30';
    const online = await examDay(h.ctx.db, day);
    const holders = [];
    for (const slot of [online[0], online[0], online[1], online[1], online[2], online[2]])
      holders.push(await holder(slot, 'C'));
    const wb = await waiter(day, 'B');
    const wc = await waiter(day, 'C');
    const wc2 = await waiter(day, 'C');
    expect((await holders[0]?.cancel())?.statusCode).toBe(200);
    const held = async () => {
      for (const w of [wb, wc, wc2]) {
        const [o] = await offersOf(w);
        if (o) return { cookie: w, offer: o };
      }
      throw new Error('no offer');
    };
    // Each declines in turn; every hand-over leaves the counts as exactly one place held.
    const seen = new Set<string>();
    for (let round = 0; round < 3; round++) {
      const { cookie, offer } = await held();
      seen.add(cookie);
      const b = await categoryBooked(day, 'B');
      const c = await categoryBooked(day, 'C');
      expect(b + c).toBe(6);
      expect(offer.examCategory === 'B' ? b : c - 5).toBe(1);
      if (round < 2) {
        expect((await act(cookie, offer.id, 'decline')).statusCode).toBe(200);
      } else {
        // The last one leaves the wait: nobody else is left for this place.
        const wait = (
          (await h.app.inject({ url: '/api/v1/me/waitlist', headers: { cookie } })).json() as Array<{
            id: string;
          }>
        )[0];
        const left = await h.app.inject({
          method: 'DELETE',
          url: `/api/v1/waitlist/${wait?.id}`,
          headers: { cookie },
        });
        expect(left.statusCode).toBe(200);
        // Nobody else: the place and its category place come back together, after the delay.
        const back = await h.ctx.db
          .selectFrom('slot_returns')
          .select('exam_category')
          .where('slot_id', '=', online[0] ?? 0)
          .executeTakeFirstOrThrow();
        expect(back.exam_category).toBe(offer.examCategory);
        expect((await categoryBooked(day, 'B')) + (await categoryBooked(day, 'C'))).toBe(6);
        h.clock.advance(31 * 60_000);
        await h.ctx.booking.returnDuePlaces();
        expect([await categoryBooked(day, 'B'), await categoryBooked(day, 'C')]).toEqual([0, 5]);
      }
    }
    expect(seen.size).toBe(3);
  });

  it('rule 8: a lapsed offer passes its category place on with the place', async () => {
    const day = '2026-12-01';
    const online = await examDay(h.ctx.db, day);
    const holders = [];
    for (const slot of [online[0], online[0], online[1], online[1], online[2], online[2]])
      holders.push(await holder(slot, 'C'));
    const wb = await waiter(day, 'B');
    expect((await holders[0]?.cancel())?.statusCode).toBe(200);
    expect(await categoryBooked(day, 'B')).toBe(1);
    const wb2 = await waiter(day, 'B');
    h.clock.advance(30 * 60_000);
    expect(await h.ctx.waitlist.expireDue()).toBeGreaterThanOrEqual(1);
    expect(await offersOf(wb)).toEqual([]);
    const [next] = await offersOf(wb2);
    expect(next).toMatchObject({ slotId: online[0], examCategory: 'B' });
    // The lapsed offer's B place went over to the next B waiter: still one.
    expect([await categoryBooked(day, 'B'), await categoryBooked(day, 'C')]).toEqual([1, 5]);
  });
});
