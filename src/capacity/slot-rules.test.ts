import { describe, expect, it } from 'vitest';
import { kyivInstant, kyivMinuteOfDay } from '../platform/kyiv-time.js';
import { reconcile } from './reconcile-rules.js';
import {
  type CenterDayInput,
  type GeneratedSlot,
  generateSlots,
  onlineFlags,
  releaseMoment,
  shareOfDay,
} from './slot-rules.js';

const weekdays = { open: '09:00', close: '18:00', breakFrom: '13:00', breakTo: '13:45' };
const MONDAY = '2026-11-23';

function input(over: Partial<CenterDayInput> = {}): CenterDayInput {
  return {
    centerId: 'c1',
    day: MONDAY,
    workingHours: { '1': weekdays, '2': weekdays, '3': weekdays, '4': weekdays, '5': weekdays },
    onlineShare: 0.7,
    holidays: [],
    groups: [
      { id: 'vehicle', role: 'administrator' },
      { id: 'licence', role: 'administrator' },
      { id: 'practical', role: 'examiner' },
    ],
    desks: [
      { id: 'd1', groupIds: ['vehicle'], active: true },
      { id: 'd2', groupIds: ['vehicle'], active: true },
    ],
    staff: [
      { id: 'a1', role: 'administrator', active: true },
      { id: 'a2', role: 'administrator', active: true },
      { id: 'e1', role: 'examiner', active: true },
    ],
    shifts: [shift('a1', 'd1')],
    absences: [],
    norms: [
      { centerId: null, groupId: 'vehicle', role: 'administrator', perDay: 20 },
      { centerId: null, groupId: 'licence', role: 'administrator', perDay: 24 },
      { centerId: null, groupId: 'practical', role: 'examiner', perDay: 15 },
    ],
    ...over,
  };
}

function shift(staffId: string, deskId: string, over: Partial<CenterDayInput['shifts'][number]> = {}) {
  return {
    staffId,
    deskId,
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    validFrom: '2026-01-01',
    validTo: null,
    starts: null,
    ends: null,
    ...over,
  };
}

const opts = { windowMinutes: 30 };
const sum = (slots: GeneratedSlot[], f: (s: GeneratedSlot) => boolean = () => true) =>
  slots.filter(f).reduce((acc, s) => acc + s.capacity, 0);

