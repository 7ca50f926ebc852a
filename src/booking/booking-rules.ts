import type { Policy } from '../config.js';
import { addDays, type Day, kyivDay, kyivMinuteOfDay } from '../platform/kyiv-time.js';
import { DomainError } from '../platform/problems.js';

export { limitFor, limitPeriod } from '../registration/quota-rules.js';

/**
 * Booking rules of SPEC §3 as pure functions over plain data and `now`. The store enforces the
 * counting atomically; these decide what is allowed.
 */

/** Channels (SPEC §2) and rule 8: the online booking window D+1 … D+21; the new 21st day opens at 06:00. */
export function onlineHorizon(
  now: Date,
  policy: Pick<Policy, 'horizonDays' | 'releaseHour'>,
): { first: Day; last: Day } {
  const today = kyivDay(now);
  const released = kyivMinuteOfDay(now) >= policy.releaseHour * 60;
  return {
    first: addDays(today, 1),
    last: addDays(today, released ? policy.horizonDays : policy.horizonDays - 1),
  };
}

export function isInHorizon(
  day: Day,
  now: Date,
  policy: Pick<Policy, 'horizonDays' | 'releaseHour'>,
): boolean {
  const { first, last } = onlineHorizon(now, policy);
  return day >= first && day <= last;
}

export function assertInHorizon(
  day: Day,
  now: Date,
  policy: Pick<Policy, 'horizonDays' | 'releaseHour'>,
): void {
  const { first, last } = onlineHorizon(now, policy);
  if (day < first || day > last) {
    throw new DomainError('OUT_OF_HORIZON', { extensions: { first, last, horizonDays: policy.horizonDays } });
  }
}

/** Rule 4: a blocked person cannot register in either channel until the block ends. */
export function assertNotBlocked(blockedUntil: Date | null, now: Date): void {
  if (blockedUntil && blockedUntil.getTime() > now.getTime()) {
    throw new DomainError('BLOCKED', {
      detail: `Реєстрацію заблоковано до ${kyivDay(blockedUntil)} через неявки на прийом. Зняти блокування може керівник сервісного центру під час особистого звернення.`,
      extensions: { blockedUntil: blockedUntil.toISOString() },
    });
  }
}

/** Rule 4: after the threshold-th no-show of the month, the block runs from `now` for N days. */
export function noShowBlockUntil(
  noShowsThisMonth: number,
  now: Date,
  policy: Pick<Policy, 'noShowBlockThreshold' | 'noShowBlockDays'>,
): Date | null {
  if (noShowsThisMonth < policy.noShowBlockThreshold) return null;
  return new Date(now.getTime() + policy.noShowBlockDays * 86_400_000);
}

/** Rule 3: the owner may cancel no later than 2 hours before the appointment (to the second). */
export function assertCancellable(
  startsAt: Date,
  now: Date,
  policy: Pick<Policy, 'cancelBeforeMinutes'>,
): void {
  const deadline = startsAt.getTime() - policy.cancelBeforeMinutes * 60_000;
  if (now.getTime() > deadline) {
    throw new DomainError('CANCEL_TOO_LATE', {
      extensions: {
        deadline: new Date(deadline).toISOString(),
        cancelBeforeMinutes: policy.cancelBeforeMinutes,
      },
    });
  }
}

export function cancelDeadline(startsAt: Date, policy: Pick<Policy, 'cancelBeforeMinutes'>): Date {
  return new Date(startsAt.getTime() - policy.cancelBeforeMinutes * 60_000);
}

/**
 * Rule 3: a cancelled place returns to the pool only after a random delay, so that a reseller
 * cannot hand it over at an agreed second. `random` is in [0, 1).
 */
export function resaleDelayMs(
  random: number,
  policy: Pick<Policy, 'resaleDelayMinMinutes' | 'resaleDelayMaxMinutes'>,
): number {
  const min = policy.resaleDelayMinMinutes * 60_000;
  const max = policy.resaleDelayMaxMinutes * 60_000;
  return Math.floor(min + random * (max - min));
}

/** Rule 9: a failed exam can be booked again no earlier than 10 days after the previous one. */
export function assertExamRetryAllowed(
  previousFailedDay: Day | null,
  newDay: Day,
  policy: Pick<Policy, 'examRetryDays'>,
): void {
  if (!previousFailedDay) return;
  const earliest = addDays(previousFailedDay, policy.examRetryDays);
  if (newDay < earliest) {
    throw new DomainError('EXAM_RETRY_TOO_SOON', {
      extensions: { earliest, examRetryDays: policy.examRetryDays },
    });
  }
}
