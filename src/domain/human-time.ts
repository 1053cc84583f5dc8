// Times as a person at the terminal reads them: "Wed 2 Dec 2026, 06:34 UTC", in the newsletter's zone.
// Machine output (`--json`, logs) keeps ISO 8601.

// Spelled out here rather than taken from Intl: en-GB abbreviates September as "Sept" on current ICU.
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const formatters = new Map<
  string,
  { numbers: Intl.DateTimeFormat; short: Intl.DateTimeFormat; offset: Intl.DateTimeFormat }
>();

function formattersFor(timeZone: string) {
  let found = formatters.get(timeZone);
  if (!found) {
    found = {
      numbers: new Intl.DateTimeFormat('en-US', {
        timeZone,
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        weekday: 'short',
      }),
      short: new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'short' }),
      offset: new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'longOffset' }),
    };
    formatters.set(timeZone, found);
  }
  return found;
}

function part(parts: Intl.DateTimeFormatPart[], type: Intl.DateTimeFormatPartTypes): string {
  return parts.find((piece) => piece.type === type)?.value ?? '';
}

/**
 * The zone as its abbreviation where English has one (UTC, GMT, BST, CET, CEST), otherwise as the offset
 * from UTC ("UTC-04:00", "UTC+05:30"): Intl's "GMT-4" reads like Greenwich time to most people.
 */
function zoneLabel(instant: Date, timeZone: string): string {
  const { short, offset } = formattersFor(timeZone);
  const name = part(short.formatToParts(instant), 'timeZoneName');
  if (!/^GMT[+-]/.test(name)) return name;
  return part(offset.formatToParts(instant), 'timeZoneName').replace(/^GMT/, 'UTC');
}

/**
 * "Wed 2 Dec 2026, 06:34 UTC": the instant in `timeZone`, with the zone's abbreviation or offset. A stored
 * value that is not a time is returned as it is, so a damaged row still prints.
 */
export function humanTime(instant: Date | string, timeZone: string): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) return String(instant);
  const parts = formattersFor(timeZone).numbers.formatToParts(date);
  const month = MONTHS[Number(part(parts, 'month')) - 1] ?? part(parts, 'month');
  const time = `${part(parts, 'hour')}:${part(parts, 'minute')}`;
  return `${part(parts, 'weekday')} ${Number(part(parts, 'day'))} ${month} ${part(parts, 'year')}, ${time} ${zoneLabel(date, timeZone)}`;
}

const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;

/**
 * A message with every ISO 8601 instant in it written as `humanTime`. The services' sentences (a send's
 * report, a refusal) are also logged, where ISO is right; the terminal shows them to a person.
 */
export function humanTimesIn(text: string, timeZone: string): string {
  return text.replace(ISO_INSTANT, (iso) => humanTime(iso, timeZone));
}
