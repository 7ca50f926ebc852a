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

export async function enqueue(db: Executor, now: Date, message: OutboxMessage): Promise<void> {
  await storeOp(`outbox.enqueue.${message.template}`, () =>
    db
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
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute(),
  );
}
