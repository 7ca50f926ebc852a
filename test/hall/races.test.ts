import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addSlot, CENTER, GROUP, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { requirePostgres } from '../support/test-db.js';
import { callNext, kiosk, resetHall, TODAY } from './hall-support.js';

// Concurrency proofs: many connections racing on a real PostgreSQL server.
describe.runIf(requirePostgres())('hall races on postgres', () => {
  let h: Harness;
  const desks = Array.from({ length: 10 }, (_, i) => `${CENTER}-race-${i + 1}`);
  beforeAll(async () => {
    h = await createHarness('postgres', { poolSize: 30 });
    await seedCatalog(h.ctx.db);
    await h.ctx.db
      .insertInto('desks')
      .values(desks.map((id, i) => ({ id, center_id: CENTER, number: 100 + i, group_ids: [GROUP.vehicle] })))
      .execute();
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await resetHall(h);
    h.clock.set('2026-11-23T07:00:00Z');
  });

  it('rule 6: ten desks calling at once never get the same ticket', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '08:30', capacity: 40, pool: 'terminal', minutes: 60 });
    const term = await staffCookie(h.app, 'terminal', CENTER);
    const tickets = new Set<string>();
    for (let i = 0; i < 25; i++) tickets.add((await kiosk(h.app, term, { seed: i })).json().id);
    const op = await staffCookie(h.app, 'operator', CENTER);
    const called: string[] = [];
    let empty = 0;
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(desks.map((d) => callNext(h.app, op, d)));
      for (const a of answers) {
        if (a.statusCode === 204) empty++;
        else {
          expect(a.statusCode).toBe(200);
          called.push(a.json().id);
        }
      }
    }
    expect(called).toHaveLength(25);
    expect(new Set(called)).toEqual(tickets);
    expect(empty).toBe(5);
    const rows = await h.ctx.db
      .selectFrom('registrations')
      .select(['status', 'call_count', 'desk_id'])
      .execute();
    expect(
      rows.every((r) => r.status === 'called' && r.call_count === 1 && desks.includes(r.desk_id ?? '')),
    ).toBe(true);
  });

  it('rule 5 / terminal: twenty visitors racing for the last three terminal places: exactly three win', async () => {
    const slot = await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 3, pool: 'terminal' });
    const term = await staffCookie(h.app, 'terminal', CENTER);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => kiosk(h.app, term, { seed: 100 + i })),
    );
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes.filter((c) => c === 201)).toHaveLength(3);
    expect(answers.filter((a) => a.statusCode !== 201).every((a) => a.json().code === 'SLOT_TAKEN')).toBe(
      true,
    );
    const row = await h.ctx.db
      .selectFrom('slots')
      .select('booked')
      .where('id', '=', slot)
      .executeTakeFirstOrThrow();
    expect(row.booked).toBe(3);
    const numbers = answers
      .filter((a) => a.statusCode === 201)
      .map((a) => a.json().number)
      .sort();
    expect(numbers).toEqual([1000, 1001, 1002]);
    expect(await h.ctx.db.selectFrom('registrations').select('id').execute()).toHaveLength(3);
  });

  it('rule 5 / online: twenty citizens racing for the last three online places: exactly three win', async () => {
    const slot = await addSlot(h.ctx.db, { day: '2026-11-24', time: '10:00', capacity: 3, pool: 'online' });
    const cookies = [];
    for (let i = 0; i < 20; i++)
      cookies.push((await citizenCookie(h.app, { rnokpp: rnokpp(700 + i) })).cookie);
    const answers = await Promise.all(
      cookies.map((cookie) =>
        h.app.inject({
          method: 'POST',
          url: '/api/v1/bookings',
          headers: { cookie },
          payload: { slotId: slot, serviceId: SERVICE.vehicle },
        }),
      ),
    );
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(3);
    expect(answers.filter((a) => a.statusCode !== 201).every((a) => a.json().code === 'SLOT_TAKEN')).toBe(
      true,
    );
    const row = await h.ctx.db
      .selectFrom('slots')
      .select('booked')
      .where('id', '=', slot)
      .executeTakeFirstOrThrow();
    expect(row.booked).toBe(3);
  });

  it('rule 5: one person racing for two priority tickets of one service the same day gets one', async () => {
    const term = await staffCookie(h.app, 'terminal', CENTER);
    const prio = { category: 'disability', document: { type: 'посвідчення', number: 'P1' } };
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => kiosk(h.app, term, { seed: 1, priority: prio })),
    );
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.statusCode !== 201).every((a) => a.json().code === 'LIMIT_REACHED')).toBe(
      true,
    );
  });
});
