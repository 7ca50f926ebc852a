import type { Logger } from 'pino';
import { audit } from '../audit/audit-store.js';
import type { Config } from '../config.js';
import type { Clock } from '../platform/clock.js';
import type { PiiCrypto } from '../platform/crypto.js';
import type { Db } from '../platform/db.js';
import type { EventBus } from '../platform/events.js';
import { addDays, kyivDay, kyivMinuteOfDay } from '../platform/kyiv-time.js';
import { DomainError } from '../platform/problems.js';
import { type DevMailbox, startDevMailbox } from './dev-mailbox.js';
import { findMail, listMailbox } from './dev-mailbox-store.js';
import { type EmailTransport, smtpTransport } from './mailer.js';
import type { RendererDeps } from './message-renderer.js';
import { defaultRetryPolicy, maskRecipient } from './outbox-rules.js';
import * as outbox from './outbox-store.js';
import { createOutboxWorker, type OutboxWorker } from './outbox-worker.js';
import { httpSmsGateway, type SmsProvider } from './sms.js';

/**
 * Notifications (SPEC 3.10): the outbox worker with its transports, the evening reminders, the
 * demo mailbox, and the admin view of the outbox (dead letters and retry).
 */
export interface NotifyDeps {
  config: Config;
  db: Db;
  clock: Clock;
  crypto: PiiCrypto;
  events: EventBus;
  logger?: Logger;
  /** The rating link's token for a served visit (see RendererDeps.feedbackToken). */
  feedbackToken?: RendererDeps['feedbackToken'];
  /** The hall's estimate of the queue ahead of a ticket (see RendererDeps.queueAheadMs). */
  queueAheadMs?: RendererDeps['queueAheadMs'];
  /** The hall's arrival code (see RendererDeps.checkInCode). */
  checkInCode?: RendererDeps['checkInCode'];
  /** Tests hand in their own transports. */
  email?: EmailTransport;
  sms?: SmsProvider | null;
}

const SENT_RETENTION_DAYS = 30;

export function createNotifyService(deps: NotifyDeps) {
  const { config, db, clock } = deps;
  let mailbox: DevMailbox | undefined;
  const email =
    deps.email ?? smtpTransport({ url: () => config.smtpUrl ?? mailbox?.url, from: config.mailFrom });
  const sms =
    deps.sms !== undefined
      ? deps.sms
      : config.notify.sms && config.notify.smsGatewayUrl
        ? httpSmsGateway({ url: config.notify.smsGatewayUrl, token: config.notify.smsGatewayToken })
        : null;
  const portalUrl = (config.publicUrl ?? `http://localhost:${config.port || 3000}`).replace(/\/$/, '');
  const worker: OutboxWorker = createOutboxWorker({
    db,
    clock,
    events: deps.events,
    email,
    sms,
    logger: deps.logger,
    renderer: {
      crypto: deps.crypto,
      portalUrl,
      cancelBeforeMinutes: config.policy.cancelBeforeMinutes,
      feedbackTtlDays: config.notify.feedbackLinkDays,
      feedbackToken: deps.feedbackToken,
      queueAheadMs: deps.queueAheadMs,
      checkInCode: deps.checkInCode,
    },
    retry: { ...defaultRetryPolicy, maxAttempts: config.notify.maxAttempts },
    leaseMs: config.notify.leaseMs,
    batchSize: 10,
    pollMs: config.notify.pollMs,
    concurrency: config.notify.concurrency,
    sendTimeoutMs: config.notify.sendTimeoutMs,
  });

  // Workers are woken after commit, at most every NUDGE_MS per process: a NOTIFY inside every
  // writing transaction would serialise their commits (PostgreSQL locks the notification queue
  // at commit), which the release moment cannot afford. Polling remains the fallback.
  const NUDGE_MS = 200;
  let lastNudge = 0;
  let trailing: NodeJS.Timeout | undefined;
  const sendNudge = () => {
    lastNudge = Date.now();
    outbox.nudgeWorkers(db).catch((err: unknown) => deps.logger?.warn({ err }, 'outbox nudge failed'));
  };

  return {
    worker,
    /** Tells every worker that messages are waiting (call after the writing transaction commits). */
    nudge() {
      if (Date.now() - lastNudge >= NUDGE_MS) return sendNudge();
      trailing ??= setTimeout(() => {
        trailing = undefined;
        sendNudge();
      }, NUDGE_MS);
      trailing.unref();
    },
    portalUrl,
    get mailbox() {
      return mailbox;
    },

    /** What the demo mailbox received, newest first (its routes exist only in demo mode). */
    inbox: {
      list: (limit: number) => listMailbox(db, limit),
      find: (id: number) => findMail(db, id),
    },

    /** Demo mode without SMTP_URL gets the in-process mailbox. Idempotent. */
    async startDevMailbox(): Promise<DevMailbox> {
      if (config.production) throw new Error('the demo mailbox is demo-only');
      mailbox ??= await startDevMailbox(db, clock);
      return mailbox;
    },

    /** Starts the worker (and the demo mailbox when it is needed). */
    async start() {
      if (!config.smtpUrl && config.demo) await this.startDevMailbox();
      await worker.start();
    },

    async stop() {
      await worker.stop();
      email.close();
      await mailbox?.close();
      mailbox = undefined;
    },

    /**
     * The evening before (from REMINDER_HOUR Kyiv time): one reminder per booked online
     * registration of tomorrow. Safe to run as often as wanted, on any number of instances.
     */
    async sendReminders(): Promise<number> {
      const now = clock.now();
      if (kyivMinuteOfDay(now) < config.notify.reminderHour * 60) return 0;
      return outbox.enqueueReminders(db, addDays(kyivDay(now), 1), now);
    },

    /** Deletes sent messages older than SENT_RETENTION_DAYS (30). */
    async purgeSent(): Promise<number> {
      return outbox.purgeSent(db, new Date(clock.now().getTime() - SENT_RETENTION_DAYS * 86_400_000));
    },

    async list(filter: { status?: outbox.OutboxStatus; centerId: string | null; limit?: number }) {
      const rows = await outbox.listOutbox(db, { ...filter, limit: filter.limit ?? 200 });
      return rows.map((r) => ({
        id: r.id,
        channel: r.channel,
        template: r.template,
        recipient: maskRecipient(r.recipient),
        lang: r.lang,
        payload: r.payload,
        centerId: r.center_id,
        status: r.status,
        attempts: r.attempts,
        nextAttemptAt: new Date(r.next_attempt_at).toISOString(),
        lastError: r.last_error,
        createdAt: new Date(r.created_at).toISOString(),
        sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
      }));
    },

    async retry(
      id: number,
      scope: { centerId: string | null },
      actor: { kind: string; id: string | null; ip: string },
    ) {
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        const row = await outbox.findOutboxCenter(trx, id);
        if (!row || (scope.centerId && row.center_id !== scope.centerId)) throw new DomainError('NOT_FOUND');
        if (!(await outbox.retryMessage(trx, id, now))) {
          throw new DomainError('INVALID_STATE', {
            detail: 'Повторно надіслати можна лише недоставлене повідомлення.',
          });
        }
        await audit(trx, {
          at: now,
          actorKind: actor.kind,
          actorId: actor.id,
          action: 'outbox.retried',
          subjectKind: 'outbox',
          subjectId: String(id),
          centerId: row.center_id,
          ip: actor.ip,
          details: { previousStatus: row.status },
        });
        return { id, status: 'pending' as const };
      });
    },
  };
}

export type NotifyService = ReturnType<typeof createNotifyService>;
