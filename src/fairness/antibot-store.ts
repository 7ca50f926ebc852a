import { sql } from 'kysely';
import { batchLoader, perExecutor } from '../platform/batch.js';
import { type Executor, PREPARED } from '../platform/db.js';
import { storeOp } from '../platform/problems.js';
import { countersNow } from './rate-limits-store.js';
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
}

/**
 * The single-use claims and the difficulty tier's counters of the requests that arrive in the
 * same turn of the event loop, in ONE statement (platform/batch.ts; the hot path of a guarded
 * request with PostgreSQL counters): records each challenge as used and reads the points of every
 * key now (0 for a missing or expired row). A challenge sent twice in one batch (a replay racing
 * its original) is fresh for the first only, as if they had come one after the other. The
 * counters are read as `countersNow` reads them (by primary key, safe in a generic plan).
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
    const { rows } = await sql<{
      fresh: string[];
      points: Array<number | string | null>;
    }>`${sql.raw(PREPARED)}
      WITH claimed AS (
        INSERT INTO antibot_used (challenge, expires_at)
        SELECT * FROM unnest(${unique.map((c) => c.challenge)}::text[], ${unique.map((c) => c.expiresAt)}::timestamptz[])
        ON CONFLICT (challenge) DO NOTHING RETURNING challenge
      )
      SELECT ARRAY(SELECT challenge FROM claimed) AS fresh, ${countersNow(keys, nowMs)} AS points`.execute(
      db,
    );
    const row = rows[0];
    const fresh = new Set(row?.fresh ?? []);
    const points = new Map(keys.map((k, i) => [k, Number(row?.points[i] ?? 0)]));
    return claims.map((c, i) => ({
      fresh: fresh.has(c.challenge) && firsts.get(c.challenge) === i,
      points: c.keys.map((k) => points.get(k) ?? 0),
    }));
  }),
);

/**
 * Claims a challenge (false when it was used already) and reads the points of `keys` now, in
 * their order, with the concurrent requests' claims in one statement. The caller decides the tier
 * from the points and gives the claim back with `releaseChallenge` when it refuses for
 * difficulty, so that refusal spends nothing.
 */
export async function claimChallengeReadingCounters(
  db: Executor,
  challenge: string,
  expiresAt: Date,
  keys: readonly string[],
  nowMs: number,
): Promise<{ fresh: boolean; points: number[] }> {
  return storeOp('antibot.claim', () => claimBatch(db, { challenge, expiresAt, keys, nowMs }));
}

/** Gives a claim back (the request was refused before the challenge could pay for anything). */
export async function releaseChallenge(db: Executor, challenge: string): Promise<void> {
  await storeOp('antibot.release', () =>
    db.deleteFrom('antibot_used').where('challenge', '=', challenge).execute(),
  );
}
