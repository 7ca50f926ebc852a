import { onlineHorizon } from '../booking/booking-rules.js';
import type { Policy } from '../config.js';
import { shuffledOrder } from '../fairness/fairness-rules.js';
import type { Day } from '../platform/kyiv-time.js';
import { DomainError } from '../platform/problems.js';

/**
 * SPEC rule 12 as pure functions: what a wait may ask for, who of the eligible waiters a freed
 * place goes to, and until when it is held.
 */

/** A wait's date range must lie inside the online horizon (and run forwards). */
export function assertWaitRange(
  from: Day,
  to: Day,
  now: Date,
  policy: Pick<Policy, 'horizonDays' | 'releaseHour'>,
): void {
  if (from > to) {
    throw new DomainError('VALIDATION', {
      extensions: { errors: [{ field: 'body.to', message: 'Кінцева дата раніше за початкову' }] },
    });
  }
  const { first, last } = onlineHorizon(now, policy);
  if (from < first || to > last) {
    throw new DomainError('OUT_OF_HORIZON', { extensions: { first, last, horizonDays: policy.horizonDays } });
  }
}

/**
 * The order in which the eligible waiters (canonical order: by wait id) are asked: a uniformly
 * random permutation fixed by `seed` (the release lottery's shuffle), so the draw can be
 * recomputed from the stored seed. The first who can still take the place gets it.
 */
export function drawOrder(seed: string, candidates: number): number[] {
  return shuffledOrder(seed, candidates);
}

/** Until when an offer is held: the hold, but never past the appointment's start. */
export function holdUntil(now: Date, startsAt: Date, policy: Pick<Policy, 'waitlistHoldMinutes'>): Date {
  return new Date(Math.min(now.getTime() + policy.waitlistHoldMinutes * 60_000, startsAt.getTime()));
}

/** A place is worth offering only if it starts after a whole hold (else it returns to the pool). */
export function offerable(now: Date, startsAt: Date, policy: Pick<Policy, 'waitlistHoldMinutes'>): boolean {
  return startsAt.getTime() > now.getTime() + policy.waitlistHoldMinutes * 60_000;
}
