import { createHmac } from 'node:crypto';
import type { Policy } from '../config.js';
import { addDays, type Day, formatHm, kyivDay, kyivInstant } from '../platform/kyiv-time.js';

/**
 * Fair-access rules of SPEC 3.9 as pure functions over plain data and `now`: the lottery window,
 * the seeded shuffle, the choice of a place for an entry, proof-of-work difficulty under
 * suspicion, and what counts as an abnormal attempt pattern.
 */

// ---- Release lottery ----

/** The day released at `now`'s Kyiv date (06:00), i.e. today + horizon. */
export function releasedDay(now: Date, policy: Pick<Policy, 'horizonDays'>): Day {
  return addDays(kyivDay(now), policy.horizonDays);
}

/**
 * The lottery window of a day: [release moment, release moment + lotteryWindowMinutes), where the
 * release moment is 06:00 Kyiv `horizonDays` before the day. Null outside the window.
 */
export function lotteryWindow(
  day: Day,
  now: Date,
  policy: Pick<Policy, 'horizonDays' | 'releaseHour' | 'lotteryWindowMinutes'>,
): { opensAt: Date; decidesAt: Date } | null {
  if (policy.lotteryWindowMinutes <= 0) return null;
  if (day !== releasedDay(now, policy)) return null;
  const opensAt = kyivInstant(kyivDay(now), formatHm(policy.releaseHour * 60));
  const decidesAt = new Date(opensAt.getTime() + policy.lotteryWindowMinutes * 60_000);
  return now >= opensAt && now < decidesAt ? { opensAt, decidesAt } : null;
}

/**
 * A uniformly random permutation of 0…n-1, determined by `seed` alone (Fisher–Yates over an
 * HMAC-SHA-256 counter stream, with rejection sampling so no index is favoured). Anyone holding
 * the seed and the canonical entry list can recompute the order.
 */
export function shuffledOrder(seed: string, n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  let block = 0;
  let buffer = Buffer.alloc(0);
  let offset = 0;
  const nextUint32 = () => {
    if (offset + 4 > buffer.length) {
      buffer = createHmac('sha256', seed).update(String(block++)).digest();
      offset = 0;
    }
    const v = buffer.readUInt32BE(offset);
    offset += 4;
    return v;
  };
  for (let i = n - 1; i > 0; i--) {
    const range = i + 1;
    const limit = Math.floor(0x1_0000_0000 / range) * range;
    let r = nextUint32();
    while (r >= limit) r = nextUint32();
    const j = r % range;
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

export interface FreePlace {
  slotId: number;
  centerId: string;
  groupId: string;
  startsAt: number;
  free: number;
}

/**
 * An entry's preference: the wanted slot first; else the nearest time (earlier one on a tie) of
 * the same center and service group that day. Null when none is free.
 */
export function choosePlace(
  wanted: { slotId: number; centerId: string; groupId: string; startsAt: number },
  places: readonly FreePlace[],
): FreePlace | null {
  const exact = places.find((p) => p.slotId === wanted.slotId);
  if (exact && exact.free > 0) return exact;
  let best: FreePlace | null = null;
  for (const p of places) {
    if (p.free <= 0 || p.centerId !== wanted.centerId || p.groupId !== wanted.groupId) continue;
    const d = Math.abs(p.startsAt - wanted.startsAt);
    const bestD = best ? Math.abs(best.startsAt - wanted.startsAt) : Number.POSITIVE_INFINITY;
    if (d < bestD || (d === bestD && best && p.startsAt < best.startsAt)) best = p;
  }
  return best;
}

// ---- Proof-of-work difficulty ----

export interface BotSignals {
  /** Slot queries in the current rate-limit minute, and the per-minute limit. */
  slotQueries: number;
  slotLimit: number;
  /** Failed booking attempts in the last 10 minutes. */
  failures: number;
}

/**
 * Difficulty tier 0…3 from behaviour: heavy slot polling (over half the per-minute limit) and
 * repeated failures (5, 15, 40 in 10 minutes) each raise it. A person clicking through a few
 * times stays at tier 0.
 */
export function suspicionTier(s: BotSignals): number {
  let tier = 0;
  if (s.slotLimit > 0 && s.slotQueries > s.slotLimit / 2) tier += 1;
  if (s.failures >= 40) tier += 2;
  else if (s.failures >= 5) tier += 1;
  if (s.failures >= 15 && tier < 2) tier = 2;
  return Math.min(3, tier);
}

/** ALTCHA maxnumber for a tier: ×1, ×10, ×50, ×200 the base (expected work grows the same). */
export function maxNumberFor(base: number, tier: number): number {
  const factor = [1, 10, 50, 200][Math.max(0, Math.min(3, tier))] ?? 1;
  return base * factor;
}

// ---- Suspicion report ----

export interface AttemptStats {
  kind: 'person' | 'address';
  subject: string;
  attempts: number;
  failures: number;
  distinctPersons: number;
  codes: Record<string, number>;
}

export interface SuspicionThresholds {
  /** An identity making more booking attempts than this in the period is abnormal. */
  attemptsPerPerson: number;
  /** An address with more distinct identities than this (a bot farm behind one address). */
  personsPerAddress: number;
  /** Refusals by the anti-bot layers (RATE_LIMITED, ANTIBOT_REQUIRED, LOTTERY_ALREADY_ENTERED). */
  refusals: number;
}

export const defaultThresholds: SuspicionThresholds = {
  attemptsPerPerson: 20,
  personsPerAddress: 10,
  refusals: 5,
};

const refusalCodes = ['RATE_LIMITED', 'ANTIBOT_REQUIRED', 'LOTTERY_ALREADY_ENTERED'];

/**
 * Which subjects look like bots, with the reasons. Also anything above 10× the median attempts
 * of its kind (and at least 5) is flagged, so the report adapts to a busy release morning.
 */
export function flagSuspicious(
  rows: readonly AttemptStats[],
  t: SuspicionThresholds = defaultThresholds,
): Array<AttemptStats & { reasons: string[] }> {
  const medianOf = (kind: AttemptStats['kind']) => {
    const xs = rows
      .filter((r) => r.kind === kind)
      .map((r) => r.attempts)
      .sort((a, b) => a - b);
    return xs.length ? (xs[Math.floor(xs.length / 2)] as number) : 0;
  };
  const median = { person: medianOf('person'), address: medianOf('address') };
  const out: Array<AttemptStats & { reasons: string[] }> = [];
  for (const r of rows) {
    const reasons: string[] = [];
    if (r.kind === 'person' && r.attempts > t.attemptsPerPerson) reasons.push('many_attempts');
    if (r.kind === 'address' && r.distinctPersons > t.personsPerAddress) reasons.push('many_identities');
    const refusals = refusalCodes.reduce((acc, c) => acc + (r.codes[c] ?? 0), 0);
    if (refusals >= t.refusals) reasons.push('refused_by_antibot');
    if (r.attempts >= 5 && r.attempts > 10 * median[r.kind]) reasons.push('far_above_median');
    if (reasons.length) out.push({ ...r, reasons });
  }
  return out.sort((a, b) => b.attempts - a.attempts);
}
