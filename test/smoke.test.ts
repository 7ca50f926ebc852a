import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSlot, CENTER, SERVICE, seedCatalog } from './support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from './support/harness.js';
import { testDatabases } from './support/test-db.js';

describe.each(testDatabases())('smoke on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind);
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());

  it('books a slot end to end', async () => {
    const slotId = await addSlot(h.ctx.db, { day: '2026-11-25', time: '10:00', capacity: 2 });
    const { cookie } = await citizenCookie(h.app, { rnokpp: rnokpp(1) });
    const slots = await h.app.inject({
      url: `/api/v1/centers/${CENTER}/slots?service=${SERVICE.vehicle}&date=2026-11-25`,
    });
    expect(slots.json()).toEqual([expect.objectContaining({ id: slotId, free: 2 })]);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { cookie, 'idempotency-key': 'key-00000001' },
      payload: { slotId, serviceId: SERVICE.vehicle },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ number: 1000, status: 'booked', centerId: CENTER });
  });
});
