import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  formatHm,
  formatKyiv,
  isDay,
  kyivDay,
  kyivInstant,
  kyivMinuteOfDay,
  kyivMonth,
  startOfKyivDay,
  weekday,
} from './kyiv-time.js';

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

// An independent reading of the platform's time-zone database, field by field, with no cache.
const zoneParts = (at: Date, options: Intl.DateTimeFormatOptions) =>
  Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Kyiv', hourCycle: 'h23', ...options })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );

describe('the cached offset agrees with the time-zone database', () => {
  it('every hour of 2026, including both DST changes', () => {
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 3_600_000 - 1) {
      const at = new Date(t);
      const p = zoneParts(at, {
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      });
      expect(kyivDay(at)).toBe(`${p.year}-${p.month}-${p.day}`);
      expect(kyivMinuteOfDay(at)).toBe(Number(p.hour) * 60 + Number(p.minute));
    }
  });
  it('a wall-clock time maps back to the instant that reads as it, on every day of 2026', () => {
    for (let day = '2026-01-01'; day < '2027-01-01'; day = addDays(day, 1)) {
      for (const time of ['00:00', '09:30', '18:45']) {
        const at = kyivInstant(day, time);
        expect(kyivDay(at)).toBe(day);
        expect(formatHm(kyivMinuteOfDay(at))).toBe(time);
      }
      expect(startOfKyivDay(day).getTime()).toBe(kyivInstant(day, '00:00').getTime());
    }
  });
  it('a time the spring change skips lands an hour later; malformed input is refused', () => {
    expect(kyivInstant('2026-03-29', '03:30').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(() => kyivInstant('2026-02-30', '09:00')).toThrow(RangeError);
    expect(() => kyivInstant('2026-02-03', '25:00')).toThrow(RangeError);
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2028-02-29')).toBe(true);
  });
  it('isDay takes exactly the days the calendar has, as a Date read back would', () => {
    const byDate = (v: string) => {
      const at = new Date(`${v}T00:00:00Z`);
      return (
        /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === v
      );
    };
    for (const year of [1900, 1999, 2000, 2024, 2026, 2100, 2400])
      for (let month = 0; month <= 13; month++)
        for (let day = 0; day <= 32; day++) {
          const v = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          expect(isDay(v), v).toBe(byDate(v));
        }
    for (const v of [
      '2026-1-01',
      '2026-01-1',
      '2026/01/01',
      '2026-01-01 ',
      ' 2026-01-01',
      '2026-0a-01',
      '2026-01-01T00',
      '',
      '20260101',
      '2026-+1-01',
      '2026-01--1',
    ])
      expect(isDay(v), v).toBe(false);
  });
  it('formats messages and counts days without a date library', () => {
    expect(formatKyiv(new Date('2026-11-23T07:30:00Z'))).toBe('23.11.2026 09:30');
    expect(formatKyiv(new Date('2026-07-01T21:05:00Z'))).toBe('02.07.2026 00:05');
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2026-12-31', '2026-11-23')).toBe(-38);
  });
});

describe('calendar arithmetic on days', () => {
  it('addDays and weekday agree with the time-zone database over two years', () => {
    const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
    let day = '2026-01-01';
    for (let i = 0; i < 730; i++) {
      // Noon Kyiv time is inside the day whatever the offset.
      const noon = new Date(Date.parse(`${day}T12:00:00Z`) - 2 * 3_600_000);
      const p = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Kyiv', weekday: 'short' }).format(noon);
      expect(weekday(day)).toBe(weekdays.indexOf(p) + 1);
      const next = addDays(day, 1);
      expect(kyivDay(new Date(noon.getTime() + 86_400_000))).toBe(next);
      expect(addDays(next, -1)).toBe(day);
      day = next;
    }
    expect(addDays('2026-11-23', 21)).toBe('2026-12-14');
  });
});
