import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';

describe('rule 8: the online/terminal split', () => {
  it('rule 8: capacity splits 50 % online / 50 % terminal by default, as in the live system', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).policy.onlineShare).toBe(0.5);
  });

  it('rule 8: the split is configuration (ONLINE_SHARE_PERCENT), not a constant', () => {
    expect(loadConfig({ NODE_ENV: 'test', ONLINE_SHARE_PERCENT: '70' }).policy.onlineShare).toBe(0.7);
  });
});
