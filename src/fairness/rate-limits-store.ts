import { sql } from 'kysely';
import { batchLoader, perExecutor } from '../platform/batch.js';
import { type Executor, PREPARED } from '../platform/db.js';
import { storeOp } from '../platform/problems.js';

/**
 * Rate-limit counters in PostgreSQL: rate-limiter-flexible's table `rate_limits` (key, points,
 * expire in epoch ms; a row whose expire has passed counts as zero), read and counted here in ONE
 * statement where the library would make one per key. Same rows, same semantics, so the library
 * and these statements can be used side by side.
 */

/**
 * The points of each of `keys` now (0 for a missing or expired row), as an SQL array in the keys'
 * order, to read alone or inside a larger statement (the proof-of-work claim). Each key is a
 * scalar subquery on the primary key, never a join: a prepared statement's generic plan is made
 * after five executions, and on a young `rate_limits` (no statistics yet, as at the first release
 * after a deploy) a join or `= ANY` was planned as a scan of the whole table, kept by every
 * connection while the table grew to a row per client (#19, test/fairness/hot-path-plans.test.ts).
 */
export function countersNow(keys: readonly string[], nowMs: number) {
  return sql<Array<number | string | null>>`ARRAY(
    SELECT (SELECT r.points FROM rate_limits r WHERE r.key = u.k AND (r.expire > ${nowMs}::bigint OR r.expire IS NULL))
    FROM unnest(${[...keys]}::text[]) WITH ORDINALITY AS u(k, n)
    ORDER BY u.n)`;
}

/** Points of each key now (0 for a missing or expired row), in one query. */
export async function readCounters(db: Executor, keys: readonly string[], nowMs: number): Promise<number[]> {
  const { rows } = await storeOp('rateLimits.read', () =>
    sql<{ points: Array<number | string | null> }>`${sql.raw(PREPARED)}
      SELECT ${countersNow(keys, nowMs)} AS points`.execute(db),
  );
  return keys.map((_, i) => Number(rows[0]?.points[i] ?? 0));
}

/**
 * One request's take: one point of each of `keys`, whose rows last `durationMs` from their start;
 * `extras[i]` more points of `keys[i]` may be reserved at once for the caller's later requests (a
 * lease, see rate-limits.ts), counted after this request's point.
 */
export interface Take {
  keys: readonly string[];
  durationMs: number;
  extras?: readonly number[];
}

/**
 * What a request's take counted: each key's points as this request counts them, and its expiry;
 * for the batch's first take of a key that asked for extra points, also the row's points after
 * the batch (`row`) and how many extra points it holds (`extra`), from which the caller's lease is
 * what fits under the limit.
 */
export type Counted = Map<string, { points: number; expire: number; row?: number; extra?: number }>;

/**
 * The takes of one batch as ONE upsert: rate-limiter-flexible's statement with each key's points
 * added at once (an expired row starts again at the batch's count, with a new expiry), the keys in
 * sorted order, so two batches never wait for each other's rows crosswise. `counted` answers each
 * take the points it would have seen had the takes run one after another in the order they came:
 * the same counts and refusals as one statement per request. Used alone (`consumeCounters`) and
 * inside the proof-of-work claim (antibot-store), so that a booking's take costs no round trip.
 */
export function batchOfTakes(takes: readonly Take[], nowMs: number) {
  const added = new Map<string, { n: number; durationMs: number; extra: number }>();
  for (const t of takes) {
    t.keys.forEach((key, i) => {
      if (t.keys.indexOf(key) !== i) return; // a key twice in one take counts once
      const extra = t.extras?.[i] ?? 0;
      const a = added.get(key);
      if (!a) added.set(key, { n: 1, durationMs: t.durationMs, extra });
      else {
        a.n += 1;
        a.extra = Math.max(a.extra, extra);
      }
    });
  }
  const sorted = [...added.keys()].sort();
  return {
    upsert: sql<{ key: string; points: number | string; expire: number | string }>`
      INSERT INTO rate_limits AS r (key, points, expire)
      SELECT k, n, ${nowMs}::bigint + d
      FROM unnest(${sorted}::text[], ${sorted.map((k) => {
        const a = added.get(k);
        return a ? a.n + a.extra : 1;
      })}::int[],
                  ${sorted.map((k) => added.get(k)?.durationMs ?? 0)}::bigint[]) WITH ORDINALITY AS u(k, n, d, o)
      ORDER BY o
      ON CONFLICT (key) DO UPDATE SET
        points = CASE WHEN r.expire <= ${nowMs}::bigint THEN excluded.points ELSE r.points + excluded.points END,
        expire = CASE WHEN r.expire <= ${nowMs}::bigint THEN excluded.expire ELSE r.expire END
      RETURNING r.key, r.points, r.expire`,
    /** Each take's counts from the upsert's rows (key, points and expiry after the whole batch). */
    counted(
      rows: ReadonlyArray<{ key: string; points: number | string; expire: number | string }>,
    ): Counted[] {
      const after = new Map(rows.map((r) => [r.key, { points: Number(r.points), expire: Number(r.expire) }]));
      const handedOut = new Map<string, number>();
      return takes.map((t) => {
        const counted: Counted = new Map();
        for (const key of new Set(t.keys)) {
          const row = after.get(key);
          const a = added.get(key);
          if (!row || !a) continue;
          const i = (handedOut.get(key) ?? 0) + 1;
          handedOut.set(key, i);
          // The extra points are counted after the batch's requests: each request is where it
          // would be without them, and the lease is what the row holds beyond the last of them.
          const points = row.points - a.extra - a.n + i;
          counted.set(
            key,
            i === 1 && a.extra > 0
              ? { points, expire: row.expire, row: row.points, extra: a.extra }
              : { points, expire: row.expire },
          );
        }
        return counted;
      });
    },
  };
}

/** The takes of the requests that arrive in the same turn of the event loop, as ONE statement. */
const takeBatch = perExecutor((db: Executor) =>
  batchLoader(async (takes: readonly Take[]) => {
    const batch = batchOfTakes(takes, Date.now());
    const { rows } = await storeOp('rateLimits.consume', () =>
      sql<{ key: string; points: number; expire: string }>`${sql.raw(PREPARED)} ${batch.upsert}`.execute(db),
    );
    return batch.counted(rows);
  }),
);

/**
 * Adds one point to each key (batched with the concurrent requests' takes, see `takeBatch`).
 * Returns each key's points as this request counts them and the row's expiry (epoch ms).
 */
export function consumeCounters(
  db: Executor,
  keys: readonly string[],
  durationMs: number,
  extras?: readonly number[],
): Promise<Counted> {
  return takeBatch(db, { keys, durationMs, extras });
}
