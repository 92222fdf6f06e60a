/**
 * An owner's working week in their own time zone: the same window on each listed day.
 * `days` are ISO weekdays (1 = Monday … 7 = Sunday); `end` before `start` is a night shift
 * that ends the next morning (it belongs to the day it starts); `start` equal to `end` is the
 * whole day; `end` may be `24:00`.
 */
export interface WorkingHours {
  timezone: string;
  days: number[];
  start: string;
  end: string;
}

const HHMM = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;
const DAY_MS = 86_400_000;
const formats = new Map<string, Intl.DateTimeFormat>();

/** Problems with a working-hours value (JSON pointers relative to it); empty when it is sound. */
export function workingHoursProblems(wh: WorkingHours): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (!isTimeZone(wh.timezone)) problems.push({ path: '/timezone', message: `unknown time zone "${wh.timezone}" (use an IANA name such as Asia/Shanghai)` });
  if (minutesOf(wh.start) === undefined || minutesOf(wh.start) === 1440) problems.push({ path: '/start', message: 'start must be HH:MM between 00:00 and 23:59' });
  if (minutesOf(wh.end) === undefined) problems.push({ path: '/end', message: 'end must be HH:MM between 00:00 and 24:00' });
  return problems;
}

export function isTimeZone(tz: unknown): tz is string {
  if (typeof tz !== 'string' || !tz) return false;
  try {
    formatFor(tz);
    return true;
  } catch {
    return false;
  }
}

/** Whether `at` falls inside the working hours. */
export function isWorkingAt(wh: WorkingHours, at: Date): boolean {
  const p = localParts(at, wh.timezone);
  const s = minutesOf(wh.start)!;
  const e = minutesOf(wh.end)!;
  const today = wh.days.includes(p.weekday);
  if (s < e) return today && p.minutes >= s && p.minutes < e;
  if (s === e) return today;
  const yesterday = wh.days.includes(p.weekday === 1 ? 7 : p.weekday - 1);
  return (today && p.minutes >= s) || (yesterday && p.minutes < e);
}

/**
 * The instant `hours` of working time after `from` (a due time "in 8 business hours"):
 * time outside the windows does not count. Undefined when the week has no working time.
 */
export function addWorkingHours(wh: WorkingHours, from: Date, hours: number): Date | undefined {
  let remaining = Math.round(hours * 3_600_000);
  if (remaining <= 0) return new Date(from);
  const s = minutesOf(wh.start)!;
  const e = minutesOf(wh.end)!;
  const p = localParts(from, wh.timezone);
  // From the day before: a night shift that started yesterday may still be running.
  const first = Date.UTC(p.year, p.month - 1, p.day) - DAY_MS;
  for (let k = 0; k < 800; k++) {
    const date = new Date(first + k * DAY_MS);
    const weekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
    if (!wh.days.includes(weekday)) continue;
    const y = date.getUTCFullYear();
    const m = date.getUTCMonth() + 1;
    const d = date.getUTCDate();
    const windowStart = toInstant(y, m, d, s, wh.timezone);
    // A window that does not end after it starts runs into the next day.
    const windowEnd = toInstant(y, m, s < e ? d : d + 1, e, wh.timezone);
    const begin = Math.max(windowStart, from.getTime());
    if (windowEnd <= begin) continue;
    if (windowEnd - begin >= remaining) return new Date(begin + remaining);
    remaining -= windowEnd - begin;
  }
  return undefined;
}

function minutesOf(hhmm: unknown): number | undefined {
  if (typeof hhmm !== 'string') return undefined;
  const m = HHMM.exec(hhmm);
  if (!m) return undefined;
  return m[3] ? 1440 : Number(m[1]) * 60 + Number(m[2]);
}

function formatFor(tz: string): Intl.DateTimeFormat {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formats.set(tz, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function localParts(at: Date | number, tz: string): { year: number; month: number; day: number; weekday: number; minutes: number; second: number } {
  const parts: Record<string, string> = {};
  for (const part of formatFor(tz).formatToParts(at)) parts[part.type] = part.value;
  const hour = Number(parts.hour) % 24;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS[parts.weekday!] ?? 1,
    minutes: hour * 60 + Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The UTC instant (ms) of a wall-clock time in tz; day may overflow into the next month. */
function toInstant(year: number, month: number, day: number, minutes: number, tz: string): number {
  const wall = Date.UTC(year, month - 1, day, 0, minutes);
  const offsetAt = (t: number) => {
    const p = localParts(t, tz);
    return Date.UTC(p.year, p.month - 1, p.day, 0, p.minutes, p.second) - Math.floor(t / 1000) * 1000;
  };
  const first = wall - offsetAt(wall);
  const second = wall - offsetAt(first);
  return second;
}
