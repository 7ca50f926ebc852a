/**
 * SPEC rule 8, the head's answer to a conflict: offering other times. Pure: when the offer's
 * links expire and what state the head sees.
 */

/** How long an offer's links live at most (48 h): long enough to read the mail over a weekend day. */
export const OFFER_VALID_HOURS = 48;
/** At most this many times in one offer: a choice, not a second booking screen. */
export const MAX_OFFERED_TIMES = 5;

/**
 * The links expire after `OFFER_VALID_HOURS`, but never later than the cancellation deadline of
 * the earliest offered time (a move onto a time about to start helps nobody). Null when that
 * moment has already passed: the time cannot be offered.
 */
export function offerExpiry(
  now: Date,
  offeredStarts: Date[],
  policy: { cancelBeforeMinutes: number },
): Date | null {
  const earliest = Math.min(...offeredStarts.map((d) => d.getTime()));
  const deadline = earliest - policy.cancelBeforeMinutes * 60_000;
  const expires = Math.min(now.getTime() + OFFER_VALID_HOURS * 3_600_000, deadline);
  return expires > now.getTime() ? new Date(expires) : null;
}

export type OfferState = 'sent' | 'accepted' | 'expired' | 'withdrawn';

/**
 * What the head sees: accepted once used; withdrawn when another offer was accepted or the
 * conflict was settled otherwise; expired when its time ran out unused.
 */
export function offerState(
  row: { status: string; expires_at: Date },
  conflictOpen: boolean,
  now: Date,
): OfferState {
  if (row.status === 'accepted') return 'accepted';
  if (row.status === 'withdrawn' || !conflictOpen) return 'withdrawn';
  return row.expires_at.getTime() <= now.getTime() ? 'expired' : 'sent';
}
