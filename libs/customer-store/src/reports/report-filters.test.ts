import { describe, expect, it } from '@jest/globals';
import { CustomerStoreError } from '../customer-store.errors.js';
import { parseReportFilters } from './report-filters.js';

const NOW = new Date('2026-04-10T08:30:00.000Z');
const parse = (q: Record<string, unknown>) => parseReportFilters(q, NOW);
const reason = (q: Record<string, unknown>) => {
  try {
    parse(q);
  } catch (err) {
    expect(err).toBeInstanceOf(CustomerStoreError);
    const e = err as CustomerStoreError;
    expect(e.code).toBe('invalid_query');
    return { message: e.message, filter: (e.details as { filter: string }).filter };
  }
  throw new Error(`accepted ${JSON.stringify(q)}`);
};

describe('parseReportFilters', () => {
  it('defaults to the last 30 days by day in UTC, every channel and owner', () => {
    expect(parse({})).toEqual({ from: new Date('2026-03-11T08:30:00.000Z'), to: NOW, tz: 'UTC', interval: 'day' });
  });

  it('reads date-only bounds as local midnights, the `to` day included', () => {
    expect(parse({ from: '2026-03-01', to: '2026-03-31' })).toMatchObject({
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-04-01T00:00:00Z'),
    });
    expect(parse({ from: '2026-03-01', to: '2026-03-31', tz: 'Asia/Shanghai' })).toMatchObject({
      from: new Date('2026-02-28T16:00:00Z'),
      to: new Date('2026-03-31T16:00:00Z'),
      tz: 'Asia/Shanghai',
    });
    // Across a DST change: New York is UTC−5 in January and UTC−4 from 8 March 2026.
    expect(parse({ from: '2026-01-15', to: '2026-03-09', tz: 'America/New_York' })).toMatchObject({
      from: new Date('2026-01-15T05:00:00Z'),
      to: new Date('2026-03-10T04:00:00Z'),
    });
  });

  it('takes times with a zone as they are, and a `from` alone ends now', () => {
    expect(parse({ from: '2026-04-01T16:00:00+08:00' })).toMatchObject({ from: new Date('2026-04-01T08:00:00Z'), to: NOW });
    expect(parse({ to: '2026-03-31T23:59:59.999Z' })).toMatchObject({ from: new Date('2026-03-01T23:59:59.999Z') });
  });

  it('reads channels and owners repeated or comma-separated, deduplicated', () => {
    expect(parse({ channel: ['webform', 'wecom,webform'], owner: 'o1, none' })).toMatchObject({ channels: ['webform', 'wecom'], owners: ['o1', 'none'] });
  });

  it('accepts week and month', () => {
    expect(parse({ interval: 'week' }).interval).toBe('week');
    expect(parse({ interval: 'month', from: '2021-05-01' }).interval).toBe('month');
  });

  it('rejects bad filters, naming them', () => {
    expect(reason({ chanel: 'web' })).toEqual({ filter: 'chanel', message: expect.stringContaining('unknown filter "chanel"') });
    expect(reason({ from: 'yesterday' }).filter).toBe('from');
    expect(reason({ from: '2026-02-30' })).toEqual({ filter: 'from', message: expect.stringContaining('not a calendar date') });
    expect(reason({ to: '2026-03-01T10:00:00' }).message).toContain('a time with a zone');
    expect(reason({ from: '2026-04-01', to: '2026-03-01' }).message).toContain('from must be before to');
    expect(reason({ interval: 'hour' }).message).toContain('day, week, month');
    expect(reason({ tz: 'Mars/Olympus' }).filter).toBe('tz');
    expect(reason({ tz: '+08' }).filter).toBe('tz');
    expect(reason({ from: '2023-01-01', interval: 'day' }).message).toContain('more than 1000 days');
    expect(reason({ from: '2019-01-01', interval: 'month' }).message).toContain('at most');
    expect(reason({ interval: ['day', 'week'] }).message).toContain('once');
    expect(reason({ channel: ' , ' }).message).toContain('empty');
    expect(reason({ owner: Array.from({ length: 51 }, (_, i) => `o${i}`) }).message).toContain('at most 50');
  });
});
