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
 * fallback, and a resync (the listening connection was lost, nudges may be lost) wakes them too.
 *
 * In the background a worker keeps up to `concurrency` deliveries in flight and claims more as
 * each one ends, so one slow SMTP or SMS exchange holds one place, not a round; each send gives
 * up after `sendTimeoutMs` and is retried later like any failed send.
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
  /** Deliveries in flight at once (default 8). */
  concurrency?: number;
  /** One send (SMTP or SMS) gives up after this (default 20 s); keep it well below the lease. */
  sendTimeoutMs?: number;
  logger?: Logger;
  random?: () => number;
}

export type RowOutcome = 'sent' | 'skipped' | 'retry' | 'dead' | 'lost';

export function createOutboxWorker(deps: WorkerDeps) {
  const { db, clock, logger } = deps;
  const random = deps.random ?? Math.random;
  const concurrency = Math.max(1, deps.concurrency ?? 8);
  const sendTimeoutMs = deps.sendTimeoutMs ?? 20_000;
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => Promise<void>) | undefined;
  let stopResync: (() => void) | undefined;
  let claiming: Promise<void> | undefined;
  const inFlight = new Set<Promise<unknown>>();
  /** More may be due than the last claim took, or a nudge came while no place was free. */
  let pending = false;
  let stopped = true;

  /** The transport's own timeouts are per socket step; this bounds the whole exchange. */
  function bounded<T>(send: Promise<T>): Promise<T> {
    let timeout: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timeout = setTimeout(
        () => reject(new Error(`delivery timed out after ${sendTimeoutMs} ms`)),
        sendTimeoutMs,
      );
    });
    // A send that finishes after we gave up is not recorded; the retry may send it again
    // (delivery is at least once).
    send.catch(() => {});
    return Promise.race([send, expired]).finally(() => clearTimeout(timeout));
  }

  async function deliver(row: OutboxRow): Promise<RowOutcome> {
    try {
      const delivery = await renderDelivery(db, row, deps.renderer, clock.now());
      if (delivery.kind === 'skip') {
        return (await markSent(db, row, clock.now(), `skipped: ${delivery.reason}`)) ? 'skipped' : 'lost';
      }
      if (delivery.kind === 'sms') {
        if (!deps.sms) throw new PermanentDeliveryError('SMS channel is off (SMS=off)');
        await bounded(deps.sms.send(delivery.to, delivery.text));
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
        await bounded(
          deps.email.send({
            to: delivery.to,
            subject: delivery.message.subject,
            text: delivery.message.text,
            html: delivery.message.html,
            attachments: delivery.attachments,
            outboxId: row.id,
          }),
        );
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

  /**
   * One round: claim a batch and deliver it, at most `concurrency` at a time. Returns the outcome
   * per claimed row (tests and `drain` use it; the background loop does not wait for rounds).
   */
  async function runOnce(): Promise<RowOutcome[]> {
    const rows = await claimDue(db, clock.now(), deps.leaseMs, deps.batchSize);
    const outcomes: RowOutcome[] = new Array(rows.length);
    let next = 0;
    const lane = async () => {
      while (next < rows.length) {
        const i = next++;
        outcomes[i] = await deliver(rows[i] as OutboxRow);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, lane));
    return outcomes;
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

  /** Fills the free places with due rows; called on a nudge, a poll, a resync and as each delivery ends. */
  function kick() {
    if (stopped) return;
    const free = concurrency - inFlight.size;
    if (claiming || free <= 0) {
      pending = true;
      return;
    }
    pending = false;
    let failed = false;
    claiming = claimDue(db, clock.now(), deps.leaseMs, free)
      .then((rows) => {
        if (rows.length === free) pending = true;
        for (const row of rows) {
          const delivery: Promise<unknown> = deliver(row)
            .catch((err: unknown) => logger?.error({ err, outboxId: row.id }, 'outbox delivery failed'))
            .finally(() => {
              inFlight.delete(delivery);
              if (pending) kick();
            });
          inFlight.add(delivery);
        }
      })
      .catch((err: unknown) => {
        // The database is away: the next poll tries again (no tight loop of failing claims).
        failed = true;
        logger?.warn({ err }, 'outbox claim failed');
      })
      .finally(() => {
        claiming = undefined;
        if (pending && !failed) kick();
      });
  }

  return {
    runOnce,
    drain,
    async start() {
      if (!stopped) return;
      stopped = false;
      unsubscribe = await deps.events.subscribe(OUTBOX_CHANNEL, () => kick());
      stopResync = deps.events.onResync(() => kick());
      timer = setInterval(kick, deps.pollMs);
      timer.unref();
      kick();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      stopResync?.();
      stopResync = undefined;
      await unsubscribe?.();
      unsubscribe = undefined;
      await claiming;
      await Promise.allSettled([...inFlight]);
    },
  };
}

export type OutboxWorker = ReturnType<typeof createOutboxWorker>;
