import { currentLang } from './i18n.js';

/** All calendar logic in Europe/Kyiv (SPEC: dates and times in Kyiv time, Ukrainian formats). */
export const KYIV = 'Europe/Kyiv';

const locale = () => (currentLang() === 'en' ? 'en-GB' : 'uk-UA');

function fmt(options: Intl.DateTimeFormatOptions) {
  return (value: string | Date) =>
    new Intl.DateTimeFormat(locale(), { timeZone: KYIV, ...options }).format(new Date(value));
}

export const formatTime = fmt({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
export const formatDate = fmt({ day: 'numeric', month: 'long', year: 'numeric' });
export const formatDayShort = fmt({ weekday: 'short', day: 'numeric', month: 'short' });
export const formatDateTime = fmt({
  day: 'numeric',
  month: 'long',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
export const formatMonthShort = fmt({ month: 'short' });
export const formatMonthYear = fmt({ month: 'long', year: 'numeric' });
export const formatWeekdayLong = fmt({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

/** The Kyiv calendar day (YYYY-MM-DD) of an instant (the server's: see server-time.ts). */
export function kyivDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: KYIV,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return t.toISOString().slice(0, 10);
}

/** A day string as a local-noon Date, so that formatting it in Kyiv never shifts the day. */
export function dayAsDate(day: string): Date {
  return new Date(`${day}T12:00:00Z`);
}

/** ISO weekday 1..7 of a YYYY-MM-DD day. */
export function isoWeekday(day: string): number {
  const wd = dayAsDate(day).getUTCDay();
  return wd === 0 ? 7 : wd;
}
