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
import type { Counted, Take } from './rate-limits-store.js';

/** A request's rate-limit take made in its proof's claim, and the verdict on what it counted. */
export interface JoinedTake extends Take {
  /** Throws RATE_LIMITED when a limit is spent. */
  judge(counted: Counted): void;
}

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
   * With `take` (PostgreSQL counters), the request's rate-limit points are taken in the same
   * statement and judged first: an exhausted limit answers RATE_LIMITED and spends nothing.
   */
  async function claim(proof: CheckedProof, take: JoinedTake | null = null): Promise<void> {
    const { challenge, expiresAt, paidTier, caller } = proof;
    const keys = deps.counters?.keys(caller.identity, caller.address) ?? null;
    if (keys && deps.counters) {
      // One round trip: the take, the claim and the tier's counters together. A refusal for the
      // limit or for difficulty gives the claim back, so it spends nothing, as when the limit was
      // taken and the tier read before the claim.
      const { fresh, points, counted } = await claimChallengeReadingCounters(
        db,
        challenge,
        new Date(expiresAt),
        keys,
        Date.now(),
        take,
      );
      try {
        if (take) take.judge(counted ?? new Map());
        if (paidTier < suspicionTier(deps.counters.signalsFrom(points))) throw refuse('difficulty');
      } catch (refusal) {
        if (fresh) await releaseChallenge(db, challenge);
        throw refusal;
      }
      if (!fresh) throw refuse('reused');
      return;
    }
    if (take)
      throw new Error('a rate-limit take joins the claim only where the counters are PostgreSQL rows');
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
