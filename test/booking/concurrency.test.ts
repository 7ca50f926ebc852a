import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSlot, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { requirePostgres } from '../support/test-db.js';

/**
 * Concurrency proofs (SPEC §5: zero double booking, zero limit violations) on a real PostgreSQL
 * server, with many connections racing. PGlite has one connection, so it proves nothing here.
 */
describe.runIf(requirePostgres())('booking races on PostgreSQL', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('postgres', { now: '2026-11-23T07:00:00Z', poolSize: 40 });
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());

  it('no double booking: 200 people racing for a slot with 10 places → exactly 10 win, the rest SLOT_TAKEN', async () => {
    const slot = await addSlot(h.ctx.db, { day: '2026-11-25', time: '10:00', capacity: 10 });
    const people = await Promise.all(
      Array.from({ length: 200 }, (_, i) => citizenCookie(h.app, { rnokpp: rnokpp(50_000 + i) })),
    );
    const results = await Promise.all(
      people.map((p) => h.client.book({ cookie: p.cookie }, { slotId: slot })),
    );
    const codes = results.map((r) => (r.statusCode === 201 ? 'ok' : r.json().code));
    expect(codes.filter((c) => c === 'ok')).toHaveLength(10);
    expect(codes.filter((c) => c === 'SLOT_TAKEN')).toHaveLength(190);
    const row = await h.ctx.db
      .selectFrom('slots')
      .select(['booked', 'capacity'])
      .where('id', '=', slot)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ booked: 10, capacity: 10 });
    const regs = await h.ctx.db
      .selectFrom('registrations')
      .select('number')
      .where('slot_id', '=', slot)
      .execute();
    expect(regs).toHaveLength(10);
    expect(new Set(regs.map((r) => r.number)).size).toBe(10);
  });

  it('rule 1 under races: one person sending 20 parallel bookings → exactly 4 succeed', async () => {
    // Seven November days (one active registration per day and group): the month limit decides.
    const slots: number[] = [];
    for (let d = 24; d <= 30; d++)
      slots.push(await addSlot(h.ctx.db, { day: `2026-11-${d}`, time: '15:30', capacity: 50 }));
    const p = await citizenCookie(h.app, { rnokpp: rnokpp(60_000) });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => h.client.book({ cookie: p.cookie }, { slotId: slots[i % 7] })),
    );
    const codes = results.map((r) => (r.statusCode === 201 ? 'ok' : r.json().code));
    expect(codes.filter((c) => c === 'ok')).toHaveLength(4);
    expect(codes.filter((c) => c === 'LIMIT_REACHED')).toHaveLength(16);
    // The database counts agree: counter, registrations and slot.
    const counter = await h.ctx.db
      .selectFrom('usage_counters')
      .select('used')
      .where('subject', '=', `person:${p.personId}`)
      .executeTakeFirstOrThrow();
    const regs = await h.ctx.db
      .selectFrom('registrations')
      .select('id')
      .where('person_id', '=', p.personId)
      .execute();
    const placed = await h.ctx.db.selectFrom('slots').select('booked').where('id', 'in', slots).execute();
    const booked = placed.reduce((n, s) => n + s.booked, 0);
    expect([counter.used, regs.length, booked]).toEqual([4, 4, 4]);
  });

  it('Idempotency-Key under races: 10 parallel retries of one request book once', async () => {
    const slot = await addSlot(h.ctx.db, { day: '2026-11-27', time: '10:00', capacity: 50 });
    const p = await citizenCookie(h.app, { rnokpp: rnokpp(61_000) });
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        h.client.book({ cookie: p.cookie, idempotencyKey: 'race-key-000001' }, { slotId: slot }),
      ),
    );
    const ok = results.filter((r) => r.statusCode === 201);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((r) => r.json().id)).size).toBe(1);
    const regs = await h.ctx.db
      .selectFrom('registrations')
      .select('id')
      .where('person_id', '=', p.personId)
      .execute();
    expect(regs).toHaveLength(1);
  });

  it('no slot anywhere is over capacity and no person over the limit after all races', async () => {
    const over = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM slots WHERE booked > capacity`.execute(h.ctx.db);
    expect(over.rows[0]?.n).toBe(0);
    const mismatch = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM slots s
      WHERE s.booked <> (SELECT count(*) FROM registrations r WHERE r.slot_id = s.id AND r.status <> 'cancelled')
        + (SELECT count(*) FROM slot_returns x WHERE x.slot_id = s.id)`.execute(h.ctx.db);
    expect(mismatch.rows[0]?.n).toBe(0);
  });
});
