import type { ReportInterval, ReportName } from './report.types.js';

/** The reports the console shows, in the order of its tabs (GET /api/reports lists the same). */
export const REPORT_VIEWS: readonly ReportName[] = ['leads', 'conversion', 'first-contact', 'revenue', 'funnel', 'lifecycle'];
export const RANGE_PRESETS = ['7d', '30d', '90d'] as const;
export const INTERVALS: readonly ReportInterval[] = ['day', 'week', 'month'];

export type RangePreset = (typeof RANGE_PRESETS)[number];

/**
 * What the reports page shows, as kept in the hash route's query so that a link reproduces the
 * view: `range` a preset (the last N days up to today) or `custom` with `from`/`to` (local
 * dates, both included); `interval` unset = chosen from the period's length; `channels` and
 * `owners` empty = all (`unknown`: no first channel, `none`: unassigned, as the API reads them).
 */
export interface ReportFilterState {
  range: RangePreset | 'custom';
  from: string;
  to: string;
  interval: ReportInterval | null;
  channels: string[];
  owners: string[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const PRESET_DAYS: Record<RangePreset, number> = { '7d': 7, '30d': 30, '90d': 90 };

export const isReportView = (name: string | undefined): name is ReportName => (REPORT_VIEWS as readonly string[]).includes(name ?? '');

/** Reads the filters from the route's query; what is missing or malformed falls back to the default (the last 30 days). */
export function readFilters(query: string, today: Date): ReportFilterState {
  const q = new URLSearchParams(query);
  const range = q.get('range');
  const interval = q.get('interval');
  const base = { interval: (INTERVALS as readonly string[]).includes(interval ?? '') ? (interval as ReportInterval) : null, channels: listOf(q, 'channel'), owners: listOf(q, 'owner') };
  const from = q.get('from') ?? '';
  const to = q.get('to') ?? '';
  if (range === 'custom' && DATE.test(from) && DATE.test(to) && isCalendarDate(from) && isCalendarDate(to)) return { range: 'custom', from, to, ...base };
  const preset: RangePreset = (RANGE_PRESETS as readonly string[]).includes(range ?? '') ? (range as RangePreset) : '30d';
  return { range: preset, ...presetDates(preset, today), ...base };
}

/** The query that gives back `f`: defaults left out, the dates of a preset too (they follow today). */
export function writeFilters(f: ReportFilterState): URLSearchParams {
  const q = new URLSearchParams();
  if (f.range !== '30d') q.set('range', f.range);
  if (f.range === 'custom') {
    q.set('from', f.from);
    q.set('to', f.to);
  }
  if (f.interval) q.set('interval', f.interval);
  if (f.channels.length) q.set('channel', f.channels.join(','));
  if (f.owners.length) q.set('owner', f.owners.join(','));
  return q;
}

/** The first and last day (both included) of a preset ending today. */
export function presetDates(preset: RangePreset, today: Date): { from: string; to: string } {
  return { from: localDate(addDays(today, 1 - PRESET_DAYS[preset])), to: localDate(today) };
}

/** Days from `from` to `to`, both included (0 when `to` is before `from`). */
export function periodDays(from: string, to: string): number {
  return Math.max(0, Math.round((dateOf(to).getTime() - dateOf(from).getTime()) / 86_400_000) + 1);
}

/** The bucket used when none is chosen: days up to two months, weeks up to half a year, then months. */
export function autoInterval(days: number): ReportInterval {
  return days <= 62 ? 'day' : days <= 183 ? 'week' : 'month';
}

/** Why custom dates cannot be asked for, as an i18n key; null when they can. */
export function periodProblem(f: ReportFilterState): string | null {
  if (!DATE.test(f.from) || !DATE.test(f.to) || !isCalendarDate(f.from) || !isCalendarDate(f.to)) return 'reports.filters.badDate';
  if (f.from > f.to) return 'reports.filters.fromAfterTo';
  if (periodDays(f.from, f.to) > 366 * 5) return 'reports.filters.tooLong';
  return null;
}

/**
 * The API's query for the filters: the period as UTC instants of local midnights (`to` is the
 * midnight after the last day, excluded), the buckets in the browser's zone `tz`.
 */
export function apiQuery(f: ReportFilterState, tz: string): URLSearchParams {
  const q = new URLSearchParams({
    from: dateOf(f.from).toISOString(),
    to: addDays(dateOf(f.to), 1).toISOString(),
    tz,
    interval: f.interval ?? autoInterval(periodDays(f.from, f.to)),
  });
  if (f.channels.length) q.set('channel', f.channels.join(','));
  if (f.owners.length) q.set('owner', f.owners.join(','));
  return q;
}

/** YYYY-MM-DD of a Date in the browser's zone. */
export function localDate(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** A comma-separated list, trimmed, without repeats. */
function listOf(q: URLSearchParams, name: string): string[] {
  return [...new Set((q.get(name) ?? '').split(',').map((v) => v.trim()).filter(Boolean))];
}

/** Local midnight of a YYYY-MM-DD date. */
function dateOf(text: string): Date {
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d);
}

function addDays(d: Date, days: number): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + days);
}

function isCalendarDate(text: string): boolean {
  return localDate(dateOf(text)) === text;
}
