import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addSlot, CENTER, GROUP, OTHER_CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { createHarness, type Harness, staffCookie } from '../support/harness.js';
import { requirePostgres, testDatabases } from '../support/test-db.js';
import { hallFixture, kiosk, resetHall, TODAY, terminalPayload } from './hall-support.js';

// The harness clock: 2026-11-23T07:00Z = 09:00 Kyiv, a Monday.
const times = (h: Harness, cookie: string, service = SERVICE.vehicle, center = CENTER) =>
  h.app.inject({
    method: 'GET',
    url: `/api/v1/centers/${center}/terminal/times?service=${service}`,
    headers: { cookie },
  });

const chooseTime = (h: Harness, cookie: string, seed: number, callTime: string) =>
  h.app.inject({
    method: 'POST',
    url: `/api/v1/centers/${CENTER}/terminal/registrations`,
    headers: { cookie },
    payload: { ...terminalPayload({ seed }), callTime },
  });

describe.each(testDatabases())('terminal time choice on %s', (kind) => {
  let h: Harness;
  let term: string;
  hallFixture(kind, (hall) => ({ h, term } = hall));

  it("SPEC §2: today's free terminal times of the service's group, from the same slots online reads", async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '08:30', capacity: 5, pool: 'terminal' }); // ended
    await addSlot(h.ctx.db, { day: TODAY, time: '08:45', capacity: 2, pool: 'terminal', minutes: 30 }); // begun
    await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 0, pool: 'terminal' }); // full
    await addSlot(h.ctx.db, { day: TODAY, time: '11:00', capacity: 3, pool: 'terminal' });
    await addSlot(h.ctx.db, { day: TODAY, time: '11:00', capacity: 5, pool: 'online' });
    await addSlot(h.ctx.db, {
      day: TODAY,
      time: '12:00',
      capacity: 4,
      pool: 'terminal',
      group: GROUP.licence,
    });
    await addSlot(h.ctx.db, { day: '2026-11-24', time: '09:00', capacity: 5, pool: 'terminal' });
    const res = await times(h, term);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      { callTime: '2026-11-23T06:45:00.000Z', free: 2 },
      { callTime: '2026-11-23T09:00:00.000Z', free: 3 },
    ]);
    // One availability: a kiosk registration at 11:00 is one place fewer in the same answer.
    expect((await chooseTime(h, term, 1, '2026-11-23T09:00:00.000Z')).statusCode).toBe(201);
    expect((await times(h, term)).json()[1]).toEqual({ callTime: '2026-11-23T09:00:00.000Z', free: 2 });
  });

  it('SPEC §4: callTime claims a place of that time; absent = the nearest; a begun time is called now', async () => {
    const early = await addSlot(h.ctx.db, { day: TODAY, time: '09:30', capacity: 1, pool: 'terminal' });
    const late = await addSlot(h.ctx.db, { day: TODAY, time: '14:00', capacity: 1, pool: 'terminal' });
    const chosen = await chooseTime(h, term, 1, '2026-11-23T12:00:00.000Z');
    expect(chosen.statusCode).toBe(201);
    expect(chosen.json().callTime).toBe('2026-11-23T12:00:00.000Z');
    const nearest = await kiosk(h.app, term, { seed: 2 });
    expect(nearest.json().callTime).toBe('2026-11-23T07:30:00.000Z');
    const booked = await h.ctx.db
      .selectFrom('slots')
      .select(['id', 'booked'])
      .where('id', 'in', [early, late])
      .orderBy('id')
      .execute();
    expect(booked.map((s) => s.booked)).toEqual([1, 1]);
  });

  it('SLOT_TAKEN: a chosen time with no place left is refused, never moved to another time', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 1, pool: 'terminal' });
    await addSlot(h.ctx.db, { day: TODAY, time: '11:00', capacity: 5, pool: 'terminal' });
    expect((await chooseTime(h, term, 1, '2026-11-23T08:00:00.000Z')).statusCode).toBe(201);
    const again = await chooseTime(h, term, 2, '2026-11-23T08:00:00.000Z');
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('SLOT_TAKEN');
    // A time that is no slot's start, or an online slot's, is no terminal time either.
    const invented = await chooseTime(h, term, 3, '2026-11-23T08:10:00.000Z');
    expect(invented.json().code).toBe('SLOT_TAKEN');
    expect(await h.ctx.db.selectFrom('registrations').select('id').execute()).toHaveLength(1);
  });

  it('rule 5: a priority ticket ignores callTime and takes no terminal place', async () => {
    const slot = await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 1, pool: 'terminal' });
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/centers/${CENTER}/terminal/registrations`,
      headers: { cookie: term },
      payload: {
        ...terminalPayload({
          seed: 1,
          priority: { category: 'disability', document: { type: 'посвідчення', number: 'АА1' } },
        }),
        callTime: '2026-11-23T08:00:00.000Z',
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ number: 1, callTime: '2026-11-23T07:00:00.000Z' });
    const row = await h.ctx.db.selectFrom('slots').select('booked').where('id', '=', slot).executeTakeFirst();
    expect(row?.booked).toBe(0);
  });

  it("access: another center's kiosk, a citizen and an unknown service are refused", async () => {
    const other = await staffCookie(h.app, 'terminal', OTHER_CENTER);
    expect((await times(h, other)).statusCode).toBe(403);
    expect((await times(h, term, 'svc-nope')).json().code).toBe('NOT_FOUND');
    const anonymous = await h.app.inject({
      method: 'GET',
      url: `/api/v1/centers/${CENTER}/terminal/times?service=${SERVICE.vehicle}`,
    });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe.runIf(requirePostgres())('terminal time choice races on postgres', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('postgres', { poolSize: 30 });
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await resetHall(h);
    h.clock.set('2026-11-23T07:00:00Z');
  });

  it('SPEC §2: twenty kiosks choosing the same last time (3 places): exactly three win, no other time is touched', async () => {
    const slot = await addSlot(h.ctx.db, { day: TODAY, time: '11:00', capacity: 3, pool: 'terminal' });
    const other = await addSlot(h.ctx.db, { day: TODAY, time: '12:00', capacity: 10, pool: 'terminal' });
    const term = await staffCookie(h.app, 'terminal', CENTER);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => chooseTime(h, term, 300 + i, '2026-11-23T09:00:00.000Z')),
    );
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(3);
    expect(answers.filter((a) => a.statusCode !== 201).every((a) => a.json().code === 'SLOT_TAKEN')).toBe(
      true,
    );
    const rows = await h.ctx.db
      .selectFrom('slots')
      .select(['id', 'booked'])
      .where('id', 'in', [slot, other])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.booked)).toEqual([3, 0]);
    expect(await h.ctx.db.selectFrom('registrations').select('id').execute()).toHaveLength(3);
  });
});
