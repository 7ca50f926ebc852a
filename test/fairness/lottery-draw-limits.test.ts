import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSlot, GROUP, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

// 06:00:30 Kyiv on 23 Nov 2026 (UTC+2): the day released now is 14 Dec (today + 21).
const RELEASE = '2026-11-23T04:00:30Z';
const DAY = '2026-12-14';
const RELEASED_AT = new Date('2026-11-23T04:00:00Z');

describe.each(testDatabases())('rules 1 and 9: the draw takes limit units in draw order, on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind, { now: RELEASE });
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());

  it('a person one unit below the monthly limit with two winning entries gets one place; the other loses for the limit', async () => {
    h.clock.set(RELEASE);
    const vehicle = await addSlot(h.ctx.db, {
      day: DAY,
      time: '10:00',
      capacity: 5,
      releasedAt: RELEASED_AT,
    });
    const licence = await addSlot(h.ctx.db, {
      day: DAY,
      time: '10:00',
      capacity: 5,
      group: GROUP.licence,
      releasedAt: RELEASED_AT,
    });
    const p = await citizenCookie(h.app, { rnokpp: rnokpp(7801) });
    const other = await citizenCookie(h.app, { rnokpp: rnokpp(7802) });
    const limit = h.ctx.config.policy.personOnlinePerMonth;
    // Registrations of the month made before: one unit is left.
    await h.ctx.db
      .insertInto('usage_counters')
      .values({ subject: `person:${p.personId}`, channel: 'online', period: '2026-12-01', used: limit - 1 })
      .execute();
    const a = await h.client.book({ cookie: p.cookie }, { slotId: vehicle });
    const b = await h.client.book({ cookie: p.cookie }, { slotId: licence, serviceId: SERVICE.licence });
    const c = await h.client.book({ cookie: other.cookie }, { slotId: vehicle });
    expect([a.statusCode, b.statusCode, c.statusCode]).toEqual([202, 202, 202]);

    h.clock.set('2026-11-23T04:10:00Z');
    expect(await h.ctx.fairness.lottery.drawDue({ seed: 'limits' })).toMatchObject([
      { day: DAY, entries: 3, won: 2, lost: 1 },
    ]);
    const mine = await h.ctx.db
      .selectFrom('lottery_entries')
      .innerJoin('registrations', 'registrations.id', 'lottery_entries.id')
      .select(['lottery_entries.outcome', 'lottery_entries.outcome_reason', 'registrations.status'])
      .where('lottery_entries.person_id', '=', p.personId)
      .orderBy('lottery_entries.position')
      .execute();
    expect(mine).toEqual([
      { outcome: 'won', outcome_reason: null, status: 'booked' },
      { outcome: 'lost', outcome_reason: 'limit', status: 'lost' },
    ]);
    const counters = await h.ctx.db
      .selectFrom('usage_counters')
      .select(['subject', 'used'])
      .where('channel', '=', 'online')
      .where('period', '=', '2026-12-01')
      .where('subject', 'in', [`person:${p.personId}`, `person:${other.personId}`])
      .orderBy('used', 'desc')
      .execute();
    expect(counters).toEqual([
      { subject: `person:${p.personId}`, used: limit },
      { subject: `person:${other.personId}`, used: 1 },
    ]);
    // Ticket numbers of the winners: distinct, from 1000, in the center's sequence.
    const numbers = await h.ctx.db
      .selectFrom('registrations')
      .select('number')
      .where('day', '=', DAY)
      .where('status', '=', 'booked')
      .orderBy('number')
      .execute();
    expect(numbers.map((n) => n.number)).toEqual([1000, 1001]);
  });
});
