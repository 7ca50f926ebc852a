import { createChallenge, extractParams } from 'altcha-lib/v1';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db.js';
import { DomainError } from '../platform/problems.js';
import { solutionValid } from './altcha-check.js';
import {
  claimChallenge,
  claimChallengeReadingCounters,
  purgeExpiredChallenges,
  releaseChallenge,
} from './antibot-store.js';
import { type BotSignals, maxNumberFor, suspicionTier } from './fairness-rules.js';

/**
 * Proof-of-work (SPEC 3.9, ALTCHA v1 protocol: SHA-256 over salt + number up to `maxnumber`).
 * A challenge is HMAC-signed, expires in 5 minutes, and carries in its signed salt its difficulty
 * tier, the session that fetched it and the scope it pays for; it is accepted once (its hash is
 * recorded in PostgreSQL with one conditional INSERT), from that session, for that scope. So a
 * solving farm cannot hand solved challenges to other bot sessions, and a challenge fetched for a
 * cheap purpose does not pay for a booking.
 */
export interface AntibotDeps {
  db: Db;
  clock: Clock;
  hmacKey: string;
  baseMaxNumber: number;
  /** What the counters say about an identity and an address. */
  signals(identity: string | null, address: string): Promise<BotSignals>;
  /**
   * When the counters are PostgreSQL rows: the rows the tier reads and the signals of their
   * points, so that `verify` reads them in the statement that claims the challenge.
   */
  counters?: {
    keys(identity: string | null, address: string): string[] | null;
    signalsFrom(points: readonly number[]): BotSignals;
  };
}

export const CHALLENGE_TTL_MS = 5 * 60_000;

/** Who asks and for what: the session binding (null without a session), the counted identity and address. */
export interface PowCaller {
  /** A digest of the session token (see fairness-routes); null when the request has no session. */
  session: string | null;
  identity: string | null;
  address: string;
  /** What the proof pays for: the rate-limit scope of the guarded route. */
  scope: string;
}

/** Stands in for "no session" inside a signed salt: matches no real session digest. */
const NO_SESSION = '-';

interface Payload {
  algorithm: 'SHA-256';
  challenge: string;
  number: number;
  salt: string;
  signature: string;
}

function refuse(
  reason: 'missing' | 'invalid' | 'expired' | 'reused' | 'difficulty' | 'foreign' | 'scope',
): DomainError {
  return new DomainError('ANTIBOT_REQUIRED', { extensions: { reason } });
}

function parse(raw: string): Payload | null {
  try {
    const json = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as Partial<Payload>;
    if (
      json.algorithm !== 'SHA-256' ||
      typeof json.challenge !== 'string' ||
      typeof json.salt !== 'string' ||
      typeof json.signature !== 'string' ||
      typeof json.number !== 'number' ||
      !Number.isInteger(json.number) ||
      json.number < 0
    )
      return null;
    return json as Payload;
  } catch {
    return null;
  }
}

/** A payload that passed `check`: what `claim` records and compares. */
export interface CheckedProof {
  challenge: string;
  expiresAt: number;
  paidTier: number;
  caller: PowCaller;
}

export function createAntibot(deps: AntibotDeps) {
  const { db, clock } = deps;

  async function tierOf(identity: string | null, address: string): Promise<number> {
    return suspicionTier(await deps.signals(identity, address));
  }

  /**
   * The checks of a solved payload that need no database: signature and solution, expiry (by
   * our clock), the session that fetched it and its scope. Throws ANTIBOT_REQUIRED; what it
   * returns is claimed by `claim`.
   */
  function check(raw: string | undefined | null, caller: PowCaller): CheckedProof {
    if (!raw) throw refuse('missing');
    const payload = parse(raw);
    if (!payload) throw refuse('invalid');
    if (!solutionValid(payload, deps.hmacKey)) throw refuse('invalid');
    const params = extractParams(payload);
    const expiresAt = Number(params.expires) * 1000;
    const now = clock.now();
    if (!Number.isFinite(expiresAt) || expiresAt <= now.getTime()) throw refuse('expired');
    if (!caller.session || params.s !== caller.session) throw refuse('foreign');
    if (params.k !== caller.scope) throw refuse('scope');
    return { challenge: payload.challenge, expiresAt, paidTier: Number(params.t ?? 0), caller };
  }

  /**
   * Claims a checked proof: difficulty at least what the caller's behaviour now requires, and
   * single use. Throws ANTIBOT_REQUIRED; a refusal for difficulty does not spend the challenge.
   */
  async function claim(proof: CheckedProof): Promise<void> {
    const { challenge, expiresAt, paidTier, caller } = proof;
    const keys = deps.counters?.keys(caller.identity, caller.address) ?? null;
    if (keys && deps.counters) {
      // One round trip: the claim and the tier's counters together. A refusal for difficulty
      // gives the claim back, so it spends nothing, as when the tier was read first.
      const { fresh, points } = await claimChallengeReadingCounters(
        db,
        challenge,
        new Date(expiresAt),
        keys,
        Date.now(),
      );
      if (paidTier < suspicionTier(deps.counters.signalsFrom(points))) {
        if (fresh) await releaseChallenge(db, challenge);
        throw refuse('difficulty');
      }
      if (!fresh) throw refuse('reused');
      return;
    }
    if (paidTier < (await tierOf(caller.identity, caller.address))) throw refuse('difficulty');
    const fresh = await claimChallenge(db, challenge, new Date(expiresAt));
    if (!fresh) throw refuse('reused');
  }

  return {
    /** A fresh challenge for one session and scope; harder for an identity or address that behaves like a bot. */
    async challenge(caller: PowCaller) {
      const tier = await tierOf(caller.identity, caller.address);
      const maxnumber = maxNumberFor(deps.baseMaxNumber, tier);
      const c = await createChallenge({
        hmacKey: deps.hmacKey,
        algorithm: 'SHA-256',
        maxnumber,
        expires: new Date(clock.now().getTime() + CHALLENGE_TTL_MS),
        params: { t: String(tier), s: caller.session ?? NO_SESSION, k: caller.scope },
      });
      return {
        algorithm: c.algorithm,
        challenge: c.challenge,
        maxnumber,
        salt: c.salt,
        signature: c.signature,
      };
    },

    check,
    claim,

    /**
     * Checks a solved payload (`check`) and claims it (`claim`). Throws ANTIBOT_REQUIRED; a
     * refusal for the wrong session or scope, or for difficulty, does not spend the challenge.
     */
    async verify(raw: string | undefined | null, caller: PowCaller): Promise<void> {
      await claim(check(raw, caller));
    },

    /** Job: forget used challenges once they could not be replayed anyway (expired). */
    async purgeExpired(): Promise<number> {
      return purgeExpiredChallenges(db, clock.now());
    },
  };
}

export type Antibot = ReturnType<typeof createAntibot>;
