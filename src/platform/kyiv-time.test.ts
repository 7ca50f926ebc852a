import { describe, expect, it } from 'vitest';
import { addDays, kyivDay, kyivInstant, kyivMinuteOfDay, kyivMonth, weekday } from './kyiv-time.js';

describe('Europe/Kyiv calendar', () => {
  it('a month boundary is Kyiv midnight, not UTC midnight', () => {
    // 30 Nov 2026 22:30 UTC is already 1 Dec 00:30 in Kyiv.
    expect(kyivMonth(new Date('2026-11-30T22:30:00Z'))).toBe('2026-12-01');
    expect(kyivMonth(new Date('2026-11-30T21:59:59Z'))).toBe('2026-11-01');
    expect(kyivDay(new Date('2026-11-30T22:00:00Z'))).toBe('2026-12-01');
  });
  it('local wall-clock times on DST change days map to the right instants', () => {
    expect(kyivInstant('2026-03-29', '09:00').toISOString()).toBe('2026-03-29T06:00:00.000Z'); // UTC+3 after the change
    expect(kyivInstant('2026-03-28', '09:00').toISOString()).toBe('2026-03-28T07:00:00.000Z');
    expect(kyivInstant('2026-10-25', '09:00').toISOString()).toBe('2026-10-25T07:00:00.000Z'); // UTC+2 after the change
    expect(kyivMinuteOfDay(new Date('2026-10-25T07:00:00Z'))).toBe(9 * 60);
  });
  it('adds calendar days and knows weekdays', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(weekday('2026-11-23')).toBe(1);
  });
});

describe('the cached offset agrees with the time-zone database', () => {
  it('every hour of 2026, including both DST changes', async () => {
    const { DateTime } = await import('luxon');
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 3_600_000 - 1) {
      const at = new Date(t);
      const dt = DateTime.fromJSDate(at, { zone: 'Europe/Kyiv' });
      expect(kyivDay(at)).toBe(dt.toISODate());
      expect(kyivMinuteOfDay(at)).toBe(dt.hour * 60 + dt.minute);
    }
  });
});

describe('calendar arithmetic on days', () => {
  it('addDays and weekday agree with the time-zone database over two years', async () => {
    const { DateTime } = await import('luxon');
    let day = '2026-01-01';
    for (let i = 0; i < 730; i++) {
      const dt = DateTime.fromISO(day, { zone: 'Europe/Kyiv' });
      expect(weekday(day)).toBe(dt.weekday);
      const next = addDays(day, 1);
      expect(next).toBe(dt.plus({ days: 1 }).toISODate());
      expect(addDays(next, -1)).toBe(day);
      day = next;
    }
    expect(addDays('2026-11-23', 21)).toBe('2026-12-14');
  });
});
