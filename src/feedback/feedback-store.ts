import { sql } from 'kysely';
import type { PiiCrypto } from '../platform/crypto.js';
import { sha256 } from '../platform/crypto.js';
import type { Executor } from '../platform/db.js';
import { storeOp } from '../platform/problems.js';
import './feedback-schema.js';

/**
 * Feedback after a served visit (SPEC 3.11). The email link's token is a keyed hash of the
 * registration id (so the outbox never holds it and the worker can re-derive it on a retry);
 * the table keeps only its SHA-256, and `used_at` makes it single-use.
 */
export function feedbackToken(crypto: PiiCrypto, registrationId: string): string {
  return crypto.hash('feedback-token', registrationId);
}

/** Records the token of a registration (idempotent); null when it can no longer be used. */
export async function ensureFeedbackToken(
  db: Executor,
  crypto: PiiCrypto,
  registrationId: string,
  now: Date,
  ttlDays: number,
): Promise<string | null> {
  return storeOp('feedback.ensureToken', async () => {
    const token = feedbackToken(crypto, registrationId);
    await db
      .insertInto('feedback_tokens')
      .values({
        token_hash: sha256(token),
        registration_id: registrationId,
        created_at: now,
        expires_at: new Date(now.getTime() + ttlDays * 86_400_000),
      })
      .onConflict((oc) => oc.column('registration_id').doNothing())
      .execute();
    const state = await db
      .selectFrom('feedback_tokens as t')
      .leftJoin('feedback as f', 'f.registration_id', 't.registration_id')
      .select(['t.used_at', 'f.id as feedback_id'])
      .where('t.registration_id', '=', registrationId)
      .executeTakeFirst();
    return state && !state.used_at && !state.feedback_id ? token : null;
  });
}

export async function findToken(db: Executor, token: string) {
  return db
    .selectFrom('feedback_tokens as t')
    .innerJoin('registrations as r', 'r.id', 't.registration_id')
    .innerJoin('centers as c', 'c.id', 'r.center_id')
    .innerJoin('services as s', 's.id', 'r.service_id')
    .leftJoin('feedback as f', 'f.registration_id', 't.registration_id')
    .select([
      't.registration_id',
      't.expires_at',
      't.used_at',
      'r.status',
      'r.starts_at',
      'r.day',
      'c.name as center_name',
      's.name as service_name',
      'f.id as feedback_id',
    ])
    .where('t.token_hash', '=', sha256(token))
    .executeTakeFirst();
}

/** Single use, one statement: only an unused, unexpired token is consumed. */
export async function consumeToken(db: Executor, token: string, now: Date): Promise<string | null> {
  return storeOp('feedback.consumeToken', async () => {
    const row = await db
      .updateTable('feedback_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', sha256(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('registration_id')
      .executeTakeFirst();
    return row?.registration_id ?? null;
  });
}

/** Marks a registration's token used (when the citizen rates from "my registrations"). */
export async function useTokenOf(db: Executor, registrationId: string, now: Date): Promise<void> {
  await db
    .updateTable('feedback_tokens')
    .set({ used_at: now })
    .where('registration_id', '=', registrationId)
    .where('used_at', 'is', null)
    .execute();
}

export async function findServedRegistration(db: Executor, registrationId: string) {
  return db
    .selectFrom('registrations')
    .select(['id', 'person_id', 'status', 'center_id', 'desk_id'])
    .where('id', '=', registrationId)
    .executeTakeFirst();
}

/** Inserts the rating; false when the visit was already rated (unique registration_id). */
export async function insertFeedback(
  db: Executor,
  input: {
    registrationId: string;
    centerId: string;
    deskId: string | null;
    rating: number;
    comment: string | null;
    now: Date;
  },
): Promise<boolean> {
  return storeOp('feedback.insert', async () => {
    const row = await db
      .insertInto('feedback')
      .values({
        registration_id: input.registrationId,
        center_id: input.centerId,
        desk_id: input.deskId,
        rating: input.rating,
        comment: input.comment,
        created_at: input.now,
      })
      .onConflict((oc) => oc.column('registration_id').doNothing())
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  });
}

export async function summary(db: Executor, centerId: string) {
  return storeOp('feedback.summary', async () => {
    const center = await db
      .selectFrom('feedback')
      .select([
        sql<number>`count(*)::int`.as('count'),
        sql<number | null>`round(avg(rating), 2)`.as('average'),
      ])
      .where('center_id', '=', centerId)
      .executeTakeFirstOrThrow();
    const desks = await db
      .selectFrom('feedback as f')
      .leftJoin('desks as d', 'd.id', 'f.desk_id')
      .select([
        'f.desk_id',
        'd.number',
        sql<number>`count(*)::int`.as('count'),
        sql<number | null>`round(avg(f.rating), 2)`.as('average'),
      ])
      .where('f.center_id', '=', centerId)
      .groupBy(['f.desk_id', 'd.number'])
      .orderBy('d.number')
      .execute();
    return { center, desks };
  });
}

/** The email and language for a registration's thank-you: the kiosk contact kept with it, else the person's. */
export async function contactOf(db: Executor, registrationId: string) {
  return db
    .selectFrom('registrations as r')
    .innerJoin('persons as p', 'p.id', 'r.person_id')
    .select([sql<string | null>`coalesce(r.contact_email, p.email)`.as('email'), 'p.lang'])
    .where('r.id', '=', registrationId)
    .executeTakeFirst();
}

export async function centerExists(db: Executor, centerId: string): Promise<boolean> {
  return (
    (await db.selectFrom('centers').select('id').where('id', '=', centerId).executeTakeFirst()) !== undefined
  );
}
