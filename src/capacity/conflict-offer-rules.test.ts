import { describe, expect, it } from 'vitest';
import { OFFER_VALID_HOURS, offerExpiry, offerState } from './conflict-offer-rules.js';

const now = new Date('2026-11-24T08:00:00Z');
const policy = { cancelBeforeMinutes: 120 };

describe('rule 8: the head’s offer of another time', () => {
  it('links live 48 h, but never past the cancellation deadline of the earliest offered time', () => {
    const far = [new Date('2026-12-01T08:00:00Z')];
    expect(offerExpiry(now, far, policy)).toEqual(new Date(now.getTime() + OFFER_VALID_HOURS * 3_600_000));
    const soon = [new Date('2026-12-01T08:00:00Z'), new Date('2026-11-25T07:00:00Z')];
    expect(offerExpiry(now, soon, policy)).toEqual(new Date('2026-11-25T05:00:00Z'));
  });

  it('a time starting within the cancellation window cannot be offered', () => {
    expect(offerExpiry(now, [new Date('2026-11-24T09:30:00Z')], policy)).toBeNull();
  });

  it('the head sees sent, accepted, expired or withdrawn', () => {
    const open = new Date('2026-11-25T00:00:00Z');
    const past = new Date('2026-11-24T07:00:00Z');
    expect(offerState({ status: 'sent', expires_at: open }, true, now)).toBe('sent');
    expect(offerState({ status: 'sent', expires_at: past }, true, now)).toBe('expired');
    expect(offerState({ status: 'accepted', expires_at: past }, false, now)).toBe('accepted');
    expect(offerState({ status: 'withdrawn', expires_at: open }, true, now)).toBe('withdrawn');
    // The conflict was settled otherwise (marked resolved, cancelled): its offers stop working.
    expect(offerState({ status: 'sent', expires_at: open }, false, now)).toBe('withdrawn');
  });
});
