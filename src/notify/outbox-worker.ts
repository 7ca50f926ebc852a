import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db.js';
import type { EventBus } from '../platform/events.js';
import type { EmailTransport } from './mailer.js';
import { type RendererDeps, renderDelivery } from './message-renderer.js';
import { afterFailure, PermanentDeliveryError, type RetryPolicy } from './outbox-rules.js';
import { claimDue, enqueue, markFailed, markSent, OUTBOX_CHANNEL, type OutboxRow } from './outbox-store.js';
import type { SmsProvider } from './sms.js';

/**
 * The outbox worker (SPEC 3.10). Each round claims due rows in one statement (SKIP LOCKED, so
 * any number of workers on one PostgreSQL share the work), then delivers them after the claim
 * has committed — never inside a transaction — and records the outcome under the claim's
 * attempt number. A worker that dies mid-way leaves its rows `sending` until the lease ends;
 * then any worker takes them again. NOTIFY on enqueue wakes the workers at once; polling is the
 * fallback.
 */
export interface WorkerDeps {
  db: Db;
  clock: Clock;
  events: EventBus;
  email: EmailTransport;
  sms: SmsProvider | null;
  renderer: RendererDeps;
  retry: RetryPolicy;
  leaseMs: number;
  batchSize: number;
  pollMs: number;
  logger?: Logger;
  random?: () => number;
}

export type RowOutcome = 'sent' | 'skipped' | 'retry' | 'dead' | 'lost';

export function createOutboxWorker(deps: WorkerDeps) {
  const { db, clock, logger } = deps;
  const random = deps.random ?? Math.random;
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => Promise<void>) | undefined;
  let running: Promise<unknown> | undefined;
  let again = false;
  let stopped = true;

  async function deliver(row: OutboxRow): Promise<RowOutcome> {
    try {
      const delivery = await renderDelivery(db, row, deps.renderer, clock.now());
      if (delivery.kind === 'skip') {
        return (await markSent(db, row, clock.now(), `skipped: ${delivery.reason}`)) ? 'skipped' : 'lost';
      }
      if (delivery.kind === 'sms') {
        if (!deps.sms) throw new PermanentDeliveryError('SMS channel is off (SMS=off)');
        await deps.sms.send(delivery.to, delivery.text);
      } else {
        // Fan-out: the SMS copy is its own outbox row (own retries), created once per email.
        if (deps.sms && delivery.smsTo) {
          await enqueue(db, clock.now(), {
            channel: 'sms',
            template: row.template,
            recipient: delivery.smsTo,
            lang: row.lang,
            payload: row.payload,
            dedupeKey: `sms:${row.id}`,
          });
        }
        await deps.email.send({
          to: delivery.to,
          subject: delivery.message.subject,
          text: delivery.message.text,
          html: delivery.message.html,
          attachments: delivery.attachments,
          outboxId: row.id,
        });
      }
      const kept = await markSent(db, row, clock.now());
      if (!kept) logger?.warn({ outboxId: row.id }, 'outbox lease expired before the send was recorded');
      return kept ? 'sent' : 'lost';
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const outcome =
        error instanceof PermanentDeliveryError
          ? ({ status: 'dead' } as const)
          : afterFailure(row.attempts, clock.now(), random(), deps.retry);
      logger?.warn(
        {
          outboxId: row.id,
          template: row.template,
          attempts: row.attempts,
          next: outcome.status,
          err: error,
        },
        'outbox delivery failed',
      );
      const kept = await markFailed(db, row, outcome, message);
      return kept ? (outcome.status === 'dead' ? 'dead' : 'retry') : 'lost';
    }
  }

  /** One round: claim a batch and deliver it. Returns the outcome per claimed row. */
  async function runOnce(): Promise<RowOutcome[]> {
    const rows = await claimDue(db, clock.now(), deps.leaseMs, deps.batchSize);
    // Side by side, so the lease has to cover one delivery, not a whole batch.
    return Promise.all(rows.map(deliver));
  }

  /** Rounds until nothing is due (bounded, so a flood cannot starve the caller forever). */
  async function drain(maxRounds = 50): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxRounds; i++) {
      const outcomes = await runOnce();
      total += outcomes.length;
      if (outcomes.length === 0) break;
    }
    return total;
  }

  function kick() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .catch((err: unknown) => logger?.error({ err }, 'outbox round failed'))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          kick();
        }
      });
  }

  return {
    runOnce,
    drain,
    async start() {
      if (!stopped) return;
      stopped = false;
      unsubscribe = await deps.events.subscribe(OUTBOX_CHANNEL, () => kick());
      timer = setInterval(kick, deps.pollMs);
      timer.unref();
      kick();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await unsubscribe?.();
      unsubscribe = undefined;
      await running;
    },
  };
}

export type OutboxWorker = ReturnType<typeof createOutboxWorker>;
