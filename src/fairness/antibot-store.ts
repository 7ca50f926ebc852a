import { sql } from 'kysely';
import { batchLoader, perExecutor } from '../platform/batch.js';
import { type Executor, PREPARED } from '../platform/db.js';
import { storeOp } from '../platform/problems.js';
import { batchOfTakes, type Counted, countersNow, type Take } from './rate-limits-store.js';
import './fairness-schema.js';

/** SQL of the proof-of-work: the used challenges (each accepted once, kept until it expires). */

/** Records a challenge as used; false when it was used already (one conditional INSERT). */
export async function claimChallenge(db: Executor, challenge: string, expiresAt: Date): Promise<boolean> {
  const fresh = await storeOp('antibot.claim', () =>
    db
      .insertInto('antibot_used')
      .values({ challenge, expires_at: expiresAt })
      .onConflict((oc) => oc.column('challenge').doNothing())
      .returning('challenge')
      .executeTakeFirst(),
  );
  return fresh !== undefined;
}

/** Forgets the used challenges that have expired (they could not be replayed anyway). */
export async function purgeExpiredChallenges(db: Executor, now: Date): Promise<number> {
  const r = await storeOp('antibot.purge', () =>
    db.deleteFrom('antibot_used').where('expires_at', '<', now).executeTakeFirst(),
  );
  return Number(r.numDeletedRows);
}

interface Claim {
  challenge: string;
  expiresAt: Date;
  keys: readonly string[];
  nowMs: number;
  /** The request's rate-limit take, counted in the claim's statement (null: taken before). */
  take: Take | null;
}

/**
 * The single-use claims, the difficulty tier's counters and the rate-limit takes of the requests
 * that arrive in the same turn of the event loop, in ONE statement (platform/batch.ts; the hot
 * path of a booking with PostgreSQL counters): takes a point of each request's limits, records
 * each challenge as used and reads the points of every tier key now (0 for a missing or expired
 * row). A challenge sent twice in one batch (a replay racing its original) is fresh for the first
 * only, as if they had come one after the other. The counters are read as `countersNow` reads them
 * (by primary key, safe in a generic plan); the tier's keys (slot queries, failures) are never the
 * takes' keys (bookings), so the read does not miss what the statement itself counts.
 *
 * Lock order: the takes' upsert runs to completion before the first challenge is inserted (the
 * insert's one-time filter reads it), and locks its rows in key order. Two batches that share a
 * counter therefore meet on that row first, and one waits for the other to commit; they cannot
 * each hold what the other wants (a replayed proof in both, say), which would be a deadlock.
 */
const claimBatch = perExecutor((db: Executor) =>
  batchLoader(async (claims: readonly Claim[]) => {
    const firsts = new Map<string, number>();
    claims.forEach((c, i) => {
      if (!firsts.has(c.challenge)) firsts.set(c.challenge, i);
    });
    const unique = [...firsts.values()].map((i) => claims[i] as Claim);
    const keys = [...new Set(claims.flatMap((c) => c.keys))];
    const nowMs = Math.max(...claims.map((c) => c.nowMs));
    const withTake = claims.flatMap((c, i) => (c.take ? [i] : []));
    const takes = batchOfTakes(
      withTake.map((i) => claims[i]?.take as Take),
      nowMs,
    );
    const { rows } = await sql<{
      fresh: string[];
      points: Array<number | string | null>;
      take_keys: string[] | null;
      take_points: Array<number | string> | null;
      take_expires: Array<number | string> | null;
    }>`${sql.raw(PREPARED)}
      WITH taken AS (${takes.upsert}),
      claimed AS (
        INSERT INTO antibot_used (challenge, expires_at)
        SELECT * FROM unnest(${unique.map((c) => c.challenge)}::text[], ${unique.map((c) => c.expiresAt)}::timestamptz[])
        WHERE (SELECT count(*) FROM taken) >= 0
        ON CONFLICT (challenge) DO NOTHING RETURNING challenge
      )
      SELECT ARRAY(SELECT challenge FROM claimed) AS fresh, ${countersNow(keys, nowMs)} AS points,
             t.take_keys, t.take_points, t.take_expires
      FROM (SELECT array_agg(key) AS take_keys, array_agg(points) AS take_points, array_agg(expire) AS take_expires
            FROM taken) t`.execute(db);
    const row = rows[0];
    const fresh = new Set(row?.fresh ?? []);
    const points = new Map(keys.map((k, i) => [k, Number(row?.points[i] ?? 0)]));
    const counted = takes.counted(
      (row?.take_keys ?? []).map((key, i) => ({
        key,
        points: row?.take_points?.[i] ?? 0,
        expire: row?.take_expires?.[i] ?? 0,
      })),
    );
    const countedOf = new Map(withTake.map((claimIndex, k) => [claimIndex, counted[k] as Counted]));
    return claims.map((c, i) => ({
      fresh: fresh.has(c.challenge) && firsts.get(c.challenge) === i,
      points: c.keys.map((k) => points.get(k) ?? 0),
      counted: countedOf.get(i) ?? null,
    }));
  }),
);

/**
 * Claims a challenge (false when it was used already) and reads the points of `keys` now, in
 * their order, with the concurrent requests' claims in one statement; with `take`, also takes the
 * request's rate-limit points there (`counted`, as `consumeCounters` answers). The caller decides
 * the tier from the points and gives the claim back with `releaseChallenge` when it refuses for
 * difficulty or for the rate limit, so that such a refusal spends nothing.
 */
export async function claimChallengeReadingCounters(
  db: Executor,
  challenge: string,
  expiresAt: Date,
  keys: readonly string[],
  nowMs: number,
  take: Take | null = null,
): Promise<{ fresh: boolean; points: number[]; counted: Counted | null }> {
  return storeOp('antibot.claim', () => claimBatch(db, { challenge, expiresAt, keys, nowMs, take }));
}

/** Gives a claim back (the request was refused before the challenge could pay for anything). */
export async function releaseChallenge(db: Executor, challenge: string): Promise<void> {
  await storeOp('antibot.release', () =>
    db.deleteFrom('antibot_used').where('challenge', '=', challenge).execute(),
  );
}
