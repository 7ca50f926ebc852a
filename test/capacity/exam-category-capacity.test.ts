import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/platform/db.js';
import { terminalPayload } from '../hall/hall-support.js';
import { addSlot, CENTER, GROUP, SERVICE, seedExamHub } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { requirePostgres, testDatabases } from '../support/test-db.js';

const NOW = '2026-11-23T07:00:00Z';

/**
 * The practical exam at CENTER: categories B (1 car) and C (2 cars), the center's examiner norm 4
 * a day (the national 15 is overridden). A day has 3 online slots of 4 places and 1 terminal slot
 * of 4: 16 places, 12 online. B's cap is 1 × 4 = 4 places a day, 3 of them online (4 × 12/16);
 * C's is 8, 6 online.
 */

async function examDay(db: Db, day: string, perSlot = 4) {
  const online: number[] = [];
  for (const time of ['09:00', '10:00', '11:00'])
    online.push(await addSlot(db, { day, time, group: GROUP.practical, capacity: perSlot }));
  const terminal = await addSlot(db, {
    day,
    time: '12:00',
    group: GROUP.practical,
    capacity: perSlot,
    pool: 'terminal',
  });
  return { online, terminal };
}

let people = 0;
const person = (h: Harness) => citizenCookie(h.app, { rnokpp: rnokpp(7000 + people++) });
const bookExam = (h: Harness, cookie: string, slotId: number | undefined, examCategory: string) =>
  h.client.book({ cookie }, { slotId, serviceId: SERVICE.practical, examCategory } as never);

async function categoryBooked(db: Db, day: string, category: string, pool = 'online') {
  const row = await db
    .selectFrom('exam_category_places')
    .select('booked')
    .where('center_id', '=', CENTER)
    .where('day', '=', day)
    .where('pool', '=', pool as 'online')
    .where('category', '=', category)
    .executeTakeFirst();
  return row?.booked ?? 0;
}

