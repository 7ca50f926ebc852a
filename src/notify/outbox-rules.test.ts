import { describe, expect, it } from 'vitest';
import { afterFailure, defaultRetryPolicy, maskRecipient, retryDelayMs } from './outbox-rules.js';

describe('rule 10: outbox retry policy', () => {
  it('backs off exponentially up to the cap', () => {
    const p = { ...defaultRetryPolicy, jitter: 0 };
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, 0.5, p))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(30, 0.5, p)).toBe(p.maxDelayMs);
  });

  it('jitters within ±20 %', () => {
    expect(retryDelayMs(1, 0)).toBe(24_000);
    expect(retryDelayMs(1, 0.999_999)).toBeCloseTo(36_000, -1);
  });

  it('turns the last failed attempt into a dead letter', () => {
    const now = new Date('2026-11-23T10:00:00Z');
    expect(afterFailure(defaultRetryPolicy.maxAttempts, now, 0.5)).toEqual({ status: 'dead' });
    expect(afterFailure(1, now, 0.5)).toEqual({
      status: 'pending',
      nextAttemptAt: new Date(now.getTime() + 30_000),
    });
  });

  it('masks recipients for the admin list', () => {
    expect(maskRecipient('taras@example.com')).toBe('t***@example.com');
    expect(maskRecipient('+380671234567')).toBe('+38067***67');
  });
});
