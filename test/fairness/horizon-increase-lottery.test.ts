import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSlot, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

/**
 * Rule 9 against an insider's (or a careless) policy change: raising the online horizon in the
 * national console opens several days at once, in the middle of the day. Those days must not go
 * to whoever asks first: each gets a release draw one lottery window from the change, and until
 * it has run a request for them is a lottery entry (202), as for the day released at 06:00.
 */
const NOW = '2026-11-23T12:00:00Z'; // Monday 14:00 in Kyiv: today's release and its draw are long past
const OPENED = '2026-12-16'; // today + 23: bookable only once the horizon is 25

describe.each(testDatabases())(
  'rule 9: days opened by a longer horizon go through the lottery, on %s',
  (kind) => {
    let h: Harness;
    let slotId: number;
    beforeAll(async () => {
      h = await createHarness(kind, { now: NOW });
      await seedCatalog(h.ctx.db);
      // A national admin on the staff list (a policy change is kept with a staff member's name).
      await h.ctx.db
        .insertInto('staff')
        .values({ id: 'st-nat-1', center_id: null, full_name: 'Гончар Віктор', role: 'national_admin' })
        .execute();
      slotId = await addSlot(h.ctx.db, { day: OPENED, time: '10:00', capacity: 3 });
    });
    afterAll(() => h.close());

    it('rule 9: after the horizon goes from 21 to 25 at 14:00, a request for a newly opened day is an entry, first-come only after its draw', async () => {
      const admin = await staffCookie(h.app, 'national_admin');
      const changed = await h.app.inject({
        method: 'PUT',
        url: '/api/v1/admin/policy/values/horizonDays',
        headers: { cookie: admin },
        payload: { value: 25, reason: 'Зимовий пілот: довший горизонт запису' },
      });
      expect(changed.statusCode, changed.body).toBe(200);

      const first = await citizenCookie(h.app, { rnokpp: rnokpp(63001) });
      const entry = await h.client.book({ cookie: first.cookie }, { slotId });
      expect(entry.statusCode, entry.body).toBe(202);
      expect(entry.json().status).toBe('pending');
      const { rows } = await h.ctx.db
        .selectFrom('lottery_draws')
        .select(['day', 'decides_at'])
        .where('day', '>', '2026-12-14')
        .orderBy('day')
        .execute()
        .then((r) => ({ rows: r }));
      expect(rows.map((r) => r.day)).toEqual(['2026-12-15', '2026-12-16', '2026-12-17', '2026-12-18']);
      expect(new Date(rows[0]?.decides_at as Date).toISOString()).toBe('2026-11-23T12:10:00.000Z');

      // The window passes and the draw runs: the entrant has the place, the next person books first-come.
      h.clock.set('2026-11-23T12:10:01Z');
      await h.ctx.fairness.lottery.drawDue({ seed: 'horizon' });
      const later = await citizenCookie(h.app, { rnokpp: rnokpp(63002) });
      expect((await h.client.book({ cookie: later.cookie }, { slotId })).statusCode).toBe(201);
    });
  },
);
