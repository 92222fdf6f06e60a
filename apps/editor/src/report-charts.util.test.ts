import { describe, expect, it } from '@jest/globals';
import {
  channelColors,
  chartTable,
  conversionChart,
  funnelChart,
  leadsChart,
  leadsKpis,
  makeFormats,
  PALETTE,
  revenueChart,
  revenueCurrencies,
  revenueKpis,
  type ChartContext,
} from './report-charts.util.js';
import type { ConversionReport, FunnelReport, LeadsReport, RevenueReport } from './report.types.js';

// Keys come back with their options, so a test sees what was asked to be translated.
const t = (key: string, options?: Record<string, unknown>) => (options && 'n' in options ? `${key}:${String(options.n)}` : key);
const ctx = (lang = 'en'): ChartContext => ({
  t,
  fmt: makeFormats(lang, t),
  color: channelColors(['webform', 'youzan', 'unknown']),
  channelName: (c) => (c === 'unknown' ? 'No channel' : c),
});
const filters = { from: '2026-03-01T00:00:00.000Z', to: '2026-03-04T00:00:00.000Z', tz: 'UTC', interval: 'day' as const, channels: null, owners: null };
const bucket = (period: string) => ({ period, start: `${period}T00:00:00.000Z` });

const leads: LeadsReport = {
  report: 'leads',
  filters,
  generatedAt: '2026-03-04T00:00:00.000Z',
  totals: { leads: 5 },
  byChannel: [
    { channel: 'webform', leads: 3 },
    { channel: 'youzan', leads: 2 },
  ],
  byCampaign: [],
  series: [
    { ...bucket('2026-03-01'), leads: 2, byChannel: { webform: 2 } },
    { ...bucket('2026-03-02'), leads: 0, byChannel: {} },
    { ...bucket('2026-03-03'), leads: 3, byChannel: { webform: 1, youzan: 2 } },
  ],
};

describe('formats', () => {
  it('formats numbers, money, durations and bucket dates in the language', () => {
    const en = makeFormats('en', t);
    const zh = makeFormats('zh-CN', t);
    expect(en.count(12345)).toBe('12,345');
    expect(en.percent(0.3333)).toBe('33.3%');
    expect(en.percent(null)).toBe('—');
    expect(en.money('1234.5', 'CNY')).toBe('¥1,234.50');
    expect(en.money('12', 'XX1')).toBe('12.00');
    expect(en.money('12', null)).toBe('12.00');
    expect(en.hours(3.25)).toMatch(/^3\.3 hr/);
    expect(en.hours(0.25)).toBe('15 min');
    expect(en.hours(0.001)).toBe('1 min');
    expect(en.hours(0)).toBe('0 hr');
    expect(zh.hours(3.25)).toContain('小时');
    expect(en.period('2026-03-02', 'day')).toBe('Mar 2');
    expect(zh.period('2026-03-02', 'day')).toBe('3月2日');
    expect(en.period('2026-03-01', 'month')).toBe('Mar 2026');
    expect(en.periodLong('2026-03-02', 'week')).toBe('reports.weekOf');
  });
});

describe('channel colours', () => {
  it('follow the channel list and stay stable for channels outside it', () => {
    const color = channelColors(['webform', 'youzan']);
    expect([color('webform'), color('youzan')]).toEqual([PALETTE[0], PALETTE[1]]);
    expect(color('wecom')).toBe(color('wecom'));
    expect(PALETTE).toContain(color('wecom'));
  });
});

describe('leads', () => {
  it('stacks each channel per bucket, the biggest channel first, in its colour', () => {
    const option = leadsChart(leads, ctx());
    expect(option.xAxis).toMatchObject({ data: ['Mar 1', 'Mar 2', 'Mar 3'] });
    expect(option.series).toEqual([
      expect.objectContaining({ type: 'bar', name: 'webform', stack: 'leads', data: [2, 0, 1], itemStyle: { color: PALETTE[0] } }),
      expect.objectContaining({ type: 'bar', name: 'youzan', stack: 'leads', data: [0, 0, 2], itemStyle: { color: PALETTE[1] } }),
    ]);
    expect(chartTable(option, ctx().fmt)).toEqual({
      columns: ['', 'webform', 'youzan'],
      rows: [
        ['Mar 1', '2', '0'],
        ['Mar 2', '0', '0'],
        ['Mar 3', '1', '2'],
      ],
    });
  });

  it('sums up the period', () => {
    expect(leadsKpis(leads, ctx()).map((k) => [k.id, k.value, k.hint])).toEqual([
      ['leads', '5', undefined],
      ['top-channel', 'webform', '60%'],
      ['channels', '2', undefined],
      ['per-bucket', '1.7', undefined],
    ]);
  });
});

