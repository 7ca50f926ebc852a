import { beforeEach, describe, expect, it } from 'vitest';
import { addSlot, CENTER, GROUP, SERVICE } from '../support/fixtures.js';
import type { Harness } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';
import { hallFixture, TODAY, terminalPayload } from './hall-support.js';

/**
 * Rule 8 at the kiosk (SPEC §2 terminal channel): the times offered for a practical exam are only
 * those its vehicle category still has terminal places for, read from the same counters the
 * registration claims, as the portal's /slots?category= reads the online ones.
 *
 * Today at CENTER: two terminal exam slots of 2 places (09:30, 10:00) and one online of 4: 8
 * places, 4 online. B has 1 car, C 2, the center's examiner norm is 4: B's terminal cap is 2
 * (4 − 4 × 4/8), C's is 4.
 */
describe.each(testDatabases())('rule 8: kiosk times per vehicle category on %s', (kind) => {
  let h: Harness;
  let term: string;
  hallFixture(kind, (hall) => ({ h, term } = hall));

  beforeEach(async () => {
    await h.ctx.db
      .updateTable('services')
      .set({ exam_categories: ['B', 'C'] })
      .where('id', '=', SERVICE.practical)
      .execute();
    await h.ctx.db.deleteFrom('center_exam_categories').where('center_id', '=', CENTER).execute();
    await h.ctx.db
      .insertInto('center_exam_categories')
      .values([
        { center_id: CENTER, category: 'B', cars: 1 },
        { center_id: CENTER, category: 'C', cars: 2 },
      ])
      .execute();
    await h.ctx.db.deleteFrom('norms').where('group_id', '=', GROUP.practical).execute();
    await h.ctx.db
      .insertInto('norms')
      .values({ center_id: CENTER, group_id: GROUP.practical, role: 'examiner', per_day: 4 })
      .execute();
    for (const time of ['09:30', '10:00'])
      await addSlot(h.ctx.db, { day: TODAY, time, group: GROUP.practical, capacity: 2, pool: 'terminal' });
    await addSlot(h.ctx.db, { day: TODAY, time: '11:00', group: GROUP.practical, capacity: 4 });
  });

  const times = (query: string) =>
    h.app.inject({
      url: `/api/v1/centers/${CENTER}/terminal/times?service=${SERVICE.practical}${query}`,
      headers: { cookie: term },
    });
  const register = (seed: number, examCategory: string) =>
    h.app.inject({
      method: 'POST',
      url: `/api/v1/centers/${CENTER}/terminal/registrations`,
      headers: { cookie: term },
      payload: { ...terminalPayload({ seed, service: SERVICE.practical }), examCategory },
    });
  const at930 = '2026-11-23T07:30:00.000Z';
  const at1000 = '2026-11-23T08:00:00.000Z';

  it('rule 8: the kiosk offers a category only the times it still has terminal places for, none once it has none', async () => {
    expect((await times('&category=B')).json()).toEqual([
      { callTime: at930, free: 2 },
      { callTime: at1000, free: 2 },
    ]);
    expect((await register(1, 'B')).statusCode).toBe(201);
    // One B place left today: no time offers more than that.
    expect((await times('&category=B')).json()).toEqual([
      { callTime: at930, free: 1 },
      { callTime: at1000, free: 1 },
    ]);
    expect((await register(2, 'B')).statusCode).toBe(201);
    // B is full: no time at all, while the slots still have places for C (and the plain list).
    expect((await times('&category=B')).json()).toEqual([]);
    expect((await times('&category=C')).json()).toEqual([{ callTime: at1000, free: 2 }]);
    expect((await times('')).json()).toEqual([{ callTime: at1000, free: 2 }]);
    // What the list says is what the registration finds: a third B is refused.
    expect((await register(3, 'B')).json().code).toBe('SLOT_TAKEN');
  });

  it('rule 8: a category the center does not examine, or any for a service without categories, is refused', async () => {
    for (const query of ['&category=D', '&category=b']) {
      const res = await times(query);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().code).toBe('VALIDATION');
    }
    await h.ctx.db
      .deleteFrom('center_exam_categories')
      .where('center_id', '=', CENTER)
      .where('category', '=', 'C')
      .execute();
    const notHere = await times('&category=C');
    expect(notHere.statusCode).toBe(400);
    expect(notHere.json().errors).toEqual([expect.objectContaining({ field: 'query.category' })]);
    const plain = await h.app.inject({
      url: `/api/v1/centers/${CENTER}/terminal/times?service=${SERVICE.vehicle}&category=B`,
      headers: { cookie: term },
    });
    expect(plain.statusCode).toBe(400);
    expect(plain.json().errors).toEqual([expect.objectContaining({ field: 'query.category' })]);
  });
});
