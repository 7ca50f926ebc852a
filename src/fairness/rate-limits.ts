import { Redis } from 'ioredis';
import { CompiledQuery } from 'kysely';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { FairnessConfig } from '../config.js';
import { type DatabaseHandle, PREPARED } from '../platform/db.js';
import { DomainError } from '../platform/problems.js';
import type { JoinedTake } from './antibot-service.js';
import type { BotSignals } from './fairness-rules.js';
import { type Counted, consumeCounters, readCounters } from './rate-limits-store.js';

/**
 * Rate limits (SPEC 3.9) with rate-limiter-flexible, per identity and per network address, per
 * minute. Counters live where every instance sees them: Redis when REDIS_URL is set, else the
 * PostgreSQL table `rate_limits`; embedded PGlite is one process, so memory there.
 */
export type LimitScope = FairnessConfig['rateLimits'] extends Record<infer K, unknown> ? K : never;

export interface Who {
  identity: string | null;
  address: string;
}

const WINDOW_SECONDS = 60;
const FAILURE_WINDOW_SECONDS = 600;

export interface RateLimitsDeps {
  handle: DatabaseHandle;
  limits: FairnessConfig['rateLimits'];
  redisUrl?: string;
  /** Namespace of the counters (tests and benchmarks keep theirs apart). */
  prefix?: string;
}

