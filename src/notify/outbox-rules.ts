/**
 * Delivery policy of the outbox (SPEC 3.10), pure: how long to wait before the next attempt and
 * when to give up. Exponential backoff with jitter, so that many messages failing together (an
 * SMTP outage) do not all retry at the same instant.
 */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Share of the delay drawn at random, e.g. 0.2 = ±20 %. */
  jitter: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 30_000,
  maxDelayMs: 3_600_000,
  jitter: 0.2,
};

/** Delay before attempt `attempts + 1`, after `attempts` failed ones; `random` in [0, 1). */
export function retryDelayMs(
  attempts: number,
  random: number,
  policy: RetryPolicy = defaultRetryPolicy,
): number {
  const exp = policy.baseDelayMs * 2 ** Math.max(0, attempts - 1);
  const capped = Math.min(policy.maxDelayMs, exp);
  const factor = 1 + policy.jitter * (2 * random - 1);
  return Math.max(1_000, Math.round(capped * factor));
}

export type FailureOutcome = { status: 'dead' } | { status: 'pending'; nextAttemptAt: Date };

/** After a failed attempt: retry later, or a dead letter once the attempts are used up. */
export function afterFailure(
  attempts: number,
  now: Date,
  random: number,
  policy: RetryPolicy = defaultRetryPolicy,
): FailureOutcome {
  if (attempts >= policy.maxAttempts) return { status: 'dead' };
  return {
    status: 'pending',
    nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts, random, policy)),
  };
}

/** A permanent failure (unknown template, no such registration) is not worth retrying. */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
}

/** "t***@example.com" / "+38067***67": enough for an admin to recognise, no more. */
export function maskRecipient(recipient: string): string {
  const at = recipient.indexOf('@');
  if (at > 0) return `${recipient[0]}***${recipient.slice(at)}`;
  if (recipient.length > 6) return `${recipient.slice(0, 6)}***${recipient.slice(-2)}`;
  return '***';
}
