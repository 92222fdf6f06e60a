import { describe, expect, it } from '@jest/globals';
import { apiQuery, autoInterval, periodDays, periodProblem, presetDates, readFilters, writeFilters } from './report-filters.util.js';

// Local dates: the page asks for the browser's days, whatever zone the test runs in.
const TODAY = new Date(2026, 2, 15, 17, 30);

describe('report filters in the route query', () => {
  it('defaults to the last 30 days, every channel, the interval chosen from the period', () => {
    expect(readFilters('', TODAY)).toEqual({ range: '30d', from: '2026-02-14', to: '2026-03-15', interval: null, channels: [], owners: [] });
  });

  it('reads presets, custom dates, an interval and channels, and writes them back without the defaults', () => {
    const f = readFilters('range=custom&from=2026-01-01&to=2026-01-31&interval=week&channel=webform,youzan,webform&owner=none,o-wang', TODAY);
    expect(f).toEqual({ range: 'custom', from: '2026-01-01', to: '2026-01-31', interval: 'week', channels: ['webform', 'youzan'], owners: ['none', 'o-wang'] });
    expect(writeFilters(f).toString()).toBe('range=custom&from=2026-01-01&to=2026-01-31&interval=week&channel=webform%2Cyouzan&owner=none%2Co-wang');
    const week = readFilters('range=7d', TODAY);
    expect(week).toMatchObject({ range: '7d', from: '2026-03-09', to: '2026-03-15' });
    // A preset's dates follow today: the link keeps the preset, not the dates.
    expect(writeFilters(week).toString()).toBe('range=7d');
    expect(writeFilters(readFilters('', TODAY)).toString()).toBe('');
  });

  it('falls back to the default on what it cannot read', () => {
    expect(readFilters('range=12d&interval=hour', TODAY)).toMatchObject({ range: '30d', interval: null });
    expect(readFilters('range=custom&from=2026-02-30&to=2026-03-01', TODAY)).toMatchObject({ range: '30d' });
    expect(readFilters('range=custom&from=yesterday', TODAY)).toMatchObject({ range: '30d' });
  });

  it('names what is wrong with custom dates', () => {
    const base = { range: 'custom' as const, interval: null, channels: [], owners: [] };
    expect(periodProblem({ ...base, from: '2026-03-01', to: '2026-03-31' })).toBeNull();
    expect(periodProblem({ ...base, from: '2026-04-01', to: '2026-03-31' })).toBe('reports.filters.fromAfterTo');
    expect(periodProblem({ ...base, from: '', to: '2026-03-31' })).toBe('reports.filters.badDate');
    expect(periodProblem({ ...base, from: '2015-01-01', to: '2026-03-31' })).toBe('reports.filters.tooLong');
  });
});

describe('the API query', () => {
  it('sends local midnights as UTC instants, the last day included, and the zone of the buckets', () => {
    const f = readFilters('range=custom&from=2026-03-01&to=2026-03-31&channel=webform&owner=o-wang', TODAY);
    const q = apiQuery(f, 'Asia/Shanghai');
    expect(q.get('from')).toBe(new Date(2026, 2, 1).toISOString());
    expect(q.get('to')).toBe(new Date(2026, 3, 1).toISOString());
    expect(q.get('tz')).toBe('Asia/Shanghai');
    expect(q.get('interval')).toBe('day');
    expect(q.get('channel')).toBe('webform');
    expect(q.get('owner')).toBe('o-wang');
    expect(apiQuery(readFilters('range=90d', TODAY), 'UTC').get('interval')).toBe('week');
    expect(apiQuery(readFilters('range=90d&interval=month', TODAY), 'UTC').get('interval')).toBe('month');
    expect([...apiQuery(readFilters('', TODAY), 'UTC').keys()]).toEqual(['from', 'to', 'tz', 'interval']);
  });

  it('counts days and picks buckets by the length of the period', () => {
    expect(periodDays('2026-03-01', '2026-03-31')).toBe(31);
    expect(periodDays('2026-03-31', '2026-03-01')).toBe(0);
    expect(presetDates('90d', TODAY)).toEqual({ from: '2025-12-16', to: '2026-03-15' });
    expect([7, 62, 63, 183, 184, 400].map(autoInterval)).toEqual(['day', 'day', 'week', 'week', 'month', 'month']);
  });
});