export function createRateLimits(deps: RateLimitsDeps) {
  const prefix = deps.prefix ?? 'rl';
  const redis = deps.redisUrl
    ? new Redis(deps.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 })
    : null;
  // RateLimiterPostgres over our Kysely pool: it only needs `query({text, values})`.
  const pgClient = {
    query: async (q: { text: string; values?: unknown[] }) => {
      // Prepared once per connection (the library's statements have a fixed text).
      const r = await deps.handle.db.executeQuery(CompiledQuery.raw(PREPARED + q.text, q.values ?? []));
      return { rows: r.rows, rowCount: r.rows.length };
    },
  };
  const make = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract => {
    const opts = { keyPrefix: `${prefix}:${keyPrefix}`, points, duration };
    if (redis) return new RateLimiterRedis({ ...opts, storeClient: redis });
    if (deps.handle.kind === 'postgres')
      return new RateLimiterPostgres({
        ...opts,
        storeClient: pgClient,
        storeType: 'kysely',
        tableName: 'rate_limits',
        tableCreated: true,
      });
    return new RateLimiterMemory(opts);
  };

  const scopes = Object.keys(deps.limits) as LimitScope[];
  const limiters = Object.fromEntries(
    scopes.map((s) => [
      s,
      {
        identity: make(`${s}:id`, Math.max(1, deps.limits[s].identity), WINDOW_SECONDS),
        address: make(`${s}:ip`, Math.max(1, deps.limits[s].address), WINDOW_SECONDS),
      },
    ]),
  ) as Record<LimitScope, { identity: RateLimiterAbstract; address: RateLimiterAbstract }>;
  // Failed booking attempts: a counter only (never refuses), read to raise proof-of-work difficulty.
  const failures = make('fail', 1_000_000_000, FAILURE_WINDOW_SECONDS);

  const pointsOf = async (limiter: RateLimiterAbstract, key: string | null) =>
    key ? ((await limiter.get(key))?.consumedPoints ?? 0) : 0;
  // In PostgreSQL the counters a request takes or reads are one statement, not one per key.
  const inPostgres = !redis && deps.handle.kind === 'postgres';
  const rowKey = (limiter: RateLimiterAbstract, key: string) => limiter.getKey(key);
  const refuse = (msBeforeNext: number) =>
    new DomainError('RATE_LIMITED', {
      extensions: { retryAfter: Math.max(1, Math.ceil(msBeforeNext / 1000)) },
    });

  /**
   * The counter rows the difficulty tier reads, in the order `signalsFrom` takes their points;
   * null when the counters are not PostgreSQL rows (Redis, memory): then call `signals`.
   */
  function keysOfSignals(identity: string | null, address: string): string[] | null {
    if (!inPostgres) return null;
    const s = limiters.slots;
    return [
      rowKey(s.identity, identity ?? ''),
      rowKey(s.address, address),
      rowKey(failures, `id:${identity ?? ''}`),
      rowKey(failures, `ip:${address}`),
    ].map((key, i) => (identity === null && (i === 0 || i === 2) ? '' : key));
  }

  function signalsOf(points: readonly number[]): BotSignals {
    const [qi = 0, qa = 0, fi = 0, fa = 0] = points;
    // The address limit is wider (many people behind one address); scale it to the identity's.
    const addrShare = deps.limits.slots.address
      ? (qa * deps.limits.slots.identity) / deps.limits.slots.address
      : 0;
    return {
      slotQueries: Math.max(qi, addrShare),
      slotLimit: deps.limits.slots.identity,
      failures: Math.max(
        fi,
        (fa * deps.limits.bookings.identity) / Math.max(1, deps.limits.bookings.address),
      ),
    };
  }

  /** A scope's take for `who` as counter rows, and the verdict on what it counted. */
  function takeOf(scope: LimitScope, who: Who) {
    const l = limiters[scope];
    const limits: Array<[string, number]> = [[rowKey(l.address, who.address), l.address.points]];
    if (who.identity) limits.push([rowKey(l.identity, who.identity), l.identity.points]);
    const now = Date.now();
    return {
      keys: limits.map(([key]) => key),
      durationMs: WINDOW_SECONDS * 1000,
      judge(counted: Counted): void {
        for (const [key, points] of limits) {
          const c = counted.get(key);
          if (c && c.points > points) throw refuse(c.expire - now);
        }
      },
    };
  }

  return {
    /**
     * Whether a take can be made inside another statement (`take`): the counters are PostgreSQL
     * rows. The booking route's take then rides in its proof-of-work claim (fairness-routes).
     */
    joinsStatements: inPostgres,

    /** A scope's take for `who`, to be made in another statement (only where `joinsStatements`). */
    take(scope: LimitScope, who: Who): JoinedTake {
      if (!inPostgres)
        throw new Error('a take joins a statement only where the counters are PostgreSQL rows');
      return takeOf(scope, who);
    },

    /** Takes one request of a scope; RATE_LIMITED (with Retry-After) once either limit is spent. */
    async consume(scope: LimitScope, who: Who): Promise<void> {
      if (inPostgres) {
        const take = takeOf(scope, who);
        take.judge(await consumeCounters(deps.handle.db, take.keys, take.durationMs));
        return;
      }
      const l = limiters[scope];
      try {
        await Promise.all([
          l.address.consume(who.address),
          who.identity ? l.identity.consume(who.identity) : Promise.resolve(),
        ]);
      } catch (error) {
        if (error instanceof RateLimiterRes) throw refuse(error.msBeforeNext);
        throw error;
      }
    },

    async recordFailure(who: Who): Promise<void> {
      if (inPostgres) {
        const keys = [rowKey(failures, `ip:${who.address}`)];
        if (who.identity) keys.push(rowKey(failures, `id:${who.identity}`));
        await consumeCounters(deps.handle.db, keys, FAILURE_WINDOW_SECONDS * 1000);
        return;
      }
      await Promise.all([
        failures.consume(`ip:${who.address}`),
        who.identity ? failures.consume(`id:${who.identity}`) : Promise.resolve(),
      ]);
    },

    signalKeys: keysOfSignals,

    /** The signals of the points read for `signalKeys` (slot queries and failures, identity and address). */
    signalsFrom: signalsOf,

    async signals(identity: string | null, address: string): Promise<BotSignals> {
      const s = limiters.slots;
      const keys = keysOfSignals(identity, address);
      return signalsOf(
        keys
          ? await readCounters(deps.handle.db, keys, Date.now())
          : await Promise.all([
              pointsOf(s.identity, identity),
              pointsOf(s.address, address),
              pointsOf(failures, identity ? `id:${identity}` : null),
              pointsOf(failures, `ip:${address}`),
            ]),
      );
    },

    async close(): Promise<void> {
      if (redis) await redis.quit().catch(() => {});
    },
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
