import { CustomerStoreError } from '../customer-store.errors.js';

export type ReportInterval = 'day' | 'week' | 'month';

/** The filters every report takes, validated. */
export interface ReportFilters {
  /** Inclusive start of the period. */
  from: Date;
  /** Exclusive end of the period. */
  to: Date;
  /** IANA time zone of the buckets and of date-only bounds (default UTC). */
  tz: string;
  interval: ReportInterval;
  /** First channels to keep (`unknown` = customers without one); undefined = all. */
  channels?: string[];
  /** Owner ids to keep (`none` = unassigned customers); undefined = all. */
  owners?: string[];
}

/** The query string as the HTTP layer hands it over: a repeated key arrives as an array. */
export type ReportQuery = Record<string, unknown>;

export const REPORT_FILTER_NAMES = ['from', 'to', 'tz', 'interval', 'channel', 'owner'] as const;
export const DEFAULT_PERIOD_DAYS = 30;
/** A report never spans more than this, nor more buckets than MAX_BUCKETS. */
export const MAX_PERIOD_DAYS = 366 * 5;
export const MAX_BUCKETS = 1000;
const MAX_LIST = 50;
const MAX_VALUE = 200;
const DAY_MS = 86_400_000;
const INTERVALS: ReportInterval[] = ['day', 'week', 'month'];
const APPROX_BUCKET_MS: Record<ReportInterval, number> = { day: DAY_MS, week: 7 * DAY_MS, month: 28 * DAY_MS };
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
// A time must say which instant it is: Z or an offset.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Reads the filters of a report query: `from`, `to` (ISO dates or times; default the last 30
 * days), `tz`, `interval` (day | week | month), `channel` and `owner` (repeated or
 * comma-separated). A date-only `to` includes that whole day. Throws CustomerStoreError
 * `invalid_query` naming the filter, for unknown filters too (a typo must not silently widen
 * a report).
 */
export function parseReportFilters(query: ReportQuery | undefined, now: Date = new Date()): ReportFilters {
  const q = query ?? {};
  for (const key of Object.keys(q)) {
    if (!(REPORT_FILTER_NAMES as readonly string[]).includes(key)) {
      throw invalid(key, q[key], `unknown filter "${key}"; the filters are ${REPORT_FILTER_NAMES.join(', ')}`);
    }
  }
  const tz = single(q, 'tz') ?? 'UTC';
  if (!isTimeZone(tz)) throw invalid('tz', tz, `tz must be an IANA time zone such as UTC or Asia/Shanghai`);

  const interval = (single(q, 'interval') ?? 'day') as ReportInterval;
  if (!INTERVALS.includes(interval)) throw invalid('interval', interval, `interval must be one of ${INTERVALS.join(', ')}`);

  const toText = single(q, 'to');
  const fromText = single(q, 'from');
  const to = toText === undefined ? now : parseBound('to', toText, tz, true);
  const from = fromText === undefined ? new Date(to.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS) : parseBound('from', fromText, tz, false);
  if (from.getTime() >= to.getTime()) throw invalid('from', fromText ?? from.toISOString(), `from must be before to (${to.toISOString()})`);
  const spanMs = to.getTime() - from.getTime();
  if (spanMs > MAX_PERIOD_DAYS * DAY_MS) throw invalid('from', fromText ?? from.toISOString(), `the period may span at most ${MAX_PERIOD_DAYS} days`);
  if (spanMs / APPROX_BUCKET_MS[interval] > MAX_BUCKETS) {
    throw invalid('interval', interval, `more than ${MAX_BUCKETS} ${interval}s in the period: use a longer interval or a shorter period`);
  }

  const filters: ReportFilters = { from, to, tz, interval };
  const channels = list(q, 'channel');
  if (channels) filters.channels = channels;
  const owners = list(q, 'owner');
  if (owners) filters.owners = owners;
  return filters;
}

/** The filters as a report echoes them: ISO UTC times, lists or null. */
export function describeFilters(f: ReportFilters) {
  return {
    from: f.from.toISOString(),
    to: f.to.toISOString(),
    tz: f.tz,
    interval: f.interval,
    channels: f.channels ?? null,
    owners: f.owners ?? null,
  };
}

function single(q: ReportQuery, name: string): string | undefined {
  const v = q[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (Array.isArray(v)) {
    if (v.length !== 1) throw invalid(name, v, `${name} may be given once`);
    return single({ [name]: v[0] }, name);
  }
  if (typeof v !== 'string') throw invalid(name, v, `${name} must be text`);
  return v.trim();
}

/** Repeated (`channel=a&channel=b`) and comma-separated (`channel=a,b`) values, deduplicated. */
function list(q: ReportQuery, name: string): string[] | undefined {
  const raw = q[name];
  if (raw === undefined || raw === null || raw === '') return undefined;
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => {
    if (typeof v !== 'string') throw invalid(name, raw, `${name} must be text`);
    return v.split(',');
  });
  const values = [...new Set(parts.map((p) => p.trim()).filter(Boolean))];
  if (values.length === 0) throw invalid(name, raw, `${name} is empty`);
  if (values.length > MAX_LIST) throw invalid(name, raw, `at most ${MAX_LIST} values of ${name}`);
  const long = values.find((v) => v.length > MAX_VALUE);
  if (long) throw invalid(name, long, `a ${name} is at most ${MAX_VALUE} characters`);
  return values;
}

function parseBound(name: 'from' | 'to', text: string, tz: string, endOfDay: boolean): Date {
  const d = DATE_ONLY.exec(text);
  if (d) {
    const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
    const probe = new Date(Date.UTC(y, m - 1, day));
    if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== day) {
      throw invalid(name, text, `${name} is not a calendar date: ${text}`);
    }
    // A date-only `to` names the last day of the period: it ends at the next midnight.
    return localMidnight(y, m - 1, day + (endOfDay ? 1 : 0), tz);
  }
  if (!DATE_TIME.test(text)) {
    throw invalid(name, text, `${name} must be an ISO date (2026-03-01) or a time with a zone (2026-03-01T08:00:00Z, 2026-03-01T16:00:00+08:00)`);
  }
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw invalid(name, text, `${name} is not a valid time: ${text}`);
  return new Date(t);
}

/** The instant of local midnight of (y, m, d) in tz: the UTC guess corrected by the zone's offset, twice for DST edges. */
function localMidnight(y: number, m: number, d: number, tz: string): Date {
  const wall = Date.UTC(y, m, d);
  let t = wall - offsetMs(wall, tz);
  t = wall - offsetMs(t, tz);
  return new Date(t);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at instant t, in ms. */
function offsetMs(t: number, tz: string): number {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return asUtc - Math.floor(t / 1000) * 1000;
}

function isTimeZone(tz: string): boolean {
  // Names only: Postgres reads a bare offset such as +08 the POSIX way (sign inverted).
  if (tz.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function invalid(filter: string, value: unknown, message: string): CustomerStoreError {
  return new CustomerStoreError('invalid_query', message, { filter, value });
}
