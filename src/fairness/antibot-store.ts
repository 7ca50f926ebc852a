import type { Executor } from '../platform/db.js';
import { storeOp } from '../platform/problems.js';
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
