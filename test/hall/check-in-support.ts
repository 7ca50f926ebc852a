import { expect } from 'vitest';
import { CENTER } from '../support/fixtures.js';
import { citizenCookie, type Harness, rnokpp } from '../support/harness.js';

/** The kiosk's arrival check-in (rule 13) with a `{code}` or `{number, lastName}` body. */
export const checkIn = (h: Harness, cookie: string, body: object, center = CENTER) =>
  h.app.inject({
    method: 'POST',
    url: `/api/v1/centers/${center}/terminal/check-in`,
    headers: { cookie },
    payload: body,
  });

export async function myBookings(h: Harness, cookie: string) {
  const res = await h.app.inject({ method: 'GET', url: '/api/v1/me/bookings', headers: { cookie } });
  expect(res.statusCode).toBe(200);
  return res.json() as Array<Record<string, unknown>>;
}

/** The citizen `onlineToday` booked for `seed` (same РНОКПП and e-mail), signed in again. */
export const citizenOf = (h: Harness, seed: number) =>
  citizenCookie(h.app, { rnokpp: rnokpp(9000 + seed), email: `online${seed}@example.com` });
