import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSlot, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

/**
 * Bypass: after the release window closed, requests for the released day were served first-come
 * at once while the draw job (a 2 s poll) had not run yet. One bot identity took 4 places of one
 * slot in the ~150 ms between the window's end and the draw, pushing the entrants to later times
 * (SPEC 3.9: "No place of a released day can be booked first-come until its draw has finished";
 * SPEC 3.1: one active registration per person, day and service group).
 */

// 06:00:30 Kyiv on 23 Nov 2026 (UTC+2): the day released now is 14 Dec (today + 21).
const IN_WINDOW = '2026-11-23T04:00:30Z';
/** 50 ms after the window closed (06:10 Kyiv): the draw has not committed yet. */
const BEFORE_DRAW = '2026-11-23T04:10:00.050Z';
const DAY = '2026-12-14';
const RELEASED_AT = new Date('2026-11-23T04:00:00Z');

describe.each(testDatabases())('red team: lottery sniping between the window and the draw, on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind, { now: IN_WINDOW });
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());

  it('one bot identity booking in the ~150 ms after the window gets an entry, not places', async () => {
    h.clock.set(IN_WINDOW);
    const slot = await addSlot(h.ctx.db, { day: DAY, time: '10:00', capacity: 4, releasedAt: RELEASED_AT });
    await addSlot(h.ctx.db, { day: DAY, time: '10:30', capacity: 8, releasedAt: RELEASED_AT });
    const entrants: string[] = [];
    for (let i = 0; i < 8; i++) {
      const p = await citizenCookie(h.app, { rnokpp: rnokpp(61000 + i) });
      const res = await h.client.book({ cookie: p.cookie }, { slotId: slot });
      expect(res.statusCode).toBe(202);
      entrants.push(p.personId);
    }

    h.clock.set(BEFORE_DRAW);
    const bot = await citizenCookie(h.app, { rnokpp: rnokpp(61999) });
    const answers: number[] = [];
    for (let i = 0; i < 4; i++) {
      h.clock.advance(25);
      answers.push((await h.client.book({ cookie: bot.cookie }, { slotId: slot })).statusCode);
    }
    // Not one place first-come: one entry (202), the rest refused as a second entry.
    expect(answers.filter((c) => c === 201)).toEqual([]);
    expect(answers.filter((c) => c === 202)).toHaveLength(1);
    const booked = await h.ctx.db
      .selectFrom('slots')
      .select('booked')
      .where('id', '=', slot)
      .executeTakeFirstOrThrow();
    expect(booked.booked).toBe(0);

    await h.ctx.fairness.lottery.drawDue({ seed: 'sniping-seed' });
    const holders = await h.ctx.db
      .selectFrom('registrations')
      .select(['person_id'])
      .where('slot_id', '=', slot)
      .where('status', '=', 'booked')
      .execute();
    expect(holders).toHaveLength(4);
    // The bot drew like everyone else: at most one place, never four.
    expect(holders.filter((r) => r.person_id === bot.personId).length).toBeLessThanOrEqual(1);
    const botActive = await h.ctx.db
      .selectFrom('registrations')
      .select('id')
      .where('person_id', '=', bot.personId)
      .where('status', 'in', ['pending', 'booked'])
      .execute();
    expect(botActive.length).toBeLessThanOrEqual(1);
  });

  it('after the draw, one identity cannot hold 4 places in one slot (LIMIT_REACHED)', async () => {
    h.clock.set('2026-11-23T07:00:00Z');
    const slot = await addSlot(h.ctx.db, { day: '2026-12-10', time: '12:00', capacity: 4 });
    const bot = await citizenCookie(h.app, { rnokpp: rnokpp(61998) });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await h.client.book({ cookie: bot.cookie }, { slotId: slot }));
    expect(answers.map((a) => a.statusCode)).toEqual([201, 409, 409, 409]);
    expect(answers.slice(1).every((a) => a.json().code === 'LIMIT_REACHED')).toBe(true);
  });
});
