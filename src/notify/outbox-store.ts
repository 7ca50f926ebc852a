import { sql } from 'kysely';
import type { Executor } from '../platform/db.js';
import { storeOp } from '../platform/problems.js';

/**
 * The outbox (SPEC 3.10): a message is written in the same transaction as the change that
 * causes it, and delivered after commit by the worker. `dedupeKey` makes a repeated enqueue of
 * the same fact (e.g. a reminder) a no-op.
 */
export interface OutboxMessage {
  channel?: 'email' | 'sms';
  template: string;
  recipient: string;
  lang?: string;
  payload: Record<string, unknown>;
  dedupeKey?: string;
  notBefore?: Date;
}

/**
 * LISTEN/NOTIFY channel that wakes the workers. An insert trigger on `outbox` notifies it (so
 * rows written by any statement count); NOTIFY in a transaction is sent on commit only.
 */
export const OUTBOX_CHANNEL = 'outbox';

export async function enqueue(db: Executor, now: Date, message: OutboxMessage): Promise<void> {
  await storeOp(`outbox.enqueue.${message.template}`, async () => {
    await enqueueQuery(db, now, message).execute();
    // The insert trigger (migration 0004) wakes the workers on commit.
  });
}

/** The INSERT of `enqueue`, to run alone or as a part of a larger single statement. */
export function enqueueQuery(db: Executor, now: Date, message: OutboxMessage) {
  return db
    .insertInto('outbox')
    .values({
      channel: message.channel ?? 'email',
      template: message.template,
      recipient: message.recipient,
      lang: message.lang ?? 'uk',
      payload: JSON.stringify(message.payload),
      dedupe_key: message.dedupeKey ?? null,
      next_attempt_at: message.notBefore ?? now,
      created_at: now,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing());
}

export async function nudgeWorkers(db: Executor): Promise<void> {
  await sql`SELECT pg_notify(${OUTBOX_CHANNEL}, '{}')`.execute(db);
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'dead';

export interface OutboxRow {
  id: number;
  channel: 'email' | 'sms';
  template: string;
  recipient: string;
  lang: string;
  payload: Record<string, unknown>;
  dedupe_key: string | null;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: Date;
  locked_until: Date | null;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

/**
 * Claims up to `limit` due messages in one statement. A row still `sending` after its lease
 * (a worker died between claim and send) is due again. SKIP LOCKED lets many workers claim
 * side by side; the attempt number returned is the claim's token for marking the outcome.
 */
export async function claimDue(
  db: Executor,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<OutboxRow[]> {
  return storeOp('outbox.claim', async () => {
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const result = await sql<OutboxRow>`
      UPDATE outbox
         SET status = 'sending', locked_until = ${leaseUntil}, attempts = attempts + 1
       WHERE id IN (
         SELECT id FROM outbox
          WHERE status IN ('pending', 'sending')
            AND next_attempt_at <= ${now}
            AND (locked_until IS NULL OR locked_until < ${now})
          ORDER BY id
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
      RETURNING *`.execute(db);
    return result.rows
      .map((r) => ({
        ...r,
        payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
      }))
      .sort((a, b) => a.id - b.id);
  });
}

/** Only the claim that still holds the row (same attempt number) may record its outcome. */
export async function markSent(
  db: Executor,
  row: Pick<OutboxRow, 'id' | 'attempts'>,
  now: Date,
  note?: string,
) {
  return storeOp('outbox.markSent', async () => {
    const r = await db
      .updateTable('outbox')
      .set({ status: 'sent', sent_at: now, locked_until: null, last_error: note ?? null })
      .where('id', '=', row.id)
      .where('status', '=', 'sending')
      .where('attempts', '=', row.attempts)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  });
}

export async function markFailed(
  db: Executor,
  row: Pick<OutboxRow, 'id' | 'attempts'>,
  outcome: { status: 'dead' } | { status: 'pending'; nextAttemptAt: Date },
  error: string,
) {
  return storeOp('outbox.markFailed', async () => {
    const r = await db
      .updateTable('outbox')
      .set({
        status: outcome.status,
        locked_until: null,
        last_error: error.slice(0, 1000),
        ...(outcome.status === 'pending' ? { next_attempt_at: outcome.nextAttemptAt } : {}),
      })
      .where('id', '=', row.id)
      .where('status', '=', 'sending')
      .where('attempts', '=', row.attempts)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  });
}

/** The center a message is about (from its payload), for the center head's view. */
const centerOfRow = sql<string | null>`coalesce(
  outbox.payload->>'centerId',
  (SELECT r.center_id FROM registrations r WHERE r.id::text = outbox.payload->>'registrationId'))`;

export async function listOutbox(
  db: Executor,
  filter: { status?: OutboxRow['status']; centerId?: string | null; limit: number },
) {
  return storeOp('outbox.list', () =>
    db
      .selectFrom('outbox')
      .select([
        'id',
        'channel',
        'template',
        'recipient',
        'lang',
        'payload',
        'status',
        'attempts',
        'next_attempt_at',
        'last_error',
        'created_at',
        'sent_at',
        centerOfRow.as('center_id'),
      ])
      .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status as OutboxRow['status']))
      .$if(!!filter.centerId, (q) => q.where(centerOfRow, '=', filter.centerId as string))
      .orderBy('id', 'desc')
      .limit(filter.limit)
      .execute(),
  );
}

export async function findOutboxCenter(db: Executor, id: number) {
  return db
    .selectFrom('outbox')
    .select(['id', 'status', centerOfRow.as('center_id')])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** An admin's retry: a dead (or stuck pending) message gets a fresh set of attempts now. */
export async function retryMessage(db: Executor, id: number, now: Date): Promise<boolean> {
  return storeOp('outbox.retry', async () => {
    const r = await db
      .updateTable('outbox')
      .set({ status: 'pending', attempts: 0, next_attempt_at: now, locked_until: null })
      .where('id', '=', id)
      .where('status', 'in', ['dead', 'pending'])
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0) await nudgeWorkers(db);
    return Number(r.numUpdatedRows) > 0;
  });
}

/**
 * The evening reminder (one statement): every booked online registration of `day` whose person
 * has an email gets one reminder; the dedupe key makes every later run a no-op.
 */
export async function enqueueReminders(db: Executor, day: string, now: Date): Promise<number> {
  return storeOp('outbox.enqueueReminders', async () => {
    const result = await sql`
      INSERT INTO outbox (channel, template, recipient, lang, payload, dedupe_key, next_attempt_at, created_at)
      SELECT 'email', 'reminder', p.email, p.lang, jsonb_build_object('registrationId', r.id),
             'reminder:' || r.id::text, ${now}, ${now}
        FROM registrations r JOIN persons p ON p.id = r.person_id
       WHERE r.day = ${day} AND r.channel = 'online' AND r.status = 'booked' AND p.email IS NOT NULL
      ON CONFLICT (dedupe_key) DO NOTHING`.execute(db);
    return Number(result.numAffectedRows ?? 0);
  });
}

/** Sent messages are kept for a while (admin questions), then deleted: they hold addresses. */
export async function purgeSent(db: Executor, before: Date): Promise<number> {
  return storeOp('outbox.purgeSent', async () => {
    const r = await db
      .deleteFrom('outbox')
      .where('status', '=', 'sent')
      .where('sent_at', '<', before)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  });
}
