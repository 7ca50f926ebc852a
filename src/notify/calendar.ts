import { createEvent } from 'ics';
import { asKyivWallClock } from '../platform/kyiv-time.js';

/**
 * The .ics attachment of a confirmation. Times are Kyiv wall-clock times with TZID=Europe/Kyiv
 * and the zone's VTIMEZONE (the `ics` package writes only UTC or floating times, so the zone is
 * added here); the UID is the registration id, so a re-sent invitation updates the same event.
 */
const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Kyiv',
  'BEGIN:STANDARD',
  'DTSTART:19701025T040000',
  'TZOFFSETFROM:+0300',
  'TZOFFSETTO:+0200',
  'TZNAME:EET',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'BEGIN:DAYLIGHT',
  'DTSTART:19700329T030000',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0300',
  'TZNAME:EEST',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'END:VTIMEZONE',
].join('\r\n');

export interface CalendarEvent {
  uid: string;
  title: string;
  description: string;
  location: string;
  start: Date;
  end: Date;
  url?: string;
}

/** "20261123T093000": the Kyiv wall-clock time in the iCalendar basic format. */
const kyivStamp = (at: Date) => asKyivWallClock(at).toISOString().slice(0, 19).replace(/[-:]/g, '');

export function calendarFile(event: CalendarEvent): string {
  const { error, value } = createEvent({
    uid: event.uid,
    title: event.title,
    description: event.description,
    location: event.location,
    // Strings pass through the package unchanged: the Kyiv wall-clock time.
    start: kyivStamp(event.start),
    end: kyivStamp(event.end),
    url: event.url,
    status: 'CONFIRMED',
    method: 'PUBLISH',
    productId: 'e-zapys/ics',
    alarms: [{ action: 'display', description: event.title, trigger: { hours: 2, before: true } }],
  });
  if (error || !value) throw error ?? new Error('ics generation failed');
  return value
    .replace(/\r\nDTSTART:/, '\r\nDTSTART;TZID=Europe/Kyiv:')
    .replace(/\r\nDTEND:/, '\r\nDTEND;TZID=Europe/Kyiv:')
    .replace(/\r\nBEGIN:VEVENT/, `\r\n${VTIMEZONE}\r\nBEGIN:VEVENT`);
}
