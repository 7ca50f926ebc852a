import { DateTime } from 'luxon';

/**
 * All calendar logic is in Europe/Kyiv time (SPEC). A "day" is an ISO date string
 * (YYYY-MM-DD) of the Kyiv calendar; instants are Date (timestamptz in the database).
 */
export const KYIV = 'Europe/Kyiv';

export type Day = string;

const inKyiv = (at: Date) => DateTime.fromJSDate(at, { zone: KYIV });

// Kyiv's UTC offset changes only on whole UTC hours (DST at 01:00 UTC), so it is cached per
// hour: the hot paths (horizon, limits) then cost a map lookup instead of a time-zone lookup.
const HOUR_MS = 3_600_000;
const offsetByHour = new Map<number, number>();

function kyivOffsetMs(at: Date): number {
  const hour = Math.floor(at.getTime() / HOUR_MS);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    offset = inKyiv(at).offset * 60_000;
    if (offsetByHour.size > 50_000) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return offset;
}

/** The instant shifted so that its UTC fields read as Kyiv wall-clock fields. */
const asKyivWallClock = (at: Date) => new Date(at.getTime() + kyivOffsetMs(at));

/** The Kyiv calendar day of an instant. */
export function kyivDay(at: Date): Day {
  return asKyivWallClock(at).toISOString().slice(0, 10);
}

/** The first day of the Kyiv calendar month of an instant (or of a day). */
export function kyivMonth(at: Date | Day): Day {
  const day = typeof at === 'string' ? at : kyivDay(at);
  return `${day.slice(0, 7)}-01`;
}

/** The instant a Kyiv day starts (00:00 local, DST-aware). */
export function startOfKyivDay(day: Day): Date {
  return DateTime.fromISO(day, { zone: KYIV }).startOf('day').toJSDate();
}

/** The instant of a Kyiv wall-clock time ("HH:mm") on a day. */
export function kyivInstant(day: Day, time: string): Date {
  const dt = DateTime.fromISO(`${day}T${time}`, { zone: KYIV });
  if (!dt.isValid) throw new RangeError(`Invalid Kyiv time ${day} ${time}`);
  return dt.toJSDate();
}

/** Minutes since Kyiv midnight of an instant's wall-clock time. */
export function kyivMinuteOfDay(at: Date): number {
  const wall = asKyivWallClock(at);
  return wall.getUTCHours() * 60 + wall.getUTCMinutes();
}

export function addDays(day: Day, n: number): Day {
  // Calendar arithmetic on a date needs no time zone: whole days on the UTC calendar.
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (to - from). */
export function daysBetween(from: Day, to: Day): number {
  return Math.round(DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days);
}

/** ISO weekday of a day: 1 = Monday … 7 = Sunday. */
export function weekday(day: Day): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay() || 7;
}

/** "HH:mm" → minutes since midnight. */
export function parseHm(hm: string): number {
  const [h, m] = hm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Minutes since midnight → "HH:mm". */
export function formatHm(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** A Kyiv wall-clock rendering for messages: "23.11.2026 09:30". */
export function formatKyiv(at: Date): string {
  return inKyiv(at).toFormat('dd.LL.yyyy HH:mm');
}

export function isDay(value: string): value is Day {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid;
}
