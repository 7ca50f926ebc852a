import { describe, expect, it } from 'vitest';
import { assertRateable, normalizeComment } from './feedback-rules.js';

describe('rule 11: feedback rules', () => {
  it('only served visits are rateable', () => {
    expect(() => assertRateable('served')).not.toThrow();
    for (const s of ['booked', 'no_show', 'cancelled', 'called', 'refused_mismatch'] as const)
      expect(() => assertRateable(s)).toThrow(/обслужили/);
  });
  it('comments are trimmed, empty is none, over 1000 chars is refused', () => {
    expect(normalizeComment('  дякую  ')).toBe('дякую');
    expect(normalizeComment('   ')).toBeNull();
    expect(normalizeComment(undefined)).toBeNull();
    expect(() => normalizeComment('я'.repeat(1001))).toThrow();
    expect(normalizeComment('я'.repeat(1000))).toHaveLength(1000);
  });
});
