import type { OperatorRole, Pool, StaffRole, WorkingDay, WorkingHours } from '../platform/db-schema.js';
import {
  addDays,
  type Day,
  formatHm,
  kyivInstant,
  parseHm,
  startOfKyivDay,
  weekday,
} from '../platform/kyiv-time.js';

/**
 * SPEC §3 rule 8 — capacity from staff norms, as a pure function of one center's day.
 *
 * How a day becomes slots:
 * 1. A holiday (national or the center's) or a weekday without working hours gives nothing.
 * 2. The center's working intervals are its hours minus the break; every rostered, present,
 *    active person works those intervals, narrowed by the shift's own starts/ends.
 * 3. At a desk the person serves the desk's groups whose role is the person's role. A group's
 *    norm (`per_day`, the center's row over the national one) is what one person does in the
 *    center's full working day of that weekday; a narrower shift gets it pro rata.
 * 4. Several groups at one desk share the person's time equally (time-sharing, not morning/
 *    afternoon blocks): with k groups, group g gets norm_g × worked/full / k appointments, rounded
 *    down, and the time left over goes to the groups with the largest remainders while it fits.
 *    E.g. vehicle 20 + licence 24 at one desk → 10 + 12 a day, interleaved.
 * 5. A person's n appointments of a group start evenly over their working minutes (the break is
 *    skipped), groups phase-shifted so they alternate. Starts are bucketed into fixed windows
 *    (`windowMinutes`) aligned to each working interval, so no window starts in the break.
 * 6. Per group and day the appointments, in time order, go to the online pool by a Bresenham
 *    (largest-remainder) rule: the k-th is online when round(k × share) grows. The online total
 *    is round(n × share) and online places are spread over the whole day.
 * Wall-clock times become instants through the Kyiv zone, so DST change days are exact.
 */

export interface HolidayInput {
  centerId: string | null;
  day: Day;
}
export interface GroupInput {
  id: string;
  role: OperatorRole;
}
export interface DeskInput {
  id: string;
  groupIds: string[];
  active: boolean;
}
export interface StaffInput {
  id: string;
  role: StaffRole;
  active: boolean;
}
export interface ShiftInput {
  staffId: string;
  deskId: string;
  weekdays: number[];
  validFrom: Day;
  validTo: Day | null;
  starts: string | null;
  ends: string | null;
}
export interface AbsenceInput {
  staffId: string;
  day: Day;
}
export interface NormInput {
  centerId: string | null;
  groupId: string;
  role: OperatorRole;
  perDay: number;
}

export interface CenterDayInput {
  centerId: string;
  day: Day;
  workingHours: WorkingHours;
  onlineShare: number;
  holidays: HolidayInput[];
  groups: GroupInput[];
  desks: DeskInput[];
  staff: StaffInput[];
  shifts: ShiftInput[];
  absences: AbsenceInput[];
  norms: NormInput[];
}

export interface SlotOptions {
  windowMinutes: number;
}

export interface GeneratedSlot {
  groupId: string;
  startsAt: Date;
  endsAt: Date;
  pool: Pool;
  capacity: number;
}

export type DayClosure = 'holiday' | 'closed' | null;

type Interval = [number, number];

/** Why a day has no capacity at all, before looking at the roster. */
export function dayClosure(input: Pick<CenterDayInput, 'centerId' | 'day' | 'holidays' | 'workingHours'>) {
  const holiday = input.holidays.some(
    (h) => h.day === input.day && (h.centerId === null || h.centerId === input.centerId),
  );
  if (holiday) return 'holiday' as const;
  const hours = input.workingHours[String(weekday(input.day))];
  return hours && total(workingIntervals(hours)) > 0 ? null : ('closed' as const);
}

/** The center's hours minus the break, in minutes since midnight. */
export function workingIntervals(hours: WorkingDay): Interval[] {
  const open = parseHm(hours.open);
  const close = parseHm(hours.close);
  if (!(open < close)) return [];
  if (!hours.breakFrom || !hours.breakTo) return [[open, close]];
  const from = Math.max(open, parseHm(hours.breakFrom));
  const to = Math.min(close, parseHm(hours.breakTo));
  if (!(from < to)) return [[open, close]];
  return (
    [
      [open, from],
      [to, close],
    ] as Interval[]
  ).filter(([a, b]) => a < b);
}

export function shiftApplies(shift: ShiftInput, day: Day): boolean {
  return (
    shift.weekdays.includes(weekday(day)) &&
    shift.validFrom <= day &&
    (shift.validTo === null || day <= shift.validTo)
  );
}

/** The effective norm: the center's own row overrides the national one. */
export function normFor(norms: NormInput[], centerId: string, groupId: string, role: OperatorRole) {
  const own = norms.find((n) => n.centerId === centerId && n.groupId === groupId && n.role === role);
  const national = norms.find((n) => n.centerId === null && n.groupId === groupId && n.role === role);
  return (own ?? national)?.perDay ?? 0;
}

/**
 * Step 4 above: how many appointments of each group one person does in `fraction` of a full day
 * when the time is shared equally between the groups. Never more than the norms allow.
 */
