import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSlot, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { requirePostgres } from '../support/test-db.js';

/**
 * Rule 3 under concurrency on a real PostgreSQL server (PGlite has one connection and proves
 * nothing here): moves claim places and limit units like bookings do, atomically.
 */
describe.runIf(requirePostgres())('moving registrations: races on PostgreSQL', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('postgres', { now: '2026-11-23T07:00:00Z', poolSize: 20 });
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());

  const move = (cookie: string, id: string, slotId: number) =>
    h.app.inject({
      method: 'POST',
      url: `/api/v1/bookings/${id}/reschedule`,
      headers: { cookie },
      payload: { slotId },
    });

  it('rule 3: two moves racing for the last place → one wins, the other is SLOT_TAKEN and keeps its old place', async () => {
    const last = await addSlot(h.ctx.db, { day: '2026-11-27', time: '12:00', capacity: 1 });
    const people = await Promise.all([1, 2].map((i) => citizenCookie(h.app, { rnokpp: rnokpp(80_000 + i) })));
    const olds = await Promise.all(
      [0, 1].map((i) => addSlot(h.ctx.db, { day: '2026-11-26', time: `1${i}:00`, capacity: 1 })),
    );
    const ids = await Promise.all(
      people.map(
        async (p, i) => (await h.client.book({ cookie: p.cookie }, { slotId: olds[i] as number })).json().id,
      ),
    );
    const results = await Promise.all(people.map((p, i) => move(p.cookie, ids[i] as string, last)));
    const codes = results.map((r) => (r.statusCode === 200 ? 'ok' : r.json().code)).sort();
    expect(codes).toEqual(['SLOT_TAKEN', 'ok']);
    const slot = await h.ctx.db
      .selectFrom('slots')
      .select('booked')
      .where('id', '=', last)
      .executeTakeFirstOrThrow();
    expect(slot.booked).toBe(1);
    const rows = await h.ctx.db
      .selectFrom('registrations')
      .select(['id', 'slot_id'])
      .where('id', 'in', ids)
      .execute();
    const moved = rows.filter((r) => r.slot_id === last);
    expect(moved).toHaveLength(1);
    const loser = rows.find((r) => r.slot_id !== last);
    expect(olds).toContain(loser?.slot_id);
  });

  it('rule 3: eight parallel moves of one registration into the next month → exactly 2 moves, counted once', async () => {
    const p = await citizenCookie(h.app, { rnokpp: rnokpp(81_000) });
    const nov = await addSlot(h.ctx.db, { day: '2026-11-30', time: '09:00', capacity: 5 });
    const { id } = (await h.client.book({ cookie: p.cookie }, { slotId: nov })).json();
    const targets: number[] = [];
    for (let d = 1; d <= 8; d++)
      targets.push(await addSlot(h.ctx.db, { day: `2026-12-0${d}`, time: '09:00', capacity: 5 }));
    const results = await Promise.all(targets.map((slotId) => move(p.cookie, id, slotId)));
    const codes = results.map((r) => (r.statusCode === 200 ? 'ok' : r.json().code));
    expect(codes.filter((c) => c === 'ok')).toHaveLength(2);
    expect(codes.filter((c) => c === 'RESCHEDULE_LIMIT')).toHaveLength(6);
    const counters = await h.ctx.db
      .selectFrom('usage_counters')
      .select(['period', 'used'])
      .where('subject', '=', `person:${p.personId}`)
      .orderBy('period')
      .execute();
    expect(counters).toHaveLength(2);
    expect(
      counters.reduce((n, c) => n + c.used, 0),
      JSON.stringify({ counters, codes }),
    ).toBe(1);
    const placed = await h.ctx.db.selectFrom('slots').select('booked').where('id', 'in', targets).execute();
    // The registration holds one of them; the one it passed through waits for its random return.
    const returns = await h.ctx.db
      .selectFrom('slot_returns')
      .select('slot_id')
      .where('registration_id', '=', id)
      .execute();
    expect(returns).toHaveLength(2);
    expect(placed.reduce((n, s) => n + s.booked, 0)).toBe(2);
  });
});
