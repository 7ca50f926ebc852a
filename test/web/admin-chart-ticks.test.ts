import { describe, expect, it } from 'vitest';
import { niceTicks } from '../../web/admin/charts.js';

describe('admin charts: axis ticks are round and never repeat (a repeated tick was a duplicate React key)', () => {
  it.each([0, 1, 2, 3, 5, 7, 13, 48, 120, 999])('max %i', (max) => {
    const ticks = niceTicks(max);
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(ticks[0]).toBe(0);
    expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(max);
    const step = (ticks[1] ?? 0) - (ticks[0] ?? 0);
    expect(ticks.every((v, i) => v === i * step)).toBe(true);
    expect(String(step)).toMatch(/^[125]0*$/);
  });

  it('0–1 registrations give 0 and 1, not "0, 1, 1"; 0–5 gives whole steps, not "0/3/5"', () => {
    expect(niceTicks(1)).toEqual([0, 1]);
    expect(niceTicks(5)).toEqual([0, 2, 4, 6]);
    expect(niceTicks(48)).toEqual([0, 20, 40, 60]);
  });
});
