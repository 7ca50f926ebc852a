import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDueDraw } from '../../src/fairness/lottery-store.js';
import { addSlot, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

// 06:00:30 Kyiv on 23 Nov 2026 (UTC+2): the day released now is 14 Dec (today + 21).
const DAY = '2026-12-14';
const RELEASED_AT = new Date('2026-11-23T04:00:00Z');
const CLOSES = new Date('2026-11-23T04:10:00Z');

/**
 * #19: a draw's loss letters (185,000 at the national release) are queued right after it commits,
 * not inside it; the commit records that they are owed, so an instance that stops in between
 * leaves them to the next run of the job, which queues each exactly once.
 */
describe.each(testDatabases())('rule 9 and rule 10: the loss letters a draw owes, on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind, { now: '2026-11-23T04:00:30Z' });
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());

  const letters = async (template: string) =>
    (
      await h.ctx.db
        .selectFrom('outbox')
        .select(['recipient', 'payload'])
        .where('template', '=', template)
        .execute()
    ).map((o) => (o.payload as { registrationId: string }).registrationId);

  it('a draw interrupted before its loss letters: the winners are told at once, the losers by the next run, once', async () => {
    const slot = await addSlot(h.ctx.db, { day: DAY, time: '10:00', capacity: 1, releasedAt: RELEASED_AT });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const p = await citizenCookie(h.app, { rnokpp: rnokpp(66001 + i), email: `p${i}@example.com` });
      const res = await h.client.book({ cookie: p.cookie }, { slotId: slot });
      expect(res.statusCode).toBe(202);
      ids.push(res.json().id);
    }
    // The draw commits; the instance stops before queueing the loss letters.
    h.clock.set(new Date(CLOSES.getTime() + 100));
    await h.ctx.db.transaction().execute(async (trx) => {
      expect((await claimDueDraw(trx, h.clock.now()))?.day).toBe(DAY);
      await h.ctx.fairness.lottery.draw(trx, DAY, 'interrupted', h.clock.now());
    });
    expect(await letters('lottery_won')).toHaveLength(1);
    expect(await letters('lottery_lost')).toEqual([]);
    const owed = await h.ctx.db
      .selectFrom('lottery_draws')
      .select(['drawn_at', 'losers_told_at'])
      .where('day', '=', DAY)
      .executeTakeFirstOrThrow();
    expect(owed.drawn_at).not.toBeNull();
    expect(owed.losers_told_at).toBeNull();

    // Another instance's job a few seconds later leaves them to the one that drew (still queueing).
    h.clock.set(new Date(CLOSES.getTime() + 5_000));
    await h.ctx.fairness.lottery.drawDue();
    expect(await letters('lottery_lost')).toEqual([]);

    // A minute on, the job queues what is owed, and marks it told.
    h.clock.set(new Date(CLOSES.getTime() + 70_000));
    await h.ctx.fairness.lottery.drawDue();
    const lost = await letters('lottery_lost');
    expect(lost).toHaveLength(3);
    expect([...lost, ...(await letters('lottery_won'))].sort()).toEqual([...ids].sort());
    const told = await h.ctx.db
      .selectFrom('lottery_draws')
      .select('losers_told_at')
      .where('day', '=', DAY)
      .executeTakeFirstOrThrow();
    expect(told.losers_told_at).not.toBeNull();
    h.clock.set(new Date(CLOSES.getTime() + 140_000));
    await h.ctx.fairness.lottery.drawDue();
    expect(await letters('lottery_lost')).toHaveLength(3);
  });
});
