import { describe, expect, it } from 'vitest';
import { addSlot, SERVICE } from '../support/fixtures.js';
import { citizenCookie, type Harness, rnokpp } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';
import { checkIn, myBookings } from './check-in-support.js';
import { hallFixture, TODAY } from './hall-support.js';

/**
 * Rule 13 from the portal's confirmation: right after booking (days before the visit) the
 * citizen's registrations carry the signed arrival code the confirmation now draws as its QR, and
 * on the day the kiosk checks in with it. The content the confirmation drew before
 * ("EZAPYS:<id>:<number>") checks nobody in.
 */
describe.each(testDatabases())('rule 13: the confirmation QR at the kiosk on %s', (kind) => {
  let h: Harness;
  let term: string;
  hallFixture(kind, (hall) => ({ h, term } = hall));

  it('rule 13: the code given right after booking checks in on the day; the old "EZAPYS:" QR does not', async () => {
    const slot = await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 3 });
    // Booked online the day before (the online horizon starts tomorrow).
    h.clock.set('2026-11-22T08:00:00Z');
    const citizen = await citizenCookie(h.app, { rnokpp: rnokpp(9301), email: 'qr@example.com' });
    const booked = await h.client.book(
      { cookie: citizen.cookie },
      { slotId: slot, serviceId: SERVICE.vehicle },
    );
    expect(booked.statusCode, booked.body).toBe(201);
    const { id, number } = booked.json() as { id: string; number: number };
    const mine = await myBookings(h, citizen.cookie);
    const code = mine.find((b) => b.id === id)?.checkInCode as string;
    expect(code).toMatch(/^EZ1[A-Za-z0-9_-]{22}20261123[A-Za-z0-9_-]{16}$/);

    h.clock.set('2026-11-23T07:30:00Z');
    const old = await checkIn(h, term, { code: `EZAPYS:${id}:${number}` });
    expect(old.statusCode).toBe(404);
    expect(old.json().code).toBe('NOT_FOUND');
    const res = await checkIn(h, term, { code });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id, number });
    const row = await h.ctx.db
      .selectFrom('registrations')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('arrived');
  });
});
