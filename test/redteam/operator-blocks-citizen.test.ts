import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addSlot, CENTER, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

/**
 * Bypass "an operator can block a citizen" (SPEC 3.6 and 3.4): an operator who records
 * `no_show` for four online registrations the person booked for later days would block them
 * for 30 days without ever calling them. An outcome is recorded only for a ticket of today
 * called the policy's number of times (no-show), or called to the operator's own desk (served,
 * refused); anything else is INVALID_STATE and changes nothing.
 */
const NOW = '2026-11-23T07:00:00Z'; // Monday 09:00 Kyiv

describe.each(testDatabases())('red team: an operator blocks a citizen on %s', (kind) => {
  let h: Harness;
  let seq = 0;
  beforeAll(async () => {
    h = await createHarness(kind, { now: NOW });
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());
  beforeEach(() => h.clock.set(NOW));

  const outcome = (cookie: string, id: string, outcome: string) =>
    h.app.inject({
      method: 'POST',
      url: `/api/v1/registrations/${id}/outcome`,
      headers: { cookie },
      payload: { outcome },
    });

  async function citizenWithFourBookings() {
    const person = await citizenCookie(h.app, { rnokpp: rnokpp(7700 + ++seq), email: `v${seq}@example.com` });
    const ids: string[] = [];
    for (const day of ['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27']) {
      const slot = await addSlot(h.ctx.db, { day, time: `1${seq % 8}:00`, capacity: 5 });
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/bookings',
        headers: { cookie: person.cookie },
        payload: { slotId: slot, serviceId: 'svc-vehicle-registration' },
      });
      expect(res.statusCode).toBe(201);
      ids.push(res.json().id);
    }
    return { ...person, ids };
  }

  it('four no-shows recorded on uncalled future bookings are refused; the person stays unblocked', async () => {
    const victim = await citizenWithFourBookings();
    const op = await staffCookie(h.app, 'operator', CENTER);
    for (const id of victim.ids) {
      const res = await outcome(op, id, 'no_show');
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('INVALID_STATE');
    }
    const rows = await h.ctx.db
      .selectFrom('registrations')
      .select('status')
      .where('id', 'in', victim.ids)
      .execute();
    expect(rows.map((r) => r.status)).toEqual(['booked', 'booked', 'booked', 'booked']);
    const me = await h.app.inject({ url: '/api/v1/me', headers: { cookie: victim.cookie } });
    expect(me.json().blockedUntil).toBeNull();
    const blocked = await h.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'person.blocked')
      .where('subject_id', '=', victim.personId)
      .execute();
    expect(blocked).toEqual([]);
  });

  it('served and refused_mismatch are refused for a booking nobody called', async () => {
    const victim = await citizenWithFourBookings();
    const op = await staffCookie(h.app, 'operator', CENTER);
    for (const o of ['served', 'refused_mismatch']) {
      const res = await outcome(op, victim.ids[0] ?? '', o);
      expect(res.json().code).toBe('INVALID_STATE');
    }
  });

  it('a ticket of today called once is no no-show yet; another desk cannot close a called ticket', async () => {
    const day = '2026-11-23';
    const slot = await addSlot(h.ctx.db, { day, time: '09:00', capacity: 5 });
    h.clock.set('2026-11-22T08:00:00Z'); // booked the day before (the online horizon starts tomorrow)
    const person = await citizenCookie(h.app, { rnokpp: rnokpp(7790), email: 'today@example.com' });
    const booked = await h.app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { cookie: person.cookie },
      payload: { slotId: slot, serviceId: 'svc-vehicle-registration' },
    });
    const id = booked.json().id as string;
    h.clock.set(NOW);
    const head = await staffCookie(h.app, 'center_head', CENTER);
    const call = await h.app.inject({
      method: 'POST',
      url: `/api/v1/desks/${CENTER}-d1/call-next`,
      headers: { cookie: head },
    });
    expect(call.json().id).toBe(id);
    const elsewhere = await staffCookie(h.app, 'operator', CENTER, `${CENTER}-d2`);
    expect((await outcome(elsewhere, id, 'no_show')).json().code).toBe('INVALID_STATE');
    expect((await outcome(elsewhere, id, 'served')).json().code).toBe('INVALID_STATE');
    expect((await outcome(elsewhere, id, 'refused_mismatch')).json().code).toBe('INVALID_STATE');
    const row = await h.ctx.db
      .selectFrom('registrations')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('called');
  });
});
