import { describe, expect, it } from 'vitest';
import { defaultPolicy, loadConfig } from '../config.js';
import { applyOverrides, policyKeys, refusalOf, shownValue, sourceOf } from './policy-rules.js';

describe('§1: national policy values (pure rules)', () => {
  const configured = loadConfig({ NODE_ENV: 'test', HORIZON_DAYS: '14' }).policy;

  it('precedence: a console override beats the configuration, which beats the SPEC default', () => {
    const overrides = new Map([['personOnlinePerMonth', 2] as const]);
    expect(sourceOf('personOnlinePerMonth', configured, defaultPolicy, overrides)).toBe('override');
    expect(sourceOf('horizonDays', configured, defaultPolicy, overrides)).toBe('config');
    expect(sourceOf('maxMoves', configured, defaultPolicy, overrides)).toBe('default');
    const live = { ...configured };
    applyOverrides(live, configured, overrides);
    expect(live.personOnlinePerMonth).toBe(2);
    expect(live.horizonDays).toBe(14);
    // Removing the override restores the configured value in the same object.
    applyOverrides(live, configured, new Map());
    expect(live.personOnlinePerMonth).toBe(4);
  });

  it('rule 8: the online share is edited in percent and kept as a fraction', () => {
    const live = { ...configured };
    applyOverrides(live, configured, new Map([['onlineShare', 65] as const]));
    expect(live.onlineShare).toBe(0.65);
    expect(shownValue('onlineShare', live)).toBe(65);
  });

  it('refuses values outside the range, fractions, min above max and a lottery past midnight', () => {
    expect(refusalOf('personOnlinePerMonth', 0, configured)).toMatch(/від 1 до 31/);
    expect(refusalOf('horizonDays', 7.5, configured)).toMatch(/цілим/);
    expect(refusalOf('resaleDelayMinMinutes', 31, configured)).toMatch(/не може перевищувати/);
    expect(refusalOf('resaleDelayMaxMinutes', 4, configured)).toMatch(/не може перевищувати/);
    expect(refusalOf('releaseHour', 23, { ...configured, lotteryWindowMinutes: 60 })).toMatch(/півночі/);
    expect(refusalOf('personOnlinePerMonth', 6, configured)).toBeNull();
  });

  it('every editable key has a range that holds its SPEC default', () => {
    for (const key of policyKeys)
      expect(refusalOf(key, shownValue(key, defaultPolicy), defaultPolicy), key).toBeNull();
  });
});
