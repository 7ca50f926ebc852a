import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderDelivery } from '../../src/notify/message-renderer.js';
import type { OutboxRow } from '../../src/notify/outbox-store.js';
import { addSlot, GROUP, OTHER_CENTER, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

// Monday 23 Nov 2026, 09:00 Kyiv: the horizon is 24 Nov … 14 Dec.
const NOW = '2026-11-23T07:00:00Z';
let seq = 0;
const nextPerson = () => rnokpp(7000 + ++seq);

describe.each(testDatabases())('moving a registration (SPEC rule 3) on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind, { now: NOW });
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());
  beforeEach(() => h.clock.set(NOW));

  const move = async (cookie: string, id: string, slotId: number, idempotencyKey?: string) =>
    h.app.inject({
      method: 'POST',
      url: `/api/v1/bookings/${id}/reschedule`,
      headers: { cookie, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
      payload: { slotId },
    });

  const slotBooked = async (id: number) =>
    (await h.ctx.db.selectFrom('slots').select('booked').where('id', '=', id).executeTakeFirstOrThrow())
      .booked;
  const placeOf = (id: string) =>
    h.ctx.db
      .selectFrom('registrations')
      .select(['slot_id', 'move_count'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const used = async (personId: string, period: string) =>
    (
      await h.ctx.db
        .selectFrom('usage_counters')
        .select('used')
        .where('subject', '=', `person:${personId}`)
        .where('channel', '=', 'online')
        .where('period', '=', period)
        .executeTakeFirst()
    )?.used ?? 0;

  it('rule 3: a move keeps the id, takes a new number at the new center and day, and frees the old place', async () => {
    const p = await citizenCookie(h.app, { rnokpp: nextPerson() });
    const from = await addSlot(h.ctx.db, { day: '2026-11-26', time: '09:00', capacity: 5 });
    const to = await addSlot(h.ctx.db, {
      center: OTHER_CENTER,
      day: '2026-11-27',
      time: '10:00',
      capacity: 5,
    });
    const booked = (await h.client.book({ cookie: p.cookie }, { slotId: from })).json();
    const res = await move(p.cookie, booked.id, to);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ id: booked.id, status: 'booked', moves: 1, centerId: OTHER_CENTER });
    expect(body.startsAt).toBe('2026-11-27T08:00:00.000Z');
    expect(body.number).toBeGreaterThanOrEqual(1000);
    expect(await slotBooked(to)).toBe(1);
    // The old place goes nowhere first-come: nobody waits, so it returns after a random delay.
    const ret = await h.ctx.db
      .selectFrom('slot_returns')
      .select('due_at')
      .where('slot_id', '=', from)
      .execute();
    expect(ret).toHaveLength(1);
    expect(new Date(ret[0]?.due_at as Date).getTime()).toBeGreaterThan(new Date(NOW).getTime());
    const mine = (await h.app.inject({ url: '/api/v1/me/bookings', headers: { cookie: p.cookie } })).json();
    expect(mine.filter((r: { id: string }) => r.id === booked.id)).toHaveLength(1);
    expect(mine.find((r: { id: string }) => r.id === booked.id)).toMatchObject({
      moves: 1,
      centerId: OTHER_CENTER,
    });
  });

  it('rule 3: the confirmation of a move ("перенесено") carries a new .ics with the new time and the same UID', async () => {
    const p = await citizenCookie(h.app, { rnokpp: nextPerson(), email: 'move@example.com' });
    const from = await addSlot(h.ctx.db, { day: '2026-11-26', time: '11:00', capacity: 5 });
    const to = await addSlot(h.ctx.db, { day: '2026-11-28', time: '12:00', capacity: 5 });
    const { id } = (await h.client.book({ cookie: p.cookie }, { slotId: from })).json();
    expect((await move(p.cookie, id, to)).statusCode).toBe(200);
    const row = (await h.ctx.db
      .selectFrom('outbox')
      .selectAll()
      .where('template', '=', 'registration_moved')
      .where('recipient', '=', 'move@example.com')
      .executeTakeFirstOrThrow()) as unknown as OutboxRow;
    const delivery = await renderDelivery(
      h.ctx.db,
      row,
      {
        crypto: h.ctx.crypto,
        portalUrl: 'https://e-zapys.test',
        cancelBeforeMinutes: 120,
        feedbackTtlDays: 30,
      },
      h.clock.now(),
    );
    if (delivery.kind !== 'email') throw new Error(`expected an email, got ${delivery.kind}`);
    expect(delivery.message.subject).toContain('Запис перенесено');
    const ics = delivery.attachments.find((a) => a.filename.endsWith('.ics'))?.content ?? '';
    expect(ics).toContain(`UID:${id}`);
    expect(ics).toContain('DTSTART;TZID=Europe/Kyiv:20261128T120000');
  });

  it('rule 3: at most 2 moves, the third is RESCHEDULE_LIMIT and changes nothing', async () => {
    const p = await citizenCookie(h.app, { rnokpp: nextPerson() });
    const slots = [];
    for (const [day, time] of [
      ['2026-11-25', '09:00'],
      ['2026-11-25', '09:30'],
      ['2026-11-25', '10:00'],
      ['2026-11-25', '10:30'],
    ] as const)
      slots.push(await addSlot(h.ctx.db, { day, time, capacity: 3 }));
    const [a, b, c, d] = slots as [number, number, number, number];
    const { id } = (await h.client.book({ cookie: p.cookie }, { slotId: a })).json();
    expect((await move(p.cookie, id, b)).json().moves).toBe(1);
    const second = await move(p.cookie, id, c);
    expect(second.json(), second.body).toMatchObject({ moves: 2 });
    const third = await move(p.cookie, id, d);
    expect(third.statusCode).toBe(409);
    expect(third.json().code).toBe('RESCHEDULE_LIMIT');
    expect(await slotBooked(d)).toBe(0);
    expect(await placeOf(id)).toEqual({ slot_id: c, move_count: 2 });
  });

  it('rule 3: a move is allowed until 2 hours before; later CANCEL_TOO_LATE', async () => {
    const person = nextPerson();
    const p = await citizenCookie(h.app, { rnokpp: person });
    const from = await addSlot(h.ctx.db, { day: '2026-11-24', time: '13:00', capacity: 3 });
    const to = await addSlot(h.ctx.db, { day: '2026-11-25', time: '13:00', capacity: 3 });
    const { id } = (await h.client.book({ cookie: p.cookie }, { slotId: from })).json();
    // 24 Nov 11:00:01 Kyiv: one second past the deadline of the 13:00 visit.
    h.clock.set('2026-11-24T09:00:01Z');
    // The old session idled out overnight: the same person signs in again.
    const owner = await citizenCookie(h.app, { rnokpp: person });
    const late = await move(owner.cookie, id, to);
    expect(late.json().code).toBe('CANCEL_TOO_LATE');
    expect(await slotBooked(to)).toBe(0);
    h.clock.set('2026-11-24T09:00:00Z');
    expect((await move(owner.cookie, id, to)).statusCode).toBe(200);
  });

  it('rule 3: a move counts once, in the month of the new time (the old month gets its unit back)', async () => {
    const p = await citizenCookie(h.app, { rnokpp: nextPerson() });
    const nov: number[] = [];
    for (const day of ['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28'])
      nov.push(await addSlot(h.ctx.db, { day, time: '14:00', capacity: 5 }));
    const ids: string[] = [];
    for (let i = 0; i < 4; i++)
      ids.push((await h.client.book({ cookie: p.cookie }, { slotId: nov[i] as number })).json().id);
    expect(await used(p.personId, '2026-11-01')).toBe(4);
    const dec = await addSlot(h.ctx.db, { day: '2026-12-02', time: '14:00', capacity: 5 });
    expect((await move(p.cookie, ids[0] as string, dec)).statusCode).toBe(200);
    expect([await used(p.personId, '2026-11-01'), await used(p.personId, '2026-12-01')]).toEqual([3, 1]);
    // November has room again for exactly one.
    expect((await h.client.book({ cookie: p.cookie }, { slotId: nov[4] as number })).statusCode).toBe(201);
    // A move inside one month leaves the counters as they are.
    const dec2 = await addSlot(h.ctx.db, { day: '2026-12-03', time: '14:00', capacity: 5 });
    expect((await move(p.cookie, ids[0] as string, dec2)).statusCode).toBe(200);
    expect([await used(p.personId, '2026-11-01'), await used(p.personId, '2026-12-01')]).toEqual([4, 1]);
  });

  it('rule 3: a move into a month already at the limit is LIMIT_REACHED and keeps the old place and counters', async () => {
    const p = await citizenCookie(h.app, { rnokpp: nextPerson() });
    const decIds: number[] = [];
    for (const day of ['2026-12-04', '2026-12-05', '2026-12-07', '2026-12-08', '2026-12-09'])
      decIds.push(await addSlot(h.ctx.db, { day, time: '15:00', capacity: 5 }));
    for (let i = 0; i < 4; i++)
      expect((await h.client.book({ cookie: p.cookie }, { slotId: decIds[i] as number })).statusCode).toBe(
        201,
      );
    const nov = await addSlot(h.ctx.db, { day: '2026-11-30', time: '15:00', capacity: 5 });
    const { id } = (await h.client.book({ cookie: p.cookie }, { slotId: nov })).json();
    const res = await move(p.cookie, id, decIds[4] as number);
    expect(res.json().code).toBe('LIMIT_REACHED');
    expect([await used(p.personId, '2026-11-01'), await used(p.personId, '2026-12-01')]).toEqual([1, 4]);
    expect([await slotBooked(nov), await slotBooked(decIds[4] as number)]).toEqual([1, 0]);
  });

  it('rule 3: only another time of the same service; a full slot is SLOT_TAKEN', async () => {
    const p = await citizenCookie(h.app, { rnokpp: nextPerson() });
    const from = await addSlot(h.ctx.db, { day: '2026-11-26', time: '16:00', capacity: 3 });
    const licence = await addSlot(h.ctx.db, {
      group: GROUP.licence,
      day: '2026-11-27',
      time: '16:00',
      capacity: 3,
    });
    const full = await addSlot(h.ctx.db, { day: '2026-11-27', time: '16:30', capacity: 0 });
    const { id } = (await h.client.book({ cookie: p.cookie }, { slotId: from })).json();
    expect((await move(p.cookie, id, licence)).json().code).toBe('VALIDATION');
    expect((await move(p.cookie, id, full)).json().code).toBe('SLOT_TAKEN');
    const terminal = await addSlot(h.ctx.db, {
      day: '2026-11-27',
      time: '17:00',
      capacity: 3,
      pool: 'terminal',
    });
    expect((await move(p.cookie, id, terminal)).json().code).toBe('NOT_FOUND');
    const outside = await addSlot(h.ctx.db, { day: '2026-12-16', time: '10:00', capacity: 3 });
    expect((await move(p.cookie, id, outside)).json().code).toBe('OUT_OF_HORIZON');
  });

  it('an idempotent replay of a move answers the first result and moves once', async () => {
    const p = await citizenCookie(h.app, { rnokpp: nextPerson() });
    const from = await addSlot(h.ctx.db, { day: '2026-11-27', time: '09:00', capacity: 3 });
    const to = await addSlot(h.ctx.db, { day: '2026-11-27', time: '09:30', capacity: 3 });
    const { id } = (await h.client.book({ cookie: p.cookie }, { slotId: from })).json();
    const first = await move(p.cookie, id, to, 'move-key-00000001');
    const again = await move(p.cookie, id, to, 'move-key-00000001');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(first.json().moves).toBe(1);
    expect(await slotBooked(to)).toBe(1);
  });

  it("attack: moving someone else's registration is NOT_FOUND and changes nothing", async () => {
    const owner = await citizenCookie(h.app, { rnokpp: nextPerson() });
    const attacker = await citizenCookie(h.app, { rnokpp: nextPerson() });
    const from = await addSlot(h.ctx.db, { day: '2026-11-28', time: '09:00', capacity: 3 });
    const to = await addSlot(h.ctx.db, { day: '2026-11-28', time: '09:30', capacity: 3 });
    const { id } = (await h.client.book({ cookie: owner.cookie }, { slotId: from })).json();
    const res = await move(attacker.cookie, id, to);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
    expect(await slotBooked(to)).toBe(0);
    expect(await placeOf(id)).toEqual({ slot_id: from, move_count: 0 });
  });

  it('attack: a move onto a released day before its draw is refused (the day takes lottery entries only)', async () => {
    const person = nextPerson();
    const p = await citizenCookie(h.app, { rnokpp: person });
    const from = await addSlot(h.ctx.db, { day: '2026-11-30', time: '09:00', capacity: 3 });
    const { id } = (await h.client.book({ cookie: p.cookie }, { slotId: from })).json();
    // 24 Nov 06:05 Kyiv: 15 Dec has just been released and is in its lottery window.
    h.clock.set('2026-11-24T04:05:00Z');
    const owner = await citizenCookie(h.app, { rnokpp: person });
    const released = await addSlot(h.ctx.db, { day: '2026-12-15', time: '09:00', capacity: 3 });
    const res = await move(owner.cookie, id, released);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('CONFLICT');
    expect(await slotBooked(released)).toBe(0);
    expect(await placeOf(id)).toEqual({ slot_id: from, move_count: 0 });
  });
});
