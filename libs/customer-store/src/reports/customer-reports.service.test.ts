import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../../test/support/services.js';
import { openStoreDataSource } from '../__fixtures__/store-data-source.js';
import { CustomerStoreError } from '../customer-store.errors.js';
import { CustomerReports } from './customer-reports.service.js';
import { seedReportDataset } from './__fixtures__/report-dataset.fixture.js';

// March 2026, by week (weeks start on Monday: the 1st is a Sunday, so the first bucket is
// the week of 23 February, cut at the 1st).
const MARCH = { from: '2026-03-01', to: '2026-03-31', interval: 'week' };
const WEEKS = ['2026-02-23', '2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30'];

describe('CustomerReports', () => {
  let ds: DataSource;
  let reports: CustomerReports;

  beforeAll(async () => {
    ds = await openStoreDataSource(await createTestDatabase('cs_reports'));
    await seedReportDataset(ds);
    reports = new CustomerReports(ds, { now: () => new Date('2026-04-10T00:00:00Z') });
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  it('echoes its filters', async () => {
    const r = await reports.leads({ ...MARCH, channel: 'webform,wecom', owner: 'o1' });
    expect(r.report).toBe('leads');
    expect(r.filters).toEqual({ from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z', tz: 'UTC', interval: 'week', channels: ['webform', 'wecom'], owners: ['o1'] });
    expect(r.generatedAt).toBe('2026-04-10T00:00:00.000Z');
  });

  it('lists the first channels of live customers, most customers first', async () => {
    const r = await reports.channels();
    // Merged-away and erased customers are not counted; no first channel is `unknown`.
    expect(r.items).toEqual([
      { channel: 'webform', customers: 3 },
      { channel: 'pos', customers: 2 },
      { channel: 'meta_leads', customers: 1 },
      { channel: 'unknown', customers: 1 },
      { channel: 'wecom', customers: 1 },
    ]);
    expect(r.generatedAt).toBe('2026-04-10T00:00:00.000Z');
  });

  describe('leads', () => {
    it('counts live customers created in the period by channel, campaign and week', async () => {
      const r = await reports.leads(MARCH);
      expect(r.totals).toEqual({ leads: 5 });
      expect(r.byChannel).toEqual([
        { channel: 'webform', leads: 2 },
        { channel: 'meta_leads', leads: 1 },
        { channel: 'unknown', leads: 1 },
        { channel: 'wecom', leads: 1 },
      ]);
      expect(r.byCampaign).toEqual([
        { channel: 'webform', campaign: 'spring', campaignName: 'spring', leads: 2 },
        { channel: 'meta_leads', campaign: '2385', campaignName: 'Spring leads', leads: 1 },
        { channel: 'unknown', campaign: null, campaignName: null, leads: 1 },
        { channel: 'wecom', campaign: null, campaignName: null, leads: 1 },
      ]);
      expect(r.series).toEqual([
        { period: '2026-02-23', start: '2026-02-23T00:00:00.000Z', leads: 0, byChannel: {} },
        { period: '2026-03-02', start: '2026-03-02T00:00:00.000Z', leads: 2, byChannel: { webform: 2 } },
        { period: '2026-03-09', start: '2026-03-09T00:00:00.000Z', leads: 1, byChannel: { meta_leads: 1 } },
        { period: '2026-03-16', start: '2026-03-16T00:00:00.000Z', leads: 2, byChannel: { unknown: 1, wecom: 1 } },
        { period: '2026-03-23', start: '2026-03-23T00:00:00.000Z', leads: 0, byChannel: {} },
        { period: '2026-03-30', start: '2026-03-30T00:00:00.000Z', leads: 0, byChannel: {} },
      ]);
    });

    it('filters by channel (unknown: none recorded) and owner (none: unassigned)', async () => {
      expect((await reports.leads({ ...MARCH, channel: 'webform' })).totals.leads).toBe(2);
      expect((await reports.leads({ ...MARCH, channel: ['unknown', 'wecom'] })).byChannel).toEqual([
        { channel: 'unknown', leads: 1 },
        { channel: 'wecom', leads: 1 },
      ]);
      expect((await reports.leads({ ...MARCH, owner: 'o1' })).totals.leads).toBe(3);
      expect((await reports.leads({ ...MARCH, owner: 'none' })).byChannel).toEqual([{ channel: 'wecom', leads: 1 }]);
      expect((await reports.leads({ ...MARCH, owner: 'o2,none' })).totals.leads).toBe(2);
      expect((await reports.leads({ ...MARCH, channel: 'nowhere' })).totals.leads).toBe(0);
    });

    it('buckets days in the report time zone', async () => {
      const utc = await reports.leads({ from: '2026-03-02', to: '2026-03-03', interval: 'day' });
      expect(utc.series.map((s) => [s.period, s.leads])).toEqual([['2026-03-02', 2], ['2026-03-03', 0]]);
      // 09:00Z is 17:00 in Shanghai; 17:00Z is 01:00 the next day.
      const shanghai = await reports.leads({ from: '2026-03-02', to: '2026-03-03', interval: 'day', tz: 'Asia/Shanghai' });
      expect(shanghai.series).toEqual([
        { period: '2026-03-02', start: '2026-03-01T16:00:00.000Z', leads: 1, byChannel: { webform: 1 } },
        { period: '2026-03-03', start: '2026-03-02T16:00:00.000Z', leads: 1, byChannel: { webform: 1 } },
      ]);
    });
  });

  describe('conversion', () => {
    it('converts by a stage event or by the stage alone, per channel and week', async () => {
      const r = await reports.conversion(MARCH);
      // c1 after 7.625 days (event), c3 after 6 (event; churned since), c8 after 2 (stage only).
      expect(r.totals).toEqual({ leads: 5, converted: 3, rate: 0.6, medianDaysToConvert: 6 });
      expect(r.byChannel).toEqual([
        { channel: 'webform', leads: 2, converted: 1, rate: 0.5, medianDaysToConvert: 7.63 },
        { channel: 'meta_leads', leads: 1, converted: 1, rate: 1, medianDaysToConvert: 6 },
        { channel: 'unknown', leads: 1, converted: 1, rate: 1, medianDaysToConvert: 2 },
        { channel: 'wecom', leads: 1, converted: 0, rate: 0, medianDaysToConvert: null },
      ]);
      expect(r.series.map(({ period, start: _s, ...s }) => ({ period, ...s }))).toEqual([
        { period: WEEKS[0], leads: 0, converted: 0, rate: null, medianDaysToConvert: null },
        { period: WEEKS[1], leads: 2, converted: 1, rate: 0.5, medianDaysToConvert: 7.63 },
        { period: WEEKS[2], leads: 1, converted: 1, rate: 1, medianDaysToConvert: 6 },
        { period: WEEKS[3], leads: 2, converted: 1, rate: 0.5, medianDaysToConvert: 2 },
        { period: WEEKS[4], leads: 0, converted: 0, rate: null, medianDaysToConvert: null },
        { period: WEEKS[5], leads: 0, converted: 0, rate: null, medianDaysToConvert: null },
      ]);
    });

    it('filters by owner', async () => {
      expect((await reports.conversion({ ...MARCH, owner: 'o1' })).totals).toEqual({ leads: 3, converted: 3, rate: 1, medianDaysToConvert: 6 });
    });
  });

  describe('first contact', () => {
    it('measures hours from assignment (else creation) to the first contact after it', async () => {
      const r = await reports.firstContact(MARCH);
      // c1 2 h, c2 24 h, c3 6 h (a contact before the assignment does not count), c8 24 h from creation; c4 never.
      expect(r.totals).toEqual({ customers: 5, contacted: 4, uncontacted: 1, medianHours: 15, p90Hours: 24 });
      expect(r.byChannel).toEqual([
        { channel: 'webform', customers: 2, contacted: 2, uncontacted: 0, medianHours: 13, p90Hours: 21.8 },
        { channel: 'meta_leads', customers: 1, contacted: 1, uncontacted: 0, medianHours: 6, p90Hours: 6 },
        { channel: 'unknown', customers: 1, contacted: 1, uncontacted: 0, medianHours: 24, p90Hours: 24 },
        { channel: 'wecom', customers: 1, contacted: 0, uncontacted: 1, medianHours: null, p90Hours: null },
      ]);
      expect(r.byOwner).toEqual([
        { ownerId: 'o1', ownerName: '王芳', customers: 3, contacted: 3, uncontacted: 0, medianHours: 6, p90Hours: 20.4 },
        { ownerId: 'o2', ownerName: '李强', customers: 1, contacted: 1, uncontacted: 0, medianHours: 24, p90Hours: 24 },
        { ownerId: null, ownerName: null, customers: 1, contacted: 0, uncontacted: 1, medianHours: null, p90Hours: null },
      ]);
      expect(r.series.map((s) => [s.period, s.customers, s.contacted, s.medianHours, s.p90Hours])).toEqual([
        [WEEKS[0], 0, 0, null, null],
        [WEEKS[1], 2, 2, 13, 21.8],
        [WEEKS[2], 1, 1, 6, 6],
        [WEEKS[3], 2, 1, 24, 24],
        [WEEKS[4], 0, 0, null, null],
        [WEEKS[5], 0, 0, null, null],
      ]);
    });

    it('filters by channel', async () => {
      const r = await reports.firstContact({ ...MARCH, channel: 'wecom' });
      expect(r.totals).toEqual({ customers: 1, contacted: 0, uncontacted: 1, medianHours: null, p90Hours: null });
      expect(r.byOwner).toEqual([{ ownerId: null, ownerName: null, customers: 1, contacted: 0, uncontacted: 1, medianHours: null, p90Hours: null }]);
    });
  });

  describe('revenue', () => {
    it('counts each order once, subtracts refunds and cancellations, per channel and currency', async () => {
      const r = await reports.revenue({ ...MARCH, interval: 'month' });
      // CNY: 100 (c1) + 50.5 (c3) + 200 and 80 (c5) + 25 (c10); back: 30 + 70 (c1), 40 (c5, paid in February).
      expect(r.totals).toEqual([
        { currency: 'CNY', orders: 5, gross: '455.50', refunds: '140.00', net: '315.50' },
        { currency: 'USD', orders: 1, gross: '15.00', refunds: '0.00', net: '15.00' },
      ]);
      expect(r.byChannel).toEqual([
        { channel: 'webform', currency: 'CNY', orders: 3, gross: '380.00', refunds: '140.00', net: '240.00', customers: 2 },
        { channel: 'meta_leads', currency: 'CNY', orders: 1, gross: '50.50', refunds: '0.00', net: '50.50', customers: 1 },
        { channel: 'pos', currency: 'CNY', orders: 1, gross: '25.00', refunds: '0.00', net: '25.00', customers: 1 },
        { channel: 'webform', currency: 'USD', orders: 1, gross: '15.00', refunds: '0.00', net: '15.00', customers: 1 },
      ]);
      expect(r.series).toEqual([
        { period: '2026-03-01', start: '2026-03-01T00:00:00.000Z', currency: 'CNY', orders: 5, gross: '455.50', refunds: '140.00', net: '315.50' },
        { period: '2026-03-01', start: '2026-03-01T00:00:00.000Z', currency: 'USD', orders: 1, gross: '15.00', refunds: '0.00', net: '15.00' },
      ]);
    });

    it('puts each sale and reversal in its own week', async () => {
      const r = await reports.revenue({ ...MARCH, channel: 'webform' });
      const cny = r.series.filter((s) => s.currency === 'CNY').map((s) => [s.period, s.orders, s.gross, s.refunds]);
      expect(cny).toEqual([
        [WEEKS[0], 0, '0.00', '0.00'],
        [WEEKS[1], 2, '280.00', '40.00'],
        [WEEKS[2], 1, '100.00', '0.00'],
        [WEEKS[3], 0, '0.00', '30.00'],
        [WEEKS[4], 0, '0.00', '70.00'],
        [WEEKS[5], 0, '0.00', '0.00'],
      ]);
    });

    it('answers an empty period with zero buckets', async () => {
      const r = await reports.revenue({ from: '2024-01-01', to: '2024-01-02' });
      expect(r.totals).toEqual([]);
      expect(r.byChannel).toEqual([]);
      expect(r.series).toEqual([
        { period: '2024-01-01', start: '2024-01-01T00:00:00.000Z', currency: null, orders: 0, gross: '0.00', refunds: '0.00', net: '0.00' },
        { period: '2024-01-02', start: '2024-01-02T00:00:00.000Z', currency: null, orders: 0, gross: '0.00', refunds: '0.00', net: '0.00' },
      ]);
    });
  });

  describe('funnel', () => {
    it('counts stages now and the moves of the period', async () => {
      const r = await reports.funnel(MARCH);
      expect(r.stages).toEqual([
        { stage: 'lead', customers: 2 },
        { stage: 'mql', customers: 1 },
        { stage: 'customer', customers: 3 },
        { stage: 'churn_risk', customers: 1 },
        { stage: 'churned', customers: 1 },
      ]);
      expect(r.steps).toEqual([
        { stage: 'lead', customers: 5, rateFromPrevious: null },
        { stage: 'mql', customers: 2, rateFromPrevious: 0.4 },
        { stage: 'sql', customers: 1, rateFromPrevious: 0.5 },
        { stage: 'customer', customers: 2, rateFromPrevious: 2 },
      ]);
      expect(r.transitions).toEqual([
        { from: 'lead', to: 'mql', customers: 2 },
        { from: 'lead', to: 'customer', customers: 1 },
        { from: 'mql', to: 'sql', customers: 1 },
        { from: 'sql', to: 'customer', customers: 1 },
        { from: 'customer', to: 'churned', customers: 1 },
      ]);
      expect(r.series.map(({ start: _s, ...s }) => s)).toEqual([
        { period: WEEKS[0], lead: 0, mql: 0, sql: 0, customer: 0 },
        { period: WEEKS[1], lead: 2, mql: 2, sql: 1, customer: 0 },
        { period: WEEKS[2], lead: 1, mql: 0, sql: 0, customer: 2 },
        { period: WEEKS[3], lead: 2, mql: 0, sql: 0, customer: 0 },
        { period: WEEKS[4], lead: 0, mql: 0, sql: 0, customer: 0 },
        { period: WEEKS[5], lead: 0, mql: 0, sql: 0, customer: 0 },
      ]);
    });

    it('filters by channel', async () => {
      const r = await reports.funnel({ ...MARCH, channel: 'pos' });
      expect(r.stages).toEqual([
        { stage: 'lead', customers: 1 },
        { stage: 'churn_risk', customers: 1 },
      ]);
      expect(r.steps.map((s) => s.customers)).toEqual([0, 0, 0, 0]);
      expect(r.transitions).toEqual([]);
    });
  });

  describe('lifecycle', () => {
    it('counts new, active, dormant and churned customers per week', async () => {
      const r = await reports.lifecycle(MARCH);
      // Dormant: c9 (nothing since October) throughout; c10 from 20 March (90 days after
      // December) until its purchase on the 25th. Churned: c9 (churn risk since February),
      // and c3 from the 25th.
      expect(r.series.map(({ start: _s, ...s }) => s)).toEqual([
        { period: WEEKS[0], new: 0, active: 0, becameChurned: 0, dormant: 1, churned: 1 },
        { period: WEEKS[1], new: 2, active: 3, becameChurned: 0, dormant: 1, churned: 1 },
        { period: WEEKS[2], new: 1, active: 3, becameChurned: 0, dormant: 1, churned: 1 },
        { period: WEEKS[3], new: 2, active: 5, becameChurned: 0, dormant: 2, churned: 1 },
        { period: WEEKS[4], new: 0, active: 2, becameChurned: 1, dormant: 1, churned: 2 },
        { period: WEEKS[5], new: 0, active: 0, becameChurned: 0, dormant: 1, churned: 2 },
      ]);
      expect(r.totals).toEqual({ new: 5, active: 7, becameChurned: 1, dormant: 1, churned: 2 });
    });

    it('follows dormancy across a period longer than 90 days', async () => {
      const r = await reports.lifecycle({ from: '2025-12-01', to: '2026-03-31', interval: 'month' });
      // c9 is dormant from 31 December; c10 (December) and c5 (January) stay awake; the March
      // customers, c4 included (its January message was imported, before it existed), join then.
      expect(r.series.map(({ start: _s, ...s }) => s)).toEqual([
        { period: '2025-12-01', new: 1, active: 1, becameChurned: 0, dormant: 1, churned: 0 },
        { period: '2026-01-01', new: 1, active: 1, becameChurned: 0, dormant: 1, churned: 0 },
        { period: '2026-02-01', new: 0, active: 1, becameChurned: 1, dormant: 1, churned: 1 },
        { period: '2026-03-01', new: 5, active: 7, becameChurned: 1, dormant: 1, churned: 2 },
      ]);
      expect(r.totals).toEqual({ new: 7, active: 7, becameChurned: 2, dormant: 1, churned: 2 });
    });

    it('filters by channel', async () => {
      const r = await reports.lifecycle({ ...MARCH, channel: 'pos' });
      expect(r.series.map((s) => [s.dormant, s.active, s.churned])).toEqual([
        [1, 0, 1],
        [1, 0, 1],
        [1, 0, 1],
        [2, 0, 1],
        [1, 1, 1],
        [1, 0, 1],
      ]);
    });
  });

  it('rejects bad filters before touching the database', async () => {
    await expect(reports.revenue({ from: 'last week' })).rejects.toThrow(CustomerStoreError);
    await expect(reports.funnel({ stage: 'mql' })).rejects.toMatchObject({ code: 'invalid_query', details: { filter: 'stage', value: 'mql' } });
  });

  it('gives every report the same SQL shape: one statement, parameters only for values', () => {
    for (const name of ['leads', 'conversion', 'first-contact', 'revenue', 'funnel', 'lifecycle'] as const) {
      const { sql, params } = reports.statement(name, { ...MARCH, channel: "x'; DROP TABLE customers; --" });
      expect(sql).not.toContain('DROP TABLE');
      expect(params).toContainEqual(["x'; DROP TABLE customers; --"]);
    }
  });
});