describe.each(testDatabases())('exam places per vehicle category (SPEC rule 8) on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind, { now: NOW });
    await seedExamHub(h.ctx.db);
  });
  afterAll(() => h.close());

  it('rule 8: the cap is cars × the examiner norm, at most the group capacity, in the pools’ proportion', async () => {
    const day = '2026-11-24';
    await examDay(h.ctx.db, day);
    const cap = async (pool: string, category: string) =>
      (
        await sql<{
          cap: number;
        }>`SELECT exam_category_cap(${CENTER}, ${GROUP.practical}, ${day}::date, ${pool}, ${category}) AS cap`.execute(
          h.ctx.db,
        )
      ).rows[0]?.cap;
    expect([await cap('online', 'B'), await cap('terminal', 'B')]).toEqual([3, 1]);
    expect([await cap('online', 'C'), await cap('terminal', 'C')]).toEqual([6, 2]);
    // A category the center has no car for has no places; 9 cars would be 36, the day has 16.
    expect(await cap('online', 'D')).toBe(0);
    await h.ctx.db
      .updateTable('center_exam_categories')
      .set({ cars: 9 })
      .where('center_id', '=', CENTER)
      .where('category', '=', 'C')
      .execute();
    expect([await cap('online', 'C'), await cap('terminal', 'C')]).toEqual([12, 4]);
    await h.ctx.db
      .updateTable('center_exam_categories')
      .set({ cars: 2 })
      .where('center_id', '=', CENTER)
      .where('category', '=', 'C')
      .execute();
  });

  it('rule 8: one car of B takes 3 online bookings a day, the 4th is SLOT_TAKEN while the slots still have places; C still books', async () => {
    const day = '2026-11-25';
    const { online } = await examDay(h.ctx.db, day);
    for (let i = 0; i < 3; i++) {
      const res = await bookExam(h, (await person(h)).cookie, online[i], 'B');
      expect(res.statusCode).toBe(201);
    }
    const fourth = await bookExam(h, (await person(h)).cookie, online[0], 'B');
    expect(fourth.statusCode).toBe(409);
    expect(fourth.json().code).toBe('SLOT_TAKEN');
    expect(await categoryBooked(h.ctx.db, day, 'B')).toBe(3);
    // The portal asks for the category: B offers nothing more that day, C and the plain group do.
    const slotsB = await h.app.inject({
      url: `/api/v1/centers/${CENTER}/slots?service=${SERVICE.practical}&date=${day}&category=B`,
    });
    expect(slotsB.json()).toEqual([]);
    const slotsC = (
      await h.app.inject({
        url: `/api/v1/centers/${CENTER}/slots?service=${SERVICE.practical}&date=${day}&category=C`,
      })
    ).json() as Array<{ free: number }>;
    expect(slotsC.map((s) => s.free)).toEqual([3, 3, 3]);
    const days = (
      await h.app.inject({
        url: `/api/v1/centers/${CENTER}/availability?service=${SERVICE.practical}&category=B`,
      })
    ).json().days as Array<{ date: string; free: number }>;
    expect(days.find((d) => d.date === day)?.free).toBe(0);
    const daysC = (
      await h.app.inject({
        url: `/api/v1/centers/${CENTER}/availability?service=${SERVICE.practical}&category=C`,
      })
    ).json().days as Array<{ date: string; free: number }>;
    expect(daysC.find((d) => d.date === day)?.free).toBe(6);
    const c = await bookExam(h, (await person(h)).cookie, online[0], 'C');
    expect(c.statusCode).toBe(201);
    expect(await categoryBooked(h.ctx.db, day, 'C')).toBe(1);
  });

  it('rule 8: a cancelled B place comes back with its freed place after the random delay, never before', async () => {
    const day = '2026-11-26';
    const { online } = await examDay(h.ctx.db, day);
    const ids: Array<{ id: string; cookie: string }> = [];
    for (let i = 0; i < 3; i++) {
      const p = await person(h);
      const res = await bookExam(h, p.cookie, online[i], 'B');
      expect(res.statusCode).toBe(201);
      ids.push({ id: res.json().id, cookie: p.cookie });
    }
    const first = ids[0] as { id: string; cookie: string };
    expect((await h.client.cancel({ cookie: first.cookie }, first.id)).statusCode).toBe(200);
    // Still held: nobody polling gets the scarce place at once (rule 3).
    expect(await categoryBooked(h.ctx.db, day, 'B')).toBe(3);
    expect((await bookExam(h, (await person(h)).cookie, online[2], 'B')).statusCode).toBe(409);
    h.clock.advance(31 * 60_000);
    await h.ctx.booking.returnDuePlaces();
    expect(await categoryBooked(h.ctx.db, day, 'B')).toBe(2);
    expect((await bookExam(h, (await person(h)).cookie, online[2], 'B')).statusCode).toBe(201);
    h.clock.set(NOW);
  });

  it('rule 8: moving to another day claims the category there (SLOT_TAKEN when full) and frees this day’s with the old place', async () => {
    const from = '2026-11-27';
    const to = '2026-11-30';
    const a = await examDay(h.ctx.db, from);
    const b = await examDay(h.ctx.db, to);
    for (let i = 0; i < 3; i++)
      expect((await bookExam(h, (await person(h)).cookie, b.online[i], 'B')).statusCode).toBe(201);
    const mover = await person(h);
    const booked = await bookExam(h, mover.cookie, a.online[0], 'B');
    expect(booked.statusCode).toBe(201);
    const move = (slotId: number | undefined) =>
      h.app.inject({
        method: 'POST',
        url: `/api/v1/bookings/${booked.json().id}/reschedule`,
        headers: { cookie: mover.cookie },
        payload: { slotId },
      });
    const full = await move(b.online[1]);
    expect(full.statusCode).toBe(409);
    expect(full.json().code).toBe('SLOT_TAKEN');
    // The same day keeps its category place: no second claim, nothing freed.
    expect((await move(a.online[1])).statusCode).toBe(200);
    expect(await categoryBooked(h.ctx.db, from, 'B')).toBe(1);
    const c = await examDay(h.ctx.db, '2026-12-01');
    expect((await move(c.online[0])).statusCode).toBe(200);
    expect(await categoryBooked(h.ctx.db, '2026-12-01', 'B')).toBe(1);
    h.clock.advance(31 * 60_000);
    await h.ctx.booking.returnDuePlaces();
    expect(await categoryBooked(h.ctx.db, from, 'B')).toBe(0);
    h.clock.set(NOW);
  });

  it('rule 8: the kiosk takes the terminal pool’s category places (1 of B today), then SLOT_TAKEN', async () => {
    const today = '2026-11-23';
    await examDay(h.ctx.db, today);
    const term = await staffCookie(h.app, 'terminal', CENTER);
    const at = (seed: number) =>
      h.app.inject({
        method: 'POST',
        url: `/api/v1/centers/${CENTER}/terminal/registrations`,
        headers: { cookie: term },
        payload: { ...terminalPayload({ seed, service: SERVICE.practical }), examCategory: 'B' },
      });
    const first = await at(801);
    expect(first.statusCode, first.body).toBe(201);
    const second = await at(802);
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'SLOT_TAKEN' });
    expect(await categoryBooked(h.ctx.db, today, 'B', 'terminal')).toBe(1);
    // The refused ticket took no slot place either (one transaction).
    const terminalBooked = await h.ctx.db
      .selectFrom('slots')
      .select('booked')
      .where('day', '=', today)
      .where('pool', '=', 'terminal')
      .executeTakeFirstOrThrow();
    expect(terminalBooked.booked).toBe(1);
  });

  it('rule 8: the release draw wins no more entries of a category than its online places (3 of 5 for B)', async () => {
    const day = '2026-12-14';
    const releasedAt = new Date('2026-11-23T04:00:00Z');
    h.clock.set('2026-11-23T04:00:30Z');
    const slots: number[] = [];
    for (const time of ['09:00', '10:00', '11:00'])
      slots.push(await addSlot(h.ctx.db, { day, time, group: GROUP.practical, capacity: 4, releasedAt }));
    await addSlot(h.ctx.db, {
      day,
      time: '12:00',
      group: GROUP.practical,
      capacity: 4,
      pool: 'terminal',
      releasedAt,
    });
    for (let i = 0; i < 5; i++) {
      const res = await bookExam(h, (await person(h)).cookie, slots[i % 3], 'B');
      expect(res.statusCode, res.body).toBe(202);
    }
    h.clock.set('2026-11-23T04:10:00Z');
    const drawn = await h.ctx.fairness.lottery.drawDue({ seed: 'rule-8' });
    expect(drawn).toMatchObject([{ day, entries: 5, won: 3, lost: 2 }]);
    expect(await categoryBooked(h.ctx.db, day, 'B')).toBe(3);
    h.clock.set(NOW);
  });
});

