import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Clock } from '../platform/clock.js';
import type { DatabaseHandle } from '../platform/db.js';
import { createAntibot } from './antibot-service.js';
import { type Attempt, attemptStats, insertAttempts } from './attempts-store.js';
import { defaultThresholds, flagSuspicious, type SuspicionThresholds } from './fairness-rules.js';
import { createLottery } from './lottery-service.js';
import { createRateLimits } from './rate-limits.js';

/**
 * Fair access (SPEC 3.9) in one place: proof-of-work, rate limits, the release lottery, the
 * audited attempts and the suspicion report built from them.
 */
export interface FairnessDeps {
  config: Config;
  handle: DatabaseHandle;
  clock: Clock;
  logger?: Logger;
  /** Namespace of rate-limit counters (tests keep theirs apart). */
  limitsPrefix?: string;
}

const FLUSH_EVERY_MS = 1_000;
const FLUSH_AT_ROWS = 500;

export function createFairness(deps: FairnessDeps) {
  const { config, handle, clock } = deps;
  const db = handle.db;
  // Counters are kept when either mechanism needs them (difficulty reads them too).
  const limits =
    config.rateLimits || config.antibot
      ? createRateLimits({
          handle,
          limits: config.fairness.rateLimits,
          redisUrl: config.redisUrl,
          prefix: deps.limitsPrefix,
        })
      : null;
  const antibot = createAntibot({
    db,
    clock,
    hmacKey: config.fairness.antibotHmacKey,
    baseMaxNumber: config.fairness.antibotMaxNumber,
    signals: async (identity, address) =>
      limits
        ? limits.signals(identity, address)
        : { slotQueries: 0, slotLimit: config.fairness.rateLimits.slots.identity, failures: 0 },
    counters: limits ? { keys: limits.signalKeys, signalsFrom: limits.signalsFrom } : undefined,
  });
  const lottery = createLottery({ db, clock, policy: config.policy, logger: deps.logger });

  // Attempts are written in batches, outside the booking transaction, so auditing them costs
  // the booking path nothing; a crash loses at most a second of them (the bookings themselves are
  // in audit_log, in their own transactions).
  let buffer: Attempt[] = [];
  let flushing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const flush = async (): Promise<void> => {
    await flushing;
    const rows = buffer;
    buffer = [];
    flushing = insertAttempts(db, rows).catch((err: unknown) =>
      deps.logger?.warn({ err, rows: rows.length }, 'booking attempts not recorded'),
    );
    await flushing;
  };

  return {
    antibot,
    limits,
    lottery,
    attempts: {
      record(attempt: Attempt) {
        buffer.push(attempt);
        if (buffer.length >= FLUSH_AT_ROWS) void flush();
      },
      flush,
    },

    /** Identities and addresses with abnormal attempt patterns over [from, to). */
    async suspicion(from: Date, to: Date, thresholds: SuspicionThresholds = defaultThresholds) {
      await flush();
      const flagged = flagSuspicious(await attemptStats(db, from, to), thresholds);
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        thresholds,
        identities: flagged
          .filter((f) => f.kind === 'person')
          .map(({ kind: _k, subject, ...rest }) => ({ personId: subject, ...rest })),
        addresses: flagged
          .filter((f) => f.kind === 'address')
          .map(({ kind: _k, subject, ...rest }) => ({ address: subject, ...rest })),
      };
    },

    start() {
      timer ??= setInterval(() => void flush(), FLUSH_EVERY_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await flush();
      await limits?.close();
    },
  };
}

export type Fairness = ReturnType<typeof createFairness>;
