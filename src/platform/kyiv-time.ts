/**
 * All calendar logic is in Europe/Kyiv time (SPEC). A "day" is an ISO date string
 * (YYYY-MM-DD) of the Kyiv calendar; instants are Date (timestamptz in the database).
 */
export const KYIV = 'Europe/Kyiv';

export type Day = string;

// The platform's time-zone database (ICU) gives the offset; no date library is needed for one
// zone whose offset is all we ask of it.
const kyivFields = new Intl.DateTimeFormat('en-US', {
  timeZone: KYIV,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

function zoneOffsetMs(at: Date): number {
  const field: Record<string, number> = {};
  for (const part of kyivFields.formatToParts(at)) {
    if (part.type !== 'literal') field[part.type] = Number(part.value);
  }
  const wall = Date.UTC(
    field.year ?? 1970,
    (field.month ?? 1) - 1,
    field.day ?? 1,
    field.hour ?? 0,
    field.minute ?? 0,
    field.second ?? 0,
  );
  // Offsets are whole minutes; the instant's own milliseconds are not in the formatted fields.
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

// Kyiv's UTC offset changes only on whole UTC hours (DST at 01:00 UTC), so it is cached per
// hour: the hot paths (horizon, limits) then cost a map lookup instead of a time-zone lookup.
const HOUR_MS = 3_600_000;
const offsetByHour = new Map<number, number>();

function kyivOffsetMs(at: Date): number {
  const hour = Math.floor(at.getTime() / HOUR_MS);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    offset = zoneOffsetMs(at);
    if (offsetByHour.size > 50_000) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return offset;
}

/** The instant shifted so that its UTC fields read as Kyiv wall-clock fields. */
export const asKyivWallClock = (at: Date) => new Date(at.getTime() + kyivOffsetMs(at));

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
  return kyivInstant(day, '00:00');
}

/** The instant of a Kyiv wall-clock time ("HH:mm") on a day. */
export function kyivInstant(day: Day, time: string): Date {
  const hm = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  const [h, m, sec] = [Number(hm?.[1]), Number(hm?.[2]), Number(hm?.[3] ?? 0)];
  if (!isDay(day) || !hm || h > 23 || m > 59 || sec > 59) {
    throw new RangeError(`Invalid Kyiv time ${day} ${time}`);
  }
  const wall = Date.parse(`${day}T00:00:00Z`) + ((h * 60 + m) * 60 + sec) * 1000;
  // The offset at the wall time read as UTC is at most one DST change away from the right one;
  // a second look settles it. A time skipped by the spring change lands an hour later.
  const first = wall - kyivOffsetMs(new Date(wall));
  return new Date(wall - kyivOffsetMs(new Date(first)));
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
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
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
  const iso = asKyivWallClock(at).toISOString();
  return `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)} ${iso.slice(11, 16)}`;
}

/** A calendar day written YYYY-MM-DD (2026-02-30 is not one). On every browse read: no Date made. */
export function isDay(value: string): value is Day {
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 7);
  const day = digitsAt(value, 8, 10);
  if (year < 0 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 ? (leap ? 29 : 28) : (DAYS_IN_MONTH[month - 1] ?? 0));
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The decimal number written in value[from, to), or -1 where a character is not a digit. */
function digitsAt(value: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}
