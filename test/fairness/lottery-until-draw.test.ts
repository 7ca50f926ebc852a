import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { nextDrawAt, undecided } from '../../src/fairness/lottery-rules.js';
import { addSlot, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { requirePostgres, testDatabases } from '../support/test-db.js';

// 06:00:30 Kyiv on 23 Nov 2026 (UTC+2): the day released now is 14 Dec (today + 21).
const DAY = '2026-12-14';
const CLOSES = new Date('2026-11-23T04:10:00Z');
const RELEASED_AT = new Date('2026-11-23T04:00:00Z');
const policy = loadConfig({ NODE_ENV: 'test' }).policy;

describe('rule 9: the lottery decides a released day until its draw has committed', () => {
  it('an undrawn draw keeps the day a lottery after its window; a committed one opens first-come', () => {
    const after = new Date(CLOSES.getTime() + 150);
    expect(undecided(DAY, after, { decidesAt: CLOSES, drawnAt: null }, policy)).toEqual({
      decidesAt: CLOSES,
    });
    expect(undecided(DAY, after, { decidesAt: CLOSES, drawnAt: after }, policy)).toBeNull();
    // No draw row yet (nobody entered): still the lottery's until the job draws it.
    expect(undecided(DAY, after, null, policy)).toEqual({ decidesAt: CLOSES });
    // Another day, or before 06:00: first-come as ever.
    expect(undecided('2026-12-13', after, null, policy)).toBeNull();
    expect(undecided(DAY, new Date('2026-11-23T03:59:00Z'), null, policy)).toBeNull();
  });

  it('the next draw starts when the next window closes: today 06:10 Kyiv, else tomorrow', () => {
    expect(nextDrawAt(new Date('2026-11-23T04:09:58Z'), policy)).toEqual(CLOSES);
    expect(nextDrawAt(CLOSES, policy)).toEqual(new Date('2026-11-24T04:10:00Z'));
  });
});

describe.each(testDatabases())('rule 9: entries until the draw, on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind, { now: '2026-11-23T04:10:00.100Z' });
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());

  it('a request after an empty window is an entry (202) until the draw; the job wakes at the close and draws it', async () => {
    const slot = await addSlot(h.ctx.db, { day: DAY, time: '09:00', capacity: 2, releasedAt: RELEASED_AT });
    const p = await citizenCookie(h.app, { rnokpp: rnokpp(62001) });
    const res = await h.client.book({ cookie: p.cookie }, { slotId: slot });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: 'pending', decidesAt: CLOSES.toISOString() });

    // The job runs 100 ms before the next close; the clock reaches it while it sleeps.
    h.clock.set(new Date(CLOSES.getTime() + 86_400_000 - 100));
    await h.ctx.fairness.lottery.drawDue(); // today's due draw first
    const won = await h.ctx.db
      .selectFrom('registrations')
      .select('status')
      .where('id', '=', res.json().id)
      .executeTakeFirstOrThrow();
    expect(won.status).toBe('booked');
    const started = Date.now();
    setTimeout(() => h.clock.set(new Date(CLOSES.getTime() + 86_400_000)), 50);
    const drawn = await h.ctx.fairness.lottery.drawOnTime(5_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(drawn.map((d) => d.day)).toEqual(['2026-12-15']); // the empty window's draw, at once
    // After its draw, the day is first-come.
    const next = await addSlot(h.ctx.db, {
      day: '2026-12-15',
      time: '09:00',
      capacity: 1,
      releasedAt: CLOSES,
    });
    const later = await citizenCookie(h.app, { rnokpp: rnokpp(62002) });
    expect((await h.client.book({ cookie: later.cookie }, { slotId: next })).statusCode).toBe(201);
  });
});

describe.skipIf(!requirePostgres())(
  'rule 1: one active registration per person, day and service group, raced on PostgreSQL',
  () => {
    let h: Harness;
    beforeAll(async () => {
      h = await createHarness('postgres', { now: '2026-11-23T07:00:00Z', poolSize: 20 });
      await seedCatalog(h.ctx.db);
    });
    afterAll(() => h.close());

    it('12 concurrent bookings of one person for 12 slots of one day and group: exactly one place', async () => {
      const slots: number[] = [];
      for (let i = 0; i < 12; i++) {
        slots.push(
          await addSlot(h.ctx.db, {
            day: '2026-12-01',
            time: `${String(9 + (i % 4)).padStart(2, '0')}:${i < 4 ? '00' : i < 8 ? '20' : '40'}`,
            capacity: 3,
          }),
        );
      }
      const p = await citizenCookie(h.app, { rnokpp: rnokpp(62101) });
      const answers = await Promise.all(
        slots.map((slotId) => h.client.book({ cookie: p.cookie }, { slotId })),
      );
      expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(1);
      const refused = answers.filter((a) => a.statusCode !== 201);
      expect(refused.every((a) => a.statusCode === 409 && a.json().code === 'LIMIT_REACHED')).toBe(true);
      const active = await h.ctx.db
        .selectFrom('registrations')
        .select('id')
        .where('person_id', '=', p.personId)
        .where('status', '=', 'booked')
        .execute();
      expect(active).toHaveLength(1);
      const placed = await h.ctx.db.selectFrom('slots').select('booked').where('id', 'in', slots).execute();
      expect(placed.reduce((n, s) => n + s.booked, 0)).toBe(1);
      // The refused attempts took no unit of the monthly limit (rule 1 counts registrations).
      const used = await h.ctx.db
        .selectFrom('usage_counters')
        .select('used')
        .where('subject', '=', `person:${p.personId}`)
        .executeTakeFirstOrThrow();
      expect(used.used).toBe(1);
    });
  },
);

