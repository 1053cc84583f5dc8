// An edition's dates as the archive shows them: its week in words (weekLabel) and the day it went out.

const formats = new Map<string, Intl.DateTimeFormat>();

/** "23 November 2026": the day `instant` falls on in `timeZone` (the zone the edition was sent in). */
export function sentDay(instant: Date, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone });
    formats.set(timeZone, format);
  }
  return format.format(instant);
}
