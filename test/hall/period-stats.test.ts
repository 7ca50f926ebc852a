import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { addSlot, CENTER, OTHER_CENTER } from '../support/fixtures.js';
import type { Harness } from '../support/harness.js';
import { staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';
import { callNext, DESK, hallFixture, kiosk, outcome, TODAY } from './hall-support.js';

/**
 * SPEC §1: the head's statistics for any period (by channel, service and desk; waits p50/p90;
 * planned vs booked vs served) and the national admin's across all centers. A ticket called
 * before its time waited zero, never "-20 min".
 */
describe.each(testDatabases())('statistics of a period on %s', (kind) => {
  let h: Harness;
  let term: string;
  let op: string;
  let head: string;
  hallFixture(kind, (hall) => ({ h, term, op, head } = hall));

  async function threeTickets() {
    await addSlot(h.ctx.db, { day: TODAY, time: '09:00', capacity: 5, pool: 'terminal', minutes: 120 });
    const ids: string[] = [];
    for (const seed of [1, 2, 3]) {
      const res = await kiosk(h.app, term, { seed });
      expect(res.statusCode).toBe(201);
      ids.push(res.json().id);
      h.clock.advance(1000);
    }
    for (const id of ids) {
      const called = (await callNext(h.app, op, DESK.d1)).json();
      expect(called.id).toBe(id);
      if (id !== ids[2]) expect((await outcome(h.app, op, id, 'served')).statusCode).toBe(200);
    }
    // Waits of 0 (called 20 minutes before its time), 10 and 30 minutes.
    const shift = async (id: string, minutes: number) =>
      sql`UPDATE registrations SET called_at = call_at + make_interval(mins => ${minutes}),
            created_at = call_at - interval '1 hour', arrived_at = NULL WHERE id = ${id}`.execute(h.ctx.db);
    await shift(ids[0] as string, -20);
    await shift(ids[1] as string, 10);
    await shift(ids[2] as string, 30);
    return ids;
  }

  const get = (cookie: string, query: string) =>
    h.app.inject({ url: `/api/v1/admin/stats?${query}`, headers: { cookie } });

  it('a head sees outcomes, p50/p90 waits, capacity and desks of their center; a wait is never negative', async () => {
    await threeTickets();
    const res = await get(head, `from=${TODAY}&to=${TODAY}&grain=week`);
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.centerId).toBe(CENTER);
    expect(s.totals).toMatchObject({
      registrations: 3,
      terminal: 3,
      online: 0,
      served: 2,
      noShows: 0,
      noShowRate: 0,
      waitP50Seconds: 600,
      waitP90Seconds: 1560,
      planned: 5,
      booked: 3,
    });
    expect(s.periods).toHaveLength(1);
    expect(s.periods[0].key).toBe('2026-11-23'); // the Monday that starts the week
    expect(s.byChannel.map((c: { key: string }) => c.key)).toEqual(['terminal']);
    expect(s.byService[0]).toMatchObject({ label: 'Реєстрація транспортного засобу', registrations: 3 });
    expect(s.byDesk).toEqual([expect.objectContaining({ label: '1', served: 2 })]);
    const today = (
      await h.app.inject({ url: `/api/v1/centers/${CENTER}/stats/today`, headers: { cookie: head } })
    ).json();
    expect(today.averageWaitSeconds).toBe(800);
  });

  it('a head cannot read another center; a national admin reads every center together', async () => {
    await threeTickets();
    expect((await get(head, `centerId=${OTHER_CENTER}&from=${TODAY}&to=${TODAY}`)).statusCode).toBe(403);
    const national = await staffCookie(h.app, 'national_admin');
    const all = (await get(national, `from=${TODAY}&to=${TODAY}`)).json();
    expect(all.centerId).toBeNull();
    expect(all.byCenter).toEqual([expect.objectContaining({ key: CENTER, registrations: 3 })]);
    expect(
      (await get(national, `centerId=${OTHER_CENTER}&from=${TODAY}&to=${TODAY}`)).json().totals.registrations,
    ).toBe(0);
    const now = await h.app.inject({ url: '/api/v1/admin/centers-now', headers: { cookie: national } });
    expect(now.json().centers.find((c: { id: string }) => c.id === CENTER)).toMatchObject({
      waiting: 1,
      alert: false,
    });
    expect(
      (await h.app.inject({ url: '/api/v1/admin/centers-now', headers: { cookie: head } })).statusCode,
    ).toBe(403);
  });

  it('a period longer than a year or ending before it starts is refused', async () => {
    expect((await get(head, 'from=2026-01-01&to=2027-02-01')).statusCode).toBe(400);
    expect((await get(head, `from=${TODAY}&to=2026-11-01`)).statusCode).toBe(400);
  });
});
