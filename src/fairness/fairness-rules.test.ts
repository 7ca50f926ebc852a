import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../config.js';
import {
  choosePlace,
  flagSuspicious,
  lotteryWindow,
  maxNumberFor,
  releasedDay,
  shuffledOrder,
  suspicionTier,
} from './fairness-rules.js';

describe('rule 9: the release lottery window', () => {
  const policy = defaultPolicy;
  it('the day released today (today + 21) is in the lottery from 06:00 to 06:10 Kyiv', () => {
    const at0600 = new Date('2026-11-23T04:00:00Z'); // 06:00 Kyiv (UTC+2)
    expect(releasedDay(at0600, policy)).toBe('2026-12-14');
    expect(lotteryWindow('2026-12-14', at0600, policy)?.decidesAt.toISOString()).toBe(
      '2026-11-23T04:10:00.000Z',
    );
    expect(lotteryWindow('2026-12-14', new Date('2026-11-23T04:09:59Z'), policy)).not.toBeNull();
  });
  it('before 06:00, from 06:10 on, and for other days: first come, first served', () => {
    expect(lotteryWindow('2026-12-14', new Date('2026-11-23T03:59:59Z'), policy)).toBeNull();
    expect(lotteryWindow('2026-12-14', new Date('2026-11-23T04:10:00Z'), policy)).toBeNull();
    expect(lotteryWindow('2026-12-13', new Date('2026-11-23T04:05:00Z'), policy)).toBeNull();
  });
  it('a zero-minute window switches the lottery off', () => {
    expect(
      lotteryWindow('2026-12-14', new Date('2026-11-23T04:05:00Z'), { ...policy, lotteryWindowMinutes: 0 }),
    ).toBeNull();
  });
});

describe('rule 9: the seeded shuffle', () => {
  it('is a permutation, reproducible from its seed, different for another seed', () => {
    const a = shuffledOrder('seed-1', 50);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(shuffledOrder('seed-1', 50)).toEqual(a);
    expect(shuffledOrder('seed-2', 50)).not.toEqual(a);
  });
  it('puts every entry first about equally often (no position is favoured)', () => {
    const n = 8;
    const runs = 8000;
    const first = new Array(n).fill(0);
    for (let s = 0; s < runs; s++) first[shuffledOrder(`s${s}`, n)[0] as number]++;
    // Expected 1000 each; binomial sd ≈ 30, so ±150 is 5 sd.
    for (const c of first) expect(Math.abs(c - runs / n)).toBeLessThan(150);
  });
});

describe('rule 9: an entry gets its wanted time, else the nearest of the same center and group', () => {
  const base = { centerId: 'c', groupId: 'g' };
  const places = [
    { ...base, slotId: 1, startsAt: 0, free: 0 },
    { ...base, slotId: 2, startsAt: 30, free: 1 },
    { ...base, slotId: 3, startsAt: -30, free: 1 },
    { ...base, slotId: 4, startsAt: 5, free: 1, groupId: 'other' },
  ];
  it('the wanted slot when free', () => {
    expect(choosePlace({ ...base, slotId: 2, startsAt: 30 }, places)?.slotId).toBe(2);
  });
  it('the nearest time on a tie the earlier one; never another group', () => {
    expect(choosePlace({ ...base, slotId: 1, startsAt: 0 }, places)?.slotId).toBe(3);
  });
  it('none when the center and group are full', () => {
    expect(choosePlace({ centerId: 'c', groupId: 'x', slotId: 9, startsAt: 0 }, places)).toBeNull();
  });
});

describe('rule 9: proof-of-work difficulty rises under suspicion', () => {
  it('a person clicking a few times stays at the base difficulty', () => {
    expect(suspicionTier({ slotQueries: 5, slotLimit: 60, failures: 2 })).toBe(0);
  });
  it('heavy polling and repeated failures raise it', () => {
    expect(suspicionTier({ slotQueries: 40, slotLimit: 60, failures: 0 })).toBe(1);
    expect(suspicionTier({ slotQueries: 0, slotLimit: 60, failures: 20 })).toBe(2);
    expect(suspicionTier({ slotQueries: 59, slotLimit: 60, failures: 50 })).toBe(3);
    expect(maxNumberFor(1000, 3)).toBe(200_000);
  });
});

describe('suspicion report: abnormal attempt patterns', () => {
  it('flags many attempts, many identities behind one address, refusals by the anti-bot layers', () => {
    const normal = Array.from({ length: 20 }, (_, i) => ({
      kind: 'person' as const,
      subject: `p${i}`,
      attempts: 1,
      failures: 0,
      distinctPersons: 1,
      codes: { BOOKED: 1 },
    }));
    const flagged = flagSuspicious([
      ...normal,
      {
        kind: 'person',
        subject: 'bot',
        attempts: 30,
        failures: 29,
        distinctPersons: 1,
        codes: { SLOT_TAKEN: 29 },
      },
      { kind: 'address', subject: '10.0.0.1', attempts: 40, failures: 5, distinctPersons: 25, codes: {} },
      {
        kind: 'person',
        subject: 'pow',
        attempts: 6,
        failures: 6,
        distinctPersons: 1,
        codes: { ANTIBOT_REQUIRED: 6 },
      },
    ]);
    expect(flagged.map((f) => [f.subject, f.reasons])).toEqual([
      ['10.0.0.1', ['many_identities']],
      ['bot', ['many_attempts', 'far_above_median']],
      ['pow', ['refused_by_antibot']],
    ]);
  });
});
