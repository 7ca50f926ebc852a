import { sql } from 'kysely';
import { addSlot, SERVICE } from '../support/fixtures.js';
import { citizenCookie, type Harness, rnokpp } from '../support/harness.js';

export const DOCUMENTS = ['Паспорт громадянина України', 'Свідоцтво про реєстрацію транспортного засобу'];

let seq = 0;
// One random base per test file, then consecutive people: no two bookings of a file share a person.
const base = 7000 + Math.floor(Math.random() * 90) * 1000;

/** Books an online visit through the API; returns the registration and its person. */
export async function bookOnline(
  h: Harness,
  options: { day?: string; time?: string; email?: string; phone?: string; seed?: number } = {},
): Promise<{ registrationId: string; personId: string; cookie: string; number: number; idValue: string }> {
  seq += 1;
  const seed = options.seed ?? base + seq;
  const idValue = rnokpp(seed);
  // A fresh time per booking (slots are unique per center, group and start).
  const minutes = 9 * 60 + ((seq * 5) % 480);
  const time =
    options.time ??
    `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  const slotId = await addSlot(h.ctx.db, { day: options.day ?? '2026-11-25', time, capacity: 1 });
  const { cookie, personId } = await citizenCookie(h.app, {
    rnokpp: idValue,
    email: options.email ?? `person${seed}@example.com`,
    ...(options.phone ? { phone: options.phone } : {}),
  } as Parameters<typeof citizenCookie>[1]);
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/bookings',
    headers: { cookie, 'idempotency-key': `notify-${seed}-${seq}` },
    payload: { slotId, serviceId: SERVICE.vehicle },
  });
  if (res.statusCode !== 201) throw new Error(`booking failed: ${res.statusCode} ${res.body}`);
  const body = res.json() as { id: string; number: number };
  return { registrationId: body.id, personId, cookie, number: body.number, idValue };
}

export async function setDocuments(h: Harness) {
  await h.ctx.db
    .updateTable('services')
    .set({ documents: DOCUMENTS })
    .where('id', '=', SERVICE.vehicle)
    .execute();
}

export async function outboxRows(h: Harness) {
  return h.ctx.db.selectFrom('outbox').selectAll().orderBy('id').execute();
}

export async function clearOutbox(h: Harness) {
  await sql`DELETE FROM outbox`.execute(h.ctx.db);
}
