import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSlot, CENTER, OTHER_CENTER, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

const NOW = '2026-11-23T07:00:00Z';

describe.each(testDatabases())(
  'rule 4: the blocked person is told where the block can be lifted on %s',
  (kind) => {
    let h: Harness;
    beforeAll(async () => {
      h = await createHarness(kind, { now: NOW });
      await seedCatalog(h.ctx.db);
    });
    afterAll(() => h.close());

    const me = async (cookie: string) =>
      (await h.app.inject({ url: '/api/v1/me', headers: { cookie } })).json();

    it('GET /me names the center of the last registration (by its time) only while the person is blocked', async () => {
      const person = await citizenCookie(h.app, { rnokpp: rnokpp(4242) });
      // Booked first for the later day in Kyiv, then for an earlier day in Lviv: the last is Kyiv's.
      const later = await addSlot(h.ctx.db, { day: '2026-11-27', time: '10:00', capacity: 2 });
      const earlier = await addSlot(h.ctx.db, {
        day: '2026-11-25',
        time: '10:00',
        capacity: 2,
        center: OTHER_CENTER,
      });
      expect((await h.client.book({ cookie: person.cookie }, { slotId: later })).statusCode).toBe(201);
      expect((await h.client.book({ cookie: person.cookie }, { slotId: earlier })).statusCode).toBe(201);
      expect((await me(person.cookie)).blockLiftCenter).toBeNull();

      await h.ctx.db
        .updateTable('persons')
        .set({ blocked_until: new Date('2026-12-23T07:00:00Z') })
        .where('id', '=', person.personId)
        .execute();
      const blocked = await me(person.cookie);
      expect(blocked.blockedUntil).toBe('2026-12-23T07:00:00.000Z');
      expect(blocked.blockLiftCenter).toEqual({
        id: CENTER,
        name: 'ТСЦ МВС № 8041',
        address: 'м. Київ, вул. Тестова, 1',
      });
    });
  },
);