describe('rule 8: capacity from staff norms', () => {
  it('rule 8: an administrator with a norm of 20 vehicle operations gives 20 places a day', () => {
    const slots = generateSlots(input(), opts);
    expect(sum(slots)).toBe(20);
    expect(new Set(slots.map((s) => s.groupId))).toEqual(new Set(['vehicle']));
  });

  it('rule 8: the 70/30 split gives 14 online and 6 terminal places, online ones spread over the day', () => {
    const slots = generateSlots(input(), opts);
    expect(sum(slots, (s) => s.pool === 'online')).toBe(14);
    expect(sum(slots, (s) => s.pool === 'terminal')).toBe(6);
    const noon = kyivInstant(MONDAY, '13:00').getTime();
    for (const pool of ['online', 'terminal'] as const) {
      expect(sum(slots, (s) => s.pool === pool && s.startsAt.getTime() < noon)).toBeGreaterThan(0);
      expect(sum(slots, (s) => s.pool === pool && s.startsAt.getTime() >= noon)).toBeGreaterThan(0);
    }
    // Spread, not bunched: no window holds more than its fair share of the day's online places.
    const perWindow = slots.filter((s) => s.pool === 'online').map((s) => s.capacity);
    expect(Math.max(...perWindow)).toBeLessThanOrEqual(2);
  });

  it('rule 8: the online share is the center’s and rounds by largest remainder', () => {
    expect(onlineFlags(20, 0.7).filter(Boolean)).toHaveLength(14);
    expect(onlineFlags(15, 0.7).filter(Boolean)).toHaveLength(11);
    expect(onlineFlags(7, 0)).toEqual(new Array(7).fill(false));
    const slots = generateSlots(input({ onlineShare: 0.5 }), opts);
    expect(sum(slots, (s) => s.pool === 'online')).toBe(10);
  });

  it('rule 8: a national holiday gives no places', () => {
    expect(generateSlots(input({ holidays: [{ centerId: null, day: MONDAY }] }), opts)).toEqual([]);
  });

  it('rule 8: the center’s own closed day gives no places; another center’s does not matter', () => {
    expect(generateSlots(input({ holidays: [{ centerId: 'c1', day: MONDAY }] }), opts)).toEqual([]);
    expect(sum(generateSlots(input({ holidays: [{ centerId: 'c2', day: MONDAY }] }), opts))).toBe(20);
  });

  it('rule 8: an absent person gives no places; a weekday without hours gives none', () => {
    expect(generateSlots(input({ absences: [{ staffId: 'a1', day: MONDAY }] }), opts)).toEqual([]);
    expect(generateSlots(input({ day: '2026-11-29' }), opts)).toEqual([]); // Sunday: closed
  });

  it('rule 8: a shift outside its validity range or weekdays gives nothing', () => {
    expect(generateSlots(input({ shifts: [shift('a1', 'd1', { validTo: '2026-11-22' })] }), opts)).toEqual(
      [],
    );
    expect(generateSlots(input({ shifts: [shift('a1', 'd1', { weekdays: [2, 3] })] }), opts)).toEqual([]);
  });

  it('rule 8: the break is respected — no window starts or runs inside it', () => {
    const slots = generateSlots(input(), opts);
    const from = kyivInstant(MONDAY, '13:00').getTime();
    const to = kyivInstant(MONDAY, '13:45').getTime();
    for (const s of slots) {
      expect(s.startsAt.getTime() < from || s.startsAt.getTime() >= to).toBe(true);
      expect(s.endsAt.getTime() <= from || s.startsAt.getTime() >= to).toBe(true);
    }
    expect(slots.some((s) => s.startsAt.getTime() === to)).toBe(true);
    expect(slots[0]?.startsAt).toEqual(kyivInstant(MONDAY, '09:00'));
    expect(Math.max(...slots.map((s) => s.endsAt.getTime()))).toBeLessThanOrEqual(
      kyivInstant(MONDAY, '18:00').getTime(),
    );
  });

  it('rule 8: on DST change days the wall-clock hours map to the right instants', () => {
    const sunday = { '7': weekdays };
    const spring = generateSlots(input({ day: '2026-03-29', workingHours: sunday }), opts);
    const autumn = generateSlots(input({ day: '2026-10-25', workingHours: sunday }), opts);
    const before = generateSlots(input({ day: '2026-03-22', workingHours: sunday }), opts);
    expect(spring[0]?.startsAt.toISOString()).toBe('2026-03-29T06:00:00.000Z'); // EEST, UTC+3
    expect(autumn[0]?.startsAt.toISOString()).toBe('2026-10-25T07:00:00.000Z'); // EET, UTC+2
    expect(before[0]?.startsAt.toISOString()).toBe('2026-03-22T07:00:00.000Z');
    for (const slots of [spring, autumn]) {
      expect(sum(slots)).toBe(20);
      for (const s of slots) {
        expect(s.endsAt.getTime() - s.startsAt.getTime()).toBeLessThanOrEqual(30 * 60_000);
        expect(kyivMinuteOfDay(s.startsAt)).toBeGreaterThanOrEqual(9 * 60);
      }
    }
  });

  it('rule 8: two staff on one group add up', () => {
    const slots = generateSlots(input({ shifts: [shift('a1', 'd1'), shift('a2', 'd2')] }), opts);
    expect(sum(slots)).toBe(40);
    expect(sum(slots, (s) => s.pool === 'online')).toBe(28);
  });

  it('rule 8: a center norm overrides the national one; another center’s norm does not', () => {
    const norms = [
      { centerId: null, groupId: 'vehicle', role: 'administrator' as const, perDay: 20 },
      { centerId: 'c1', groupId: 'vehicle', role: 'administrator' as const, perDay: 12 },
      { centerId: 'c2', groupId: 'vehicle', role: 'administrator' as const, perDay: 30 },
    ];
    expect(sum(generateSlots(input({ norms }), opts))).toBe(12);
    expect(sum(generateSlots(input({ norms, centerId: 'c3' }), opts))).toBe(20);
  });

  it('rule 8: a desk serving two groups shares the person’s day between them', () => {
    const desks = [{ id: 'd1', groupIds: ['vehicle', 'licence'], active: true }];
    const slots = generateSlots(input({ desks }), opts);
    expect(sum(slots, (s) => s.groupId === 'vehicle')).toBe(10);
    expect(sum(slots, (s) => s.groupId === 'licence')).toBe(12);
    expect(shareOfDay([15, 40], 1)).toEqual([7, 20]); // never more time than the day has
  });

  it('rule 8: a narrower shift gets its norm pro rata; only the person’s own role counts', () => {
    const half = generateSlots(
      input({ shifts: [shift('a1', 'd1', { starts: '09:00', ends: '13:00' })] }),
      opts,
    );
    expect(sum(half)).toBe(9); // 240 of 495 minutes × 20 = 9.7, rounded down
    expect(Math.max(...half.map((s) => s.endsAt.getTime()))).toBeLessThanOrEqual(
      kyivInstant(MONDAY, '13:00').getTime(),
    );
    expect(generateSlots(input({ shifts: [shift('e1', 'd1')] }), opts)).toEqual([]);
  });

  it('rule 8: the new 21st day is released at 06:00 Kyiv time, 21 days before', () => {
    expect(releaseMoment('2026-12-14', { horizonDays: 21, releaseHour: 6 }).toISOString()).toBe(
      '2026-11-23T04:00:00.000Z',
    );
    expect(releaseMoment('2026-04-19', { horizonDays: 21, releaseHour: 6 }).toISOString()).toBe(
      '2026-03-29T03:00:00.000Z', // the release day itself is the DST change day
    );
  });
});