describe.runIf(requirePostgres())('exam category race on postgres', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('postgres', { now: NOW, poolSize: 30 });
    await seedExamHub(h.ctx.db);
  });
  afterAll(() => h.close());

  it('rule 8: 40 connections booking category B (3 online places, 30 free slot places) never pass the cap', async () => {
    const day = '2026-11-24';
    const { online } = await examDay(h.ctx.db, day, 10);
    const cookies = [];
    for (let i = 0; i < 40; i++) cookies.push((await person(h)).cookie);
    const results = await Promise.all(cookies.map((cookie, i) => bookExam(h, cookie, online[i % 3], 'B')));
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(3);
    expect(codes.filter((c) => c !== 201 && c !== 409)).toEqual([]);
    expect(await categoryBooked(h.ctx.db, day, 'B')).toBe(3);
    const held = await h.ctx.db
      .selectFrom('registrations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('day', '=', day)
      .where('exam_category', '=', 'B')
      .executeTakeFirstOrThrow();
    expect(Number(held.n)).toBe(3);
    const slots = await h.ctx.db
      .selectFrom('slots')
      .select((eb) => eb.fn.sum<number>('booked').as('n'))
      .where('id', 'in', online)
      .executeTakeFirstOrThrow();
    expect(Number(slots.n)).toBe(3);
  });
});
