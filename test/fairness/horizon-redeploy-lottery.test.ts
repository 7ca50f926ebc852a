import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { type AppContext, createContext } from '../../src/context.js';
import { testClient } from '../support/client.js';
import { addSlot, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

/**
 * Rule 9 against a redeploy with a longer HORIZON_DAYS (the threat model's insider, or a careless
 * operator): the new processes open several days at once, at a moment someone chose. Those days
 * must not go to whoever asks first: each gets a release draw one lottery window from the start,
 * as when the national admin raises the horizon in the console. The release mark (migration
 * 0023) remembers the last day the system opened, so only days past it are new.
 */
const NOW = '2026-11-23T12:00:00Z'; // Monday 14:00 in Kyiv: today's release (14 Dec) and its draw are past
const OPENED = '2026-12-16'; // today + 23: bookable only with a horizon of 25

describe.each(testDatabases())(
  'rule 9: days opened by HORIZON_DAYS at a redeploy go through the lottery, on %s',
  (kind) => {
    let h: Harness;
    const started: Array<{ app: FastifyInstance; ctx: AppContext }> = [];
    beforeAll(async () => {
      h = await createHarness(kind, { now: NOW });
      await seedCatalog(h.ctx.db);
    });
    afterAll(async () => {
      for (const s of started) {
        await s.app.close();
        await s.ctx.stop();
      }
      await h.close();
    });

    /** A process of the redeploy: the same database, its own configuration, started like main.ts. */
    async function redeploy(horizonDays: number) {
      const config = { ...h.config, policy: { ...h.config.policy, horizonDays } };
      const ctx = createContext({ config, handle: h.handle, clock: h.clock });
      const app = await buildApp(ctx);
      await ctx.start(app);
      await app.ready();
      started.push({ app, ctx });
      return app;
    }

    const draws = async () =>
      (await h.ctx.db.selectFrom('lottery_draws').select(['day', 'decides_at']).orderBy('day').execute()).map(
        (d) => ({ day: d.day, decidesAt: new Date(d.decides_at).toISOString() }),
      );

    it('a new installation opens its horizon as configured: no draw at its first start', async () => {
      expect(await draws()).toEqual([]);
      const mark = await h.ctx.db.selectFrom('release_marks').select('last_day').executeTakeFirstOrThrow();
      expect(mark.last_day).toBe('2026-12-14');
    });

    it('rule 9: after HORIZON_DAYS goes from 21 to 25 at a redeploy, a newly opened day is a lottery entry until its draw', async () => {
      const slotId = await addSlot(h.ctx.db, { day: OPENED, time: '10:00', capacity: 3 });
      const app = await redeploy(25);
      expect(await draws()).toEqual(
        ['2026-12-15', '2026-12-16', '2026-12-17', '2026-12-18'].map((day) => ({
          day,
          decidesAt: '2026-11-23T12:10:00.000Z',
        })),
      );
      const client = testClient(app);
      const first = await citizenCookie(app, { rnokpp: rnokpp(64001) });
      const entry = await client.book({ cookie: first.cookie }, { slotId });
      expect(entry.statusCode, entry.body).toBe(202);
      expect(entry.json()).toMatchObject({ status: 'pending', decidesAt: '2026-11-23T12:10:00.000Z' });

      // Another process of the same redeploy starting a moment later opens nothing more.
      h.clock.set('2026-11-23T12:01:00Z');
      await redeploy(25);
      expect(await draws()).toHaveLength(4);

      // The window passes and the draw runs: the entrant has the place; then first come.
      h.clock.set('2026-11-23T12:10:01Z');
      await h.ctx.fairness.lottery.drawDue({ seed: 'redeploy' });
      const later = await citizenCookie(app, { rnokpp: rnokpp(64002) });
      const booked = await client.book({ cookie: later.cookie }, { slotId });
      expect(booked.statusCode, booked.body).toBe(201);
    });

    it("a restart the next day with the same horizon adds only that morning's release, with its own window", async () => {
      h.clock.set('2026-11-24T12:00:00Z'); // Tuesday 14:00 Kyiv: 19 Dec was released at 06:00
      await redeploy(25);
      const added = (await draws()).filter((d) => d.day > '2026-12-18');
      expect(added).toEqual([{ day: '2026-12-19', decidesAt: '2026-11-24T04:10:00.000Z' }]);
    });
  },
);