describe('conversion', () => {
  it('draws leads and converted per channel with the rate on a percent axis', () => {
    const r: ConversionReport = {
      report: 'conversion',
      filters,
      generatedAt: '',
      totals: { leads: 3, converted: 1, rate: 0.3333, medianDaysToConvert: 0 },
      byChannel: [
        { channel: 'webform', leads: 2, converted: 1, rate: 0.5, medianDaysToConvert: 0 },
        { channel: 'unknown', leads: 1, converted: 0, rate: 0, medianDaysToConvert: null },
      ],
      series: [],
    };
    const option = conversionChart(r, ctx());
    expect(option.xAxis).toMatchObject({ data: ['webform', 'No channel'] });
    expect((option.series as { data: unknown[] }[]).map((s) => s.data)).toEqual([[2, 1], [1, 0], [0.5, 0]]);
    expect(chartTable(option, ctx().fmt).rows).toEqual([
      ['webform', '2', '1', '50%'],
      ['No channel', '1', '0', '0%'],
    ]);
  });
});

describe('revenue', () => {
  const r: RevenueReport = {
    report: 'revenue',
    filters,
    generatedAt: '',
    totals: [
      { currency: 'USD', orders: 1, gross: '10.00', refunds: '0.00', net: '10.00' },
      { currency: 'CNY', orders: 2, gross: '178.00', refunds: '28.00', net: '150.00' },
    ],
    byChannel: [
      { channel: 'youzan', currency: 'CNY', orders: 1, gross: '128.00', refunds: '28.00', net: '100.00', customers: 1 },
      { channel: 'webform', currency: 'CNY', orders: 1, gross: '50.00', refunds: '0.00', net: '50.00', customers: 1 },
      { channel: 'webform', currency: 'USD', orders: 1, gross: '10.00', refunds: '0.00', net: '10.00', customers: 1 },
    ],
    series: [
      { ...bucket('2026-03-01'), currency: 'CNY', orders: 2, gross: '178.00', refunds: '0.00', net: '178.00' },
      { ...bucket('2026-03-01'), currency: 'USD', orders: 1, gross: '10.00', refunds: '0.00', net: '10.00' },
      { ...bucket('2026-03-02'), currency: 'CNY', orders: 0, gross: '0.00', refunds: '28.00', net: '-28.00' },
      { ...bucket('2026-03-02'), currency: 'USD', orders: 0, gross: '0.00', refunds: '0.00', net: '0.00' },
    ],
  };

  it('never adds currencies: one currency per chart, the biggest first', () => {
    expect(revenueCurrencies(r)).toEqual(['CNY', 'USD']);
    const option = revenueChart(r, 'CNY', ctx());
    expect((option.series as { name: string; data: number[] }[]).map((s) => [s.name, s.data])).toEqual([
      ['reports.series.gross', [178, 0]],
      ['reports.series.refunds', [0, -28]],
      ['reports.series.net', [178, -28]],
    ]);
    expect(chartTable(option, ctx().fmt).rows).toEqual([
      ['Mar 1', '¥178.00', '¥0.00', '¥178.00'],
      ['Mar 2', '¥0.00', '-¥28.00', '-¥28.00'],
    ]);
    expect(revenueKpis(r, 'CNY', ctx()).map((k) => k.value)).toEqual(['¥150.00', '¥178.00', '¥28.00', '2']);
    expect(revenueKpis(r, 'CNY', ctx())[3]!.hint).toBe('reports.kpi.buyers:2');
  });
});

describe('funnel', () => {
  it('keeps the steps in their order with translated names', () => {
    const r: FunnelReport = {
      report: 'funnel',
      filters,
      generatedAt: '',
      stages: [],
      steps: [
        { stage: 'lead', customers: 3, rateFromPrevious: null },
        { stage: 'mql', customers: 0, rateFromPrevious: 0 },
        { stage: 'sql', customers: 0, rateFromPrevious: null },
        { stage: 'customer', customers: 1, rateFromPrevious: null },
      ],
      transitions: [],
      series: [],
    };
    const option = funnelChart(r, ctx());
    expect(option.yAxis).toMatchObject({ type: 'category', inverse: true, data: ['reports.stage.lead', 'reports.stage.mql', 'reports.stage.sql', 'reports.stage.customer'] });
    const [offset, bars] = option.series as { data: (number | { value: number })[] }[];
    // Each bar centred: half the gap to the widest on its left.
    expect(offset!.data).toEqual([0, 1.5, 1.5, 1]);
    expect(bars!.data.map((d) => (d as { value: number }).value)).toEqual([3, 0, 0, 1]);
    expect(chartTable(option, ctx().fmt)).toEqual({
      columns: ['', 'reports.series.customers'],
      rows: [
        ['reports.stage.lead', '3'],
        ['reports.stage.mql', '0'],
        ['reports.stage.sql', '0'],
        ['reports.stage.customer', '1'],
      ],
    });
  });
});
