import { describe, expect, it } from 'vitest';
import { defaultPolicy as policy } from '../config.js';
import { DomainError } from '../platform/problems.js';
import {
  assertCancellable,
  assertExamRetryAllowed,
  assertInHorizon,
  assertNotBlocked,
  limitFor,
  limitPeriod,
  noShowBlockUntil,
  onlineHorizon,
  resaleDelayMs,
} from './booking-rules.js';

const codeOf = (fn: () => void) => {
  try {
    fn();
    return null;
  } catch (e) {
    return e instanceof DomainError ? e.code : 'other';
  }
};

describe('horizon: online booking D+1 … D+21, the 21st day released at 06:00 Kyiv', () => {
  it('before 06:00 Kyiv the last bookable day is D+20', () => {
    // 05:59:59 Kyiv on 23 Nov 2026 (UTC+2)
    expect(onlineHorizon(new Date('2026-11-23T03:59:59Z'), policy)).toEqual({
      first: '2026-11-24',
      last: '2026-12-13',
    });
  });
  it('from 06:00 Kyiv the new 21st day is bookable', () => {
    expect(onlineHorizon(new Date('2026-11-23T04:00:00Z'), policy)).toEqual({
      first: '2026-11-24',
      last: '2026-12-14',
    });
  });
  it('today is out of the online horizon (same-day is the terminal channel)', () => {
    expect(codeOf(() => assertInHorizon('2026-11-23', new Date('2026-11-23T08:00:00Z'), policy))).toBe(
      'OUT_OF_HORIZON',
    );
  });
  it('D+22 is out of the horizon, D+21 and D+1 are in', () => {
    const now = new Date('2026-11-23T08:00:00Z');
    expect(codeOf(() => assertInHorizon('2026-12-15', now, policy))).toBe('OUT_OF_HORIZON');
    expect(codeOf(() => assertInHorizon('2026-12-14', now, policy))).toBeNull();
    expect(codeOf(() => assertInHorizon('2026-11-24', now, policy))).toBeNull();
  });
  it('the Kyiv day, not the UTC day, decides: 23:30 UTC is already tomorrow in Kyiv', () => {
    // 2026-11-23T23:30Z is 01:30 on 24 Nov in Kyiv: D+1 is 25 Nov.
    expect(onlineHorizon(new Date('2026-11-23T23:30:00Z'), policy).first).toBe('2026-11-25');
  });
  it('on the spring DST change day the release is still at 06:00 local (03:00 UTC)', () => {
    // 29 Mar 2026: clocks go 03:00 → 04:00; Kyiv is UTC+3 from then.
    expect(onlineHorizon(new Date('2026-03-29T02:59:59Z'), policy).last).toBe('2026-04-18');
    expect(onlineHorizon(new Date('2026-03-29T03:00:00Z'), policy).last).toBe('2026-04-19');
  });
  it('on the autumn DST change day the release is at 06:00 local (04:00 UTC)', () => {
    // 25 Oct 2026: clocks go 04:00 → 03:00; Kyiv is UTC+2 from then.
    expect(onlineHorizon(new Date('2026-10-25T03:59:59Z'), policy).last).toBe('2026-11-14');
    expect(onlineHorizon(new Date('2026-10-25T04:00:00Z'), policy).last).toBe('2026-11-15');
  });
});

describe('rule 1: limits count by the appointment month (person) or day (legal entity)', () => {
  it('a person is counted in the Kyiv month of the appointment', () => {
    expect(limitPeriod('person', '2026-11-30')).toBe('2026-11-01');
    expect(limitPeriod('person', '2026-12-01')).toBe('2026-12-01');
  });
  it('a legal entity is counted per appointment day', () => {
    expect(limitPeriod('entity', '2026-11-30')).toBe('2026-11-30');
  });
  it('defaults: 4 online and 4 terminal a month per person; 4 online and 6 terminal a day per legal entity', () => {
    expect(limitFor('person', 'online', policy)).toBe(4);
    expect(limitFor('person', 'terminal', policy)).toBe(4);
    expect(limitFor('entity', 'online', policy)).toBe(4);
    expect(limitFor('entity', 'terminal', policy)).toBe(6);
  });
});

