import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';
import { seedRoster } from './capacity-support.js';

/**
 * SPEC rule 8, the head's console: before a roster change or an absence is confirmed, the head is
 * told how many registrations it would hit. `?dryRun=true` makes the change, regenerates, answers
 * the conflicts it would create — and keeps nothing: no absence, no conflict, no mail, no audit row.
 */
const NOW = '2026-11-24T08:00:00Z'; // Tuesday 10:00 in Kyiv
const DAY = '2026-11-26'; // Thursday: the only administrator of vehicles works

describe.each(testDatabases())('rule 8: a roster change previewed before it is made, on %s', (kind) => {
  let h: Harness;
  let head: string;
  const base = `/api/v1/admin/centers/${CENTER}`;
  const counts = async () => {
    const { rows } = await sql<{ absences: number; conflicts: number; outbox: number; audit: number }>`
      SELECT (SELECT count(*)::int FROM staff_absences) AS absences,
             (SELECT count(*)::int FROM capacity_conflicts) AS conflicts,
             (SELECT count(*)::int FROM outbox) AS outbox,
             (SELECT count(*)::int FROM audit_log) AS audit`.execute(h.ctx.db);
    return rows[0];
  };

  beforeAll(async () => {
    h = await createHarness(kind, { now: NOW });
    await seedCatalog(h.ctx.db);
    await seedRoster(h.ctx.db);
    await h.ctx.capacity.releaseDue();
    const slots = (
      await h.app.inject({ url: `/api/v1/centers/${CENTER}/slots?service=${SERVICE.vehicle}&date=${DAY}` })
    ).json() as Array<{ id: number; free: number }>;
    for (let i = 0; i < 3; i++) {
      const { cookie } = await citizenCookie(h.app, { rnokpp: rnokpp(2600 + i) });
      const booked = await h.app.inject({
        method: 'POST',
        url: '/api/v1/bookings',
        headers: { cookie, 'idempotency-key': `dry-run-${i}` },
        payload: { slotId: slots[i]?.id, serviceId: SERVICE.vehicle },
      });
      expect(booked.statusCode, booked.body).toBe(201);
    }
    head = await staffCookie(h.app, 'center_head', CENTER);
  }, 120_000);
  afterAll(() => h?.close());

  it('rule 8: an absence previewed answers the 3 registrations it would hit and keeps nothing; made, it hits the same 3', async () => {
    const before = await counts();
    const preview = await h.app.inject({
      method: 'POST',
      url: `${base}/absences?dryRun=true`,
      headers: { cookie: head },
      payload: { staffId: 'st-admin-1', day: DAY, reason: 'Лікарняний' },
    });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().conflicts).toHaveLength(3);
    expect(await counts()).toEqual(before);

    const made = await h.app.inject({
      method: 'POST',
      url: `${base}/absences`,
      headers: { cookie: head },
      payload: { staffId: 'st-admin-1', day: DAY, reason: 'Лікарняний' },
    });
    expect(made.statusCode).toBe(201);
    expect(made.json().conflicts).toHaveLength(3);
    const after = await counts();
    expect(after?.absences).toBe((before?.absences ?? 0) + 1);
    expect(after?.conflicts).toBe((before?.conflicts ?? 0) + 3);
  });

  it('rule 8: removing a shift previewed keeps the shift; a refused change is refused in the preview too', async () => {
    const roster = (
      await h.app.inject({ url: `${base}/roster`, headers: { cookie: head } })
    ).json() as Array<{
      id: number;
    }>;
    const shift = roster[0];
    if (!shift) throw new Error('no shift');
    const preview = await h.app.inject({
      method: 'DELETE',
      url: `${base}/roster/${shift.id}?dryRun=true`,
      headers: { cookie: head },
    });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(Array.isArray(preview.json().conflicts)).toBe(true);
    const again = (await h.app.inject({ url: `${base}/roster`, headers: { cookie: head } })).json() as Array<{
      id: number;
    }>;
    expect(again.map((s) => s.id)).toContain(shift.id);

    const missing = await h.app.inject({
      method: 'DELETE',
      url: `${base}/roster/999999?dryRun=true`,
      headers: { cookie: head },
    });
    expect(missing.statusCode).toBe(404);
  });
});
