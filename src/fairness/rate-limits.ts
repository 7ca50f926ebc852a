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
  function takeOf(scope: LimitScope, who: Who): ScopeTake {
    const l = limiters[scope];
    const limits: Array<[string, number]> = [[rowKey(l.address, who.address), l.address.points]];
    if (who.identity) limits.push([rowKey(l.identity, who.identity), l.identity.points]);
    const now = Date.now();
    return {
      keys: limits.map(([key]) => key),
      limits: limits.map(([, points]) => points),
      durationMs: WINDOW_SECONDS * 1000,
      judge(counted: Counted): void {
        for (const [key, points] of limits) {
          const c = counted.get(key);
          if (c && c.points > points) throw refuse(c.expire - now);
        }
      },
    };
  }

  async function consumeInStore(scope: LimitScope, who: Who): Promise<void> {
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
  }

  const leases = readLeases((keys, durationMs, extras) =>
    consumeCounters(deps.handle.db, keys, durationMs, extras),
  );

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

    /**
     * Takes one request of a scope; RATE_LIMITED (with Retry-After) once either limit is spent.
     * Undefined (nothing to wait for) when the request was counted from this process's leases.
     */
    consume(scope: LimitScope, who: Who): Promise<void> | undefined {
      if (inPostgres) {
        const take = takeOf(scope, who);
        if (LEASED_SCOPES.has(scope)) return leases.take(take);
        return consumeCounters(deps.handle.db, take.keys, take.durationMs).then((counted) =>
          take.judge(counted),
        );
      }
      return consumeInStore(scope, who);
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

/** A scope's take: its counter rows, each row's limit, and the verdict on what a take counted. */
interface ScopeTake extends JoinedTake {
  keys: string[];
  limits: number[];
}

/** Scopes whose PostgreSQL counters are taken a few points at a time (public reads, #19). */
const LEASED_SCOPES: ReadonlySet<LimitScope> = new Set<LimitScope>(['slots', 'reads']);
/** At most this many points reserved beyond a request's own, and never more than a 16th of the limit. */
const LEASE_MAX = 4;
/** Leases a process keeps; past this, the expired ones are dropped (and all, if that is not enough). */
const LEASES_KEPT = 100_000;

/** The points to reserve with a take: none once the counter may be past half its limit. */
export function leaseExtra(limit: number, known: number): number {
  const extra = Math.min(LEASE_MAX, Math.floor(limit / 16));
  return extra > 0 && known + 1 + extra <= limit / 2 ? extra : 0;
}

/**
 * Read limits with leases: a take of a public read's counter may reserve a few more points in the
 * same upsert (`leaseExtra`), and this process's next reads of that counter are counted from the
 * reservation, with no statement and no wait, until it is used up or the counter's minute ends.
 * Exactness is kept where it matters: every point is in the shared row before it is used, so the
 * instances together never let more reads through than the limit. What it costs: a process that
 * stops, or a reservation nobody uses, leaves its points counted (a reader may be refused a few
 * reads early, at most LEASE_MAX a counter, process and minute), and the counters the
 * proof-of-work tier reads may include up to that many reserved points. Reservations stop once a
 * counter may be past half its limit: near the limit every read is taken alone, as before.
 */
function readLeases(consume: (keys: string[], durationMs: number, extras: number[]) => Promise<Counted>) {
  const held = new Map<string, { left: number; expire: number; row: number }>();
  const keep = (key: string, lease: { left: number; expire: number; row: number }) => {
    if (held.size >= LEASES_KEPT && !held.has(key)) {
      const now = Date.now();
      for (const [k, l] of held) if (l.expire <= now) held.delete(k);
      if (held.size >= LEASES_KEPT) held.clear();
    }
    held.set(key, lease);
  };
  return {
    take(take: ScopeTake): Promise<void> | undefined {
      const now = Date.now();
      const missing: number[] = [];
      take.keys.forEach((key, i) => {
        const lease = held.get(key);
        if (lease && lease.left > 0 && lease.expire > now) lease.left -= 1;
        else missing.push(i);
      });
      if (missing.length === 0) return undefined;
      const keys = missing.map((i) => take.keys[i] as string);
      const limits = missing.map((i) => take.limits[i] ?? 0);
      const extras = keys.map((key, k) => {
        const lease = held.get(key);
        return leaseExtra(limits[k] ?? 0, lease && lease.expire > now ? lease.row : 0);
      });
      return consume(keys, take.durationMs, extras).then((counted) => {
        keys.forEach((key, k) => {
          const c = counted.get(key);
          if (!c) return;
          const lease = held.get(key);
          const same = lease !== undefined && lease.expire === c.expire;
          // What the row holds beyond this batch's requests and still fits under the limit.
          const fits =
            c.row !== undefined && c.extra
              ? Math.max(0, Math.min(c.extra, (limits[k] ?? 0) - (c.row - c.extra)))
              : 0;
          const row = Math.max(c.row ?? c.points, same ? lease.row : 0);
          keep(key, { left: (same ? lease.left : 0) + fits, expire: c.expire, row });
        });
        take.judge(counted);
      });
    },
  };
}