describe('rule 3: cancellation no later than 2 hours before, to the second', () => {
  const startsAt = new Date('2026-11-25T08:00:00Z');
  it('exactly 2 hours before is still allowed', () => {
    expect(codeOf(() => assertCancellable(startsAt, new Date('2026-11-25T06:00:00Z'), policy))).toBeNull();
  });
  it('one second later is CANCEL_TOO_LATE', () => {
    expect(codeOf(() => assertCancellable(startsAt, new Date('2026-11-25T06:00:01Z'), policy))).toBe(
      'CANCEL_TOO_LATE',
    );
  });
  it('across the autumn DST change the window is 2 real hours', () => {
    // 25 Oct 2026 03:30 Kyiv (after the change, UTC+2) is 01:30Z; 2 h before is 23:30Z the day before.
    const s = new Date('2026-10-25T01:30:00Z');
    expect(codeOf(() => assertCancellable(s, new Date('2026-10-24T23:30:00Z'), policy))).toBeNull();
    expect(codeOf(() => assertCancellable(s, new Date('2026-10-24T23:30:01Z'), policy))).toBe(
      'CANCEL_TOO_LATE',
    );
  });
  it('the cancelled place returns after a random 5–30 minutes', () => {
    expect(resaleDelayMs(0, policy)).toBe(5 * 60_000);
    expect(resaleDelayMs(0.999999, policy)).toBeLessThan(30 * 60_000);
    expect(resaleDelayMs(0.999999, policy)).toBeGreaterThan(29 * 60_000);
    const samples = Array.from({ length: 200 }, () => resaleDelayMs(Math.random(), policy));
    expect(new Set(samples).size).toBeGreaterThan(150);
  });
});

describe('rule 4: no-show block', () => {
  const now = new Date('2026-11-23T10:00:00Z');
  it('three no-shows in a month do not block', () => {
    expect(noShowBlockUntil(3, now, policy)).toBeNull();
  });
  it('the 4th no-show blocks for 30 days from now', () => {
    expect(noShowBlockUntil(4, now, policy)).toEqual(new Date('2026-12-23T10:00:00Z'));
  });
  it('a blocked person gets BLOCKED with the end date; after it they may register', () => {
    const until = new Date('2026-12-23T10:00:00Z');
    expect(codeOf(() => assertNotBlocked(until, now))).toBe('BLOCKED');
    try {
      assertNotBlocked(until, now);
    } catch (e) {
      expect((e as DomainError).extensions.blockedUntil).toBe(until.toISOString());
    }
    expect(codeOf(() => assertNotBlocked(until, until))).toBeNull();
    expect(codeOf(() => assertNotBlocked(null, now))).toBeNull();
  });
});

describe('rule 9: a failed exam can be booked again no earlier than 10 days later', () => {
  it('day 9 after the failed exam is too soon, day 10 is allowed', () => {
    expect(codeOf(() => assertExamRetryAllowed('2026-11-20', '2026-11-29', policy))).toBe(
      'EXAM_RETRY_TOO_SOON',
    );
    expect(codeOf(() => assertExamRetryAllowed('2026-11-20', '2026-11-30', policy))).toBeNull();
  });
  it('across a month boundary', () => {
    expect(codeOf(() => assertExamRetryAllowed('2026-11-25', '2026-12-04', policy))).toBe(
      'EXAM_RETRY_TOO_SOON',
    );
    expect(codeOf(() => assertExamRetryAllowed('2026-11-25', '2026-12-05', policy))).toBeNull();
  });
  it('no failed exam: no restriction', () => {
    expect(codeOf(() => assertExamRetryAllowed(null, '2026-11-24', policy))).toBeNull();
  });
});
