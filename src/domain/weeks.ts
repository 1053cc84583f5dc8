// ISO-8601 weeks in an IANA timezone. An edition for `2026-W47` covers local Monday 00:00 up to the next
// local Monday 00:00, so a week that contains a DST change is 167 or 169 hours long, never a fixed 168.

const DAY_MS = 86_400_000;
const WEEK_KEY = /^(\d{4})-W(\d{2})$/;

export interface IsoWeek {
  readonly year: number;
  readonly week: number;
}

export interface WeekWindow {
  /** First instant of the week (local Monday 00:00), inclusive. */
  readonly start: Date;
  /** First instant of the next week, exclusive. */
  readonly end: Date;
}

interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when `timeZone` is an IANA name this Node runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock reading of `instant` in `timeZone`, expressed as if it were UTC milliseconds. */
export function wallClockMs(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour, minute, second) + (((instant % 1000) + 1000) % 1000);
}

function localDateOf(instant: number, timeZone: string): LocalDate {
  const wall = new Date(wallClockMs(instant, timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/**
 * The instant at which the local clock in `timeZone` first reads 00:00 on the given date. Two passes settle
 * the offset on either side of a DST change; if midnight itself is skipped by a DST gap, the first
 * instant after the gap is returned.
 */
function localMidnight(date: LocalDate, timeZone: string): Date {
  const target = Date.UTC(date.year, date.month - 1, date.day);
  let instant = target;
  for (let pass = 0; pass < 3; pass++) {
    const offset = wallClockMs(instant, timeZone) - instant;
    instant = target - offset;
  }
  if (wallClockMs(instant, timeZone) < target) {
    // Midnight does not exist that day: advance to the end of the gap.
    instant += target - wallClockMs(instant, timeZone);
  }
  return new Date(instant);
}

function isoWeekOfDate(date: LocalDate): IsoWeek {
  const utc = Date.UTC(date.year, date.month - 1, date.day);
  const weekday = new Date(utc).getUTCDay() || 7; // Monday 1 ... Sunday 7
  const thursday = new Date(utc + (4 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return { year, week };
}

function weeksInYear(year: number): number {
  return isoWeekOfDate({ year, month: 12, day: 28 }).week;
}

export function formatWeekKey({ year, week }: IsoWeek): string {
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Parses `2026-W47`; returns an error message for anything else, including week 53 of a 52-week year. */
export function parseWeekKey(key: string): IsoWeek | { error: string } {
  const match = WEEK_KEY.exec(key.trim());
  if (!match) return { error: `"${key}" is not an ISO week; expected the form 2026-W47` };
  const year = Number(match[1]);
  const week = Number(match[2]);
  if (week < 1 || week > weeksInYear(year)) {
    return { error: `"${key}" does not exist: ${year} has ${weeksInYear(year)} ISO weeks` };
  }
  return { year, week };
}

/** Like parseWeekKey, for callers where an invalid key is a bug or already-validated input. */
export function requireWeek(key: string): IsoWeek {
  const parsed = parseWeekKey(key);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
}

/** The ISO week that `instant` falls in, read on the local calendar of `timeZone`. */
export function weekOf(instant: Date, timeZone: string): IsoWeek {
  return isoWeekOfDate(localDateOf(instant.getTime(), timeZone));
}

export function weekKeyOf(instant: Date, timeZone: string): string {
  return formatWeekKey(weekOf(instant, timeZone));
}

function mondayOf({ year, week }: IsoWeek): LocalDate {
  // 4 January is always in ISO week 1.
  const jan4 = Date.UTC(year, 0, 4);
  const jan4Weekday = new Date(jan4).getUTCDay() || 7;
  const monday = new Date(jan4 + ((week - 1) * 7 - (jan4Weekday - 1)) * DAY_MS);
  return { year: monday.getUTCFullYear(), month: monday.getUTCMonth() + 1, day: monday.getUTCDate() };
}

function addDays(date: LocalDate, days: number): LocalDate {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY_MS);
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

export function weekWindow(week: IsoWeek, timeZone: string): WeekWindow {
  const monday = mondayOf(week);
  return { start: localMidnight(monday, timeZone), end: localMidnight(addDays(monday, 7), timeZone) };
}

export function shiftWeek(week: IsoWeek, weeks: number): IsoWeek {
  const monday = mondayOf(week);
  return isoWeekOfDate(addDays(monday, weeks * 7));
}

/** The last week whose window has fully ended at `now`: the week before the current one. */
export function lastCompletedWeek(now: Date, timeZone: string): IsoWeek {
  return shiftWeek(weekOf(now, timeZone), -1);
}

/** "16–22 November 2026" style label for the week's local dates. */
export function weekLabel(week: IsoWeek): string {
  const monday = mondayOf(week);
  const sunday = addDays(monday, 6);
  const month = (d: LocalDate) =>
    new Date(Date.UTC(d.year, d.month - 1, d.day)).toLocaleString('en-GB', {
      month: 'long',
      timeZone: 'UTC',
    });
  if (monday.month === sunday.month) return `${monday.day}–${sunday.day} ${month(sunday)} ${sunday.year}`;
  if (monday.year === sunday.year) {
    return `${monday.day} ${month(monday)} – ${sunday.day} ${month(sunday)} ${sunday.year}`;
  }
  return `${monday.day} ${month(monday)} ${monday.year} – ${sunday.day} ${month(sunday)} ${sunday.year}`;
}

/**
 * The instant at the same offset from the start of `week` as `instant` has from the start of its own
 * week: same weekday and local time. Moves sample data into a chosen week (demo, tests).
 */
export function sameMomentInWeek(instant: Date, week: IsoWeek, timeZone: string): Date {
  const own = weekWindow(weekOf(instant, timeZone), timeZone);
  const target = weekWindow(week, timeZone);
  const moved = target.start.getTime() + (instant.getTime() - own.start.getTime());
  // A week that loses an hour to DST is shorter: keep the moment inside it.
  return new Date(Math.min(moved, target.end.getTime() - 1));
}
