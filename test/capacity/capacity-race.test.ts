import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { requirePostgres } from '../support/test-db.js';
import { seedRoster } from './capacity-support.js';

/**
 * Rule 8 under concurrency, on the PostgreSQL server: regenerations (the head closing and
 * reopening a day) race with many bookings of that day. No place is ever oversold, no successful
 * booking is lost or moved, and every registration left without staff is listed.
 */
describe.runIf(requirePostgres())('capacity races on postgres', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('postgres', { now: '2026-11-24T08:00:00Z', poolSize: 30 });
    await seedCatalog(h.ctx.db);
    await seedRoster(h.ctx.db);
    await h.ctx.capacity.releaseDue();
  });
  afterAll(() => h.close());

  it('rule 8: regeneration racing 30 bookings (10 places already held) never oversells, loses or moves a registration', async () => {
    const day = '2026-11-26';
    const slots = (
      await h.app.inject({ url: `/api/v1/centers/${CENTER}/slots?service=${SERVICE.vehicle}&date=${day}` })
    ).json() as Array<{ id: number }>;
    const head = await staffCookie(h.app, 'center_head', CENTER);
    const people: Array<{ cookie: string }> = [];
    for (let i = 0; i < 40; i++) people.push(await citizenCookie(h.app, { rnokpp: rnokpp(900 + i) }));

    const book = (p: { cookie: string }, i: number) =>
      h.client.book(
        { cookie: p.cookie, idempotencyKey: `race-${i}-00000` },
        { slotId: slots[i % slots.length]?.id },
      );
    // Ten people hold places before the head starts; thirty more book while the day is closed
    // and reopened. (Concurrent bookings read their facts in one query: had all forty raced,
    // that one read could fall inside a closed moment and leave nothing to protect.)
    const early = await Promise.all(people.slice(0, 10).map((p, i) => book(p, i)));
    for (const r of early) expect(r.statusCode).toBe(201);
    const bookings = [
      ...early.map((r) => Promise.resolve(r)),
      ...people.slice(10).map((p, i) => book(p, i + 10)),
    ];
    const toggles = (async () => {
      for (let i = 0; i < 4; i++) {
        const add = await h.app.inject({
          method: 'POST',
          url: `/api/v1/admin/centers/${CENTER}/absences`,
          headers: { cookie: head },
          payload: { staffId: 'st-admin-1', day, reason: 'Лікарняний' },
        });
        expect(add.statusCode).toBe(201);
        const remove = await h.app.inject({
          method: 'DELETE',
          url: `/api/v1/admin/centers/${CENTER}/absences/st-admin-1/${day}`,
          headers: { cookie: head },
        });
        expect(remove.statusCode).toBe(200);
      }
    })();
    const results = await Promise.all([...bookings, toggles]).then(
      (r) => r.slice(0, 40) as Awaited<(typeof bookings)[number]>[],
    );

    const ok = results.filter((r) => r.statusCode === 201).map((r) => (r.json() as { id: string }).id);
    for (const r of results) expect([201, 409]).toContain(r.statusCode);
    expect(ok.length).toBeGreaterThanOrEqual(10);

    const regs = await h.ctx.db
      .selectFrom('registrations')
      .select(['id', 'status', 'slot_id'])
      .where('day', '=', day)
      .execute();
    expect(regs.map((r) => r.id).sort()).toEqual([...ok].sort());
    expect(regs.every((r) => r.status === 'booked')).toBe(true);
    const drift = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM slots s
      WHERE s.day = ${day} AND (s.booked > s.capacity OR s.booked <>
        (SELECT count(*) FROM registrations r WHERE r.slot_id = s.id AND r.status = 'booked'))`.execute(
      h.ctx.db,
    );
    expect(drift.rows[0]?.n).toBe(0);

    // The last toggle reopened the day: every registration has staff again, none was moved.
    const final = await h.ctx.db
      .selectFrom('slots')
      .select(['id', 'capacity'])
      .where('day', '=', day)
      .execute();
    const byId = new Map(final.map((s) => [s.id, s.capacity]));
    for (const r of regs) expect(byId.get(r.slot_id as number)).toBeGreaterThan(0);
    // Anyone booked while the day was closed was listed and told (once per listing).
    const conflicts = await h.ctx.db.selectFrom('capacity_conflicts').select('registration_id').execute();
    const outbox = await h.ctx.db
      .selectFrom('outbox')
      .select('payload')
      .where('template', '=', 'schedule_conflict')
      .execute();
    expect(outbox.length).toBe(conflicts.length);
  });
});
