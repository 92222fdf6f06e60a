// Chinese ad platforms speak Beijing wall-clock time (UTC+8, no daylight saving) in
// "YYYY-MM-DD HH:mm:ss" strings, or Unix seconds. Items carry UTC ISO strings.

const CHINA_OFFSET_MS = 8 * 3600_000;
const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** "YYYY-MM-DD HH:mm:ss" in Beijing time. */
export function formatChinaTime(date: Date): string {
  const d = new Date(date.getTime() + CHINA_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/**
 * A vendor time as a Date: Unix seconds or milliseconds (number or digits), Beijing
 * wall-clock text, or ISO 8601 with an offset. Undefined when absent or unreadable.
 */
export function parseVendorTime(value: unknown): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' || (typeof value === 'string' && /^\d{9,13}$/.test(value.trim()))) {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) return undefined;
    const date = new Date(n < 1e12 ? n * 1000 : n);
    // Past a Date's range (1e21 where a time was): no time, as for unreadable text; toISOString would throw.
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const wall = WALL_CLOCK.exec(text);
  if (wall) {
    const [, y, mo, d, h = '0', mi = '0', s = '0'] = wall;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - CHINA_OFFSET_MS;
    return Number.isFinite(ms) ? new Date(ms) : undefined;
  }
  // Meta writes "+0000" without the colon, which Date.parse reads fine.
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

export const unixSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);