export function shareOfDay(norms: number[], fraction: number): number[] {
  const k = norms.length;
  const exact = norms.map((n) => (n * fraction) / k);
  const counts = exact.map((x) => Math.floor(x + 1e-9));
  let leftover = fraction - counts.reduce((acc, c, i) => acc + c / (norms[i] as number), 0);
  const order = exact
    .map((x, i) => ({ i, rest: x - (counts[i] as number) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i, rest } of order) {
    const cost = 1 / (norms[i] as number);
    if (rest > 1e-9 && cost <= leftover + 1e-9) {
      counts[i] = (counts[i] as number) + 1;
      leftover -= cost;
    }
  }
  return counts;
}

/**
 * Step 6 above: which of n time-ordered appointments are online. Integer arithmetic in
 * thousandths, so 0.7 × 15 rounds the same way on every machine.
 */
export function onlineFlags(n: number, share: number): boolean[] {
  const p = Math.round(Math.min(1, Math.max(0, share)) * 1000);
  const online = (k: number) => Math.floor((k * p + 500) / 1000);
  return Array.from({ length: n }, (_, i) => online(i + 1) > online(i));
}

export function generateSlots(input: CenterDayInput, options: SlotOptions): GeneratedSlot[] {
  if (dayClosure(input)) return [];
  const hours = input.workingHours[String(weekday(input.day))] as WorkingDay;
  const center = workingIntervals(hours);
  const full = total(center);
  const staff = new Map(input.staff.map((s) => [s.id, s]));
  const desks = new Map(input.desks.map((d) => [d.id, d]));
  const groups = new Map(input.groups.map((g) => [g.id, g]));
  const absent = new Set(input.absences.filter((a) => a.day === input.day).map((a) => a.staffId));

  const starts = new Map<string, number[]>();
  for (const shift of input.shifts) {
    if (!shiftApplies(shift, input.day) || absent.has(shift.staffId)) continue;
    const person = staff.get(shift.staffId);
    const desk = desks.get(shift.deskId);
    if (!person?.active || !desk?.active) continue;
    const served = desk.groupIds
      .map((id) => groups.get(id))
      .filter((g): g is GroupInput => g !== undefined && g.role === person.role)
      .map((g) => ({ id: g.id, norm: normFor(input.norms, input.centerId, g.id, g.role) }))
      .filter((g) => g.norm > 0);
    if (served.length === 0) continue;
    const own = clip(
      center,
      shift.starts ? parseHm(shift.starts) : 0,
      shift.ends ? parseHm(shift.ends) : 1440,
    );
    const worked = total(own);
    if (worked <= 0) continue;
    const counts = shareOfDay(
      served.map((g) => g.norm),
      worked / full,
    );
    served.forEach((g, j) => {
      const n = counts[j] as number;
      const list = starts.get(g.id) ?? [];
      for (let i = 0; i < n; i++) list.push(atOffset(own, ((i + j / served.length) * worked) / n));
      starts.set(g.id, list);
    });
  }

  const windows = windowsOf(center, options.windowMinutes);
  const instant = instantsOf(input.day);
  const slots: GeneratedSlot[] = [];
  for (const groupId of [...starts.keys()].sort()) {
    const times = (starts.get(groupId) as number[]).sort((a, b) => a - b);
    const flags = onlineFlags(times.length, input.onlineShare);
    const online = new Array<number>(windows.length).fill(0);
    const terminal = new Array<number>(windows.length).fill(0);
    times.forEach((t, i) => {
      const w = windows.findIndex(([a, b]) => a <= t && t < b);
      if (w < 0) return; // cannot happen: every start lies inside the center's intervals
      if (flags[i]) online[w] = (online[w] as number) + 1;
      else terminal[w] = (terminal[w] as number) + 1;
    });
    windows.forEach(([a, b], w) => {
      for (const [pool, capacity] of [
        ['online', online[w]],
        ['terminal', terminal[w]],
      ] as const) {
        if (capacity) slots.push({ groupId, startsAt: instant(a), endsAt: instant(b), pool, capacity });
      }
    });
  }
  return slots;
}

/** The moment a day becomes bookable online: 06:00 Kyiv of the day `horizonDays` before it. */
export function releaseMoment(day: Day, policy: { horizonDays: number; releaseHour: number }): Date {
  return kyivInstant(addDays(day, -policy.horizonDays), formatHm(policy.releaseHour * 60));
}

function total(intervals: Interval[]): number {
  return intervals.reduce((acc, [a, b]) => acc + (b - a), 0);
}

function clip(intervals: Interval[], from: number, to: number): Interval[] {
  return intervals
    .map(([a, b]) => [Math.max(a, from), Math.min(b, to)] as Interval)
    .filter(([a, b]) => a < b);
}

/** The wall-clock minute `offset` working minutes into the intervals (the break is skipped). */
function atOffset(intervals: Interval[], offset: number): number {
  let rest = offset;
  for (const [a, b] of intervals) {
    if (rest < b - a) return a + rest;
    rest -= b - a;
  }
  const last = intervals[intervals.length - 1] as Interval;
  return last[1] - 1e-6;
}

function windowsOf(intervals: Interval[], width: number): Interval[] {
  const out: Interval[] = [];
  for (const [a, b] of intervals) for (let t = a; t < b; t += width) out.push([t, Math.min(t + width, b)]);
  return out;
}

function instantsOf(day: Day): (minute: number) => Date {
  const cache = new Map<number, Date>();
  return (minute) => {
    let at = cache.get(minute);
    if (!at) {
      at = minute >= 1440 ? startOfKyivDay(addDays(day, 1)) : kyivInstant(day, formatHm(minute));
      cache.set(minute, at);
    }
    return at;
  };
}