describe('rule 8: regeneration never drops or moves a registration silently', () => {
  const at = (hm: string) => kyivInstant(MONDAY, hm);
  const gen = (hm: string, capacity: number, pool: 'online' | 'terminal' = 'online'): GeneratedSlot => ({
    groupId: 'vehicle',
    startsAt: at(hm),
    endsAt: new Date(at(hm).getTime() + 30 * 60_000),
    pool,
    capacity,
  });
  const ex = (
    id: number,
    hm: string,
    capacity: number,
    booked: number,
    returning = 0,
    pool = 'online' as const,
  ) => ({
    id,
    groupId: 'vehicle',
    startsAt: at(hm),
    pool,
    capacity,
    booked,
    returning,
  });

  it('rule 8: capacity never goes below the places held; the slot is reported overbooked', () => {
    const plan = reconcile([ex(1, '09:00', 3, 2)], [gen('09:00', 1)]);
    expect(plan.upserts).toEqual([expect.objectContaining({ capacity: 2 })]);
    expect(plan.overbooked).toEqual([{ id: 1, capacity: 1, held: 2 }]);
    expect(plan.conflictSlotIds).toEqual([]);
  });

  it('rule 8: a vanished time with registrations is a conflict and keeps exactly its held places', () => {
    const plan = reconcile([ex(1, '09:00', 3, 1), ex(2, '09:30', 2, 0)], [gen('10:00', 2)]);
    expect(plan.conflictSlotIds).toEqual([1]);
    expect(plan.closes).toEqual([
      { id: 1, capacity: 1 },
      { id: 2, capacity: 0 },
    ]);
  });

  it('rule 8: a time still served in the other pool is not a conflict', () => {
    const plan = reconcile([ex(1, '09:00', 1, 1)], [gen('09:00', 1, 'terminal')]);
    expect(plan.conflictSlotIds).toEqual([]);
    expect(plan.closes).toEqual([]);
  });

  it('rule 8: places waiting to return to a shrunken pool are dropped, not resold', () => {
    const plan = reconcile([ex(1, '09:00', 3, 3, 2)], [gen('09:00', 1)]);
    expect(plan.dropReturns).toEqual([{ id: 1, count: 2 }]);
    expect(plan.upserts).toEqual([expect.objectContaining({ capacity: 1 })]);
  });
});
