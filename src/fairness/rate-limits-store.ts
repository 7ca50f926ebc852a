import { sql } from 'kysely';
import { type Executor, PREPARED } from '../platform/db.js';
import { storeOp } from '../platform/problems.js';

/**
 * Rate-limit counters in PostgreSQL: rate-limiter-flexible's table `rate_limits` (key, points,
 * expire in epoch ms; a row whose expire has passed counts as zero), read and counted here in ONE
 * statement where the library would make one per key. Same rows, same semantics, so the library
 * and these statements can be used side by side.
 */

/** Points of each key now (0 for a missing or expired row), in one query. */
export async function readCounters(db: Executor, keys: readonly string[], nowMs: number): Promise<number[]> {
  const { rows } = await storeOp('rateLimits.read', () =>
    sql<{ key: string; points: number }>`${sql.raw(PREPARED)}
      SELECT key, points FROM rate_limits
      WHERE key = ANY(${[...keys]}::text[]) AND (expire > ${nowMs}::bigint OR expire IS NULL)`.execute(db),
  );
  const byKey = new Map(rows.map((r) => [r.key, Number(r.points)]));
  return keys.map((k) => byKey.get(k) ?? 0);
}

/**
 * Adds one point to each key in one statement (rate-limiter-flexible's upsert: an expired row
 * starts again at 1 with a new expiry). Keys are written in sorted order, so two requests never
 * wait for each other's rows crosswise. Returns each key's points and expiry (epoch ms).
 */
export async function consumeCounters(
  db: Executor,
  keys: readonly string[],
  durationMs: number,
  nowMs: number,
): Promise<Map<string, { points: number; expire: number }>> {
  const sorted = [...new Set(keys)].sort();
  const { rows } = await storeOp('rateLimits.consume', () =>
    sql<{ key: string; points: number; expire: string }>`${sql.raw(PREPARED)}
      INSERT INTO rate_limits AS r (key, points, expire)
      SELECT k, 1, ${nowMs + durationMs}::bigint FROM unnest(${sorted}::text[]) WITH ORDINALITY AS u(k, n)
      ORDER BY n
      ON CONFLICT (key) DO UPDATE SET
        points = CASE WHEN r.expire <= ${nowMs}::bigint THEN 1 ELSE r.points + 1 END,
        expire = CASE WHEN r.expire <= ${nowMs}::bigint THEN excluded.expire ELSE r.expire END
      RETURNING r.key, r.points, r.expire`.execute(db),
  );
  return new Map(rows.map((r) => [r.key, { points: Number(r.points), expire: Number(r.expire) }]));
}
