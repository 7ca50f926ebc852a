import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSlot, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

// 06:00:30 Kyiv on 23 Nov 2026 (UTC+2): the day released now is 14 Dec (today + 21); its
// release lottery's window closes at 06:10.
const DAY = '2026-12-14';
const CLOSES = new Date('2026-11-23T04:10:00Z');
const RELEASED_AT = new Date('2026-11-23T04:00:00Z');

describe.each(testDatabases())(
  'rule 9 in "my registrations": a lottery entry says when it is decided, on %s',
  (kind) => {
    let h: Harness;
    beforeAll(async () => {
      h = await createHarness(kind, { now: '2026-11-23T04:00:30Z' });
      await seedCatalog(h.ctx.db);
    });
    afterAll(() => h.close());

    it('the pending entry carries its draw time (decidesAt); a booked place carries null', async () => {
      const released = await addSlot(h.ctx.db, {
        day: DAY,
        time: '09:00',
        capacity: 2,
        releasedAt: RELEASED_AT,
      });
      const earlier = await addSlot(h.ctx.db, { day: '2026-12-10', time: '10:00', capacity: 2 });
      const p = await citizenCookie(h.app, { rnokpp: rnokpp(63001) });
      const entry = await h.client.book({ cookie: p.cookie }, { slotId: released });
      expect(entry.statusCode).toBe(202);
      const booked = await h.client.book({ cookie: p.cookie }, { slotId: earlier });
      expect(booked.statusCode).toBe(201);

      const res = await h.app.inject({
        method: 'GET',
        url: '/api/v1/me/bookings',
        headers: { cookie: p.cookie },
      });
      expect(res.statusCode).toBe(200);
      const mine = res.json() as Array<{ id: string; status: string; decidesAt: string | null }>;
      expect(mine.find((b) => b.id === entry.json().id)).toMatchObject({
        status: 'pending',
        decidesAt: CLOSES.toISOString(),
      });
      expect(mine.find((b) => b.id === booked.json().id)).toMatchObject({
        status: 'booked',
        decidesAt: null,
      });
    });
  },
);