describe.skipIf(!requirePostgres())('rule 9: a request while the draw runs, on PostgreSQL', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('postgres', { now: '2026-11-23T04:05:00Z', poolSize: 20 });
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());

  it('waits for the draw to commit, then is served first-come: no entry is left undrawn', async () => {
    const slot = await addSlot(h.ctx.db, { day: DAY, time: '14:00', capacity: 3, releasedAt: RELEASED_AT });
    const entrant = await citizenCookie(h.app, { rnokpp: rnokpp(62201) });
    expect((await h.client.book({ cookie: entrant.cookie }, { slotId: slot })).statusCode).toBe(202);
    h.clock.set(new Date(CLOSES.getTime() + 100));
    const late = await citizenCookie(h.app, { rnokpp: rnokpp(62202) });
    let lateAnswer: Promise<{ statusCode: number }> | undefined;
    await h.ctx.db.transaction().execute(async (trx) => {
      const { claimDueDraw } = await import('../../src/fairness/lottery-store.js');
      const due = await claimDueDraw(trx, h.clock.now());
      expect(due?.day).toBe(DAY);
      // The request arrives while the draw holds the day: it must not slip in as an entry the
      // draw never sees, nor take a place first-come before the draw.
      lateAnswer = h.client.book({ cookie: late.cookie }, { slotId: slot });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await h.ctx.fairness.lottery.draw(trx, DAY, 'while-drawing', h.clock.now());
    });
    expect((await lateAnswer)?.statusCode).toBe(201);
    const pending = await h.ctx.db
      .selectFrom('registrations')
      .select('id')
      .where('day', '=', DAY)
      .where('status', '=', 'pending')
      .execute();
    expect(pending).toEqual([]);
    const draw = await h.ctx.db
      .selectFrom('lottery_draws')
      .selectAll()
      .where('day', '=', DAY)
      .executeTakeFirstOrThrow();
    expect(draw.entries).toBe(1);
  });

  // #19: the draw reads its entries without locking each one (200,000 row locks cost a second);
  // a withdrawal instead holds the day's draw open, as an entry does, so it never lands between
  // the draw's read and its writes.
  it('a withdrawal while the draw runs waits for it, then finds the entry decided', async () => {
    const day = '2026-12-15';
    const closes = new Date(CLOSES.getTime() + 86_400_000);
    h.clock.set(new Date(RELEASED_AT.getTime() + 86_400_000 + 60_000));
    const slot = await addSlot(h.ctx.db, {
      day,
      time: '14:00',
      capacity: 3,
      releasedAt: new Date(RELEASED_AT.getTime() + 86_400_000),
    });
    const entrant = await citizenCookie(h.app, { rnokpp: rnokpp(62203) });
    const entered = await h.client.book({ cookie: entrant.cookie }, { slotId: slot });
    expect(entered.statusCode).toBe(202);
    h.clock.set(new Date(closes.getTime() + 100));
    let answered = false;
    let withdrawal: Promise<{ statusCode: number; json(): { code?: string } }> | undefined;
    await h.ctx.db.transaction().execute(async (trx) => {
      const { claimDueDraw } = await import('../../src/fairness/lottery-store.js');
      expect((await claimDueDraw(trx, h.clock.now()))?.day).toBe(day);
      withdrawal = h.client.cancel({ cookie: entrant.cookie }, entered.json().id).then((r) => {
        answered = true;
        return r;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(answered).toBe(false);
      const drawn = await h.ctx.fairness.lottery.draw(trx, day, 'withdraw-while-drawing', h.clock.now());
      expect(drawn).toMatchObject({ entries: 1, won: 1 });
    });
    const answer = await withdrawal;
    expect(answer?.statusCode).toBe(409);
    expect(answer?.json().code).toBe('INVALID_STATE');
    const reg = await h.ctx.db
      .selectFrom('registrations')
      .select('status')
      .where('id', '=', entered.json().id)
      .executeTakeFirstOrThrow();
    expect(reg.status).toBe('booked');
  });
});
