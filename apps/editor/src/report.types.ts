// The answers of GET /api/reports/* as the console reads them (docs/api.md#reports; the
// server's types are libs/customer-store/src/reports/report.types.ts).

export type ReportName = 'leads' | 'conversion' | 'first-contact' | 'revenue' | 'funnel' | 'lifecycle';
export type ReportInterval = 'day' | 'week' | 'month';

export interface ReportBucket {
  /** The bucket's local date (YYYY-MM-DD) in the report's zone. */
  period: string;
  start: string;
}

interface ReportBase<Name extends ReportName> {
  report: Name;
  filters: { from: string; to: string; tz: string; interval: ReportInterval; channels: string[] | null; owners: string[] | null };
  generatedAt: string;
}

export interface LeadsReport extends ReportBase<'leads'> {
  totals: { leads: number };
  byChannel: { channel: string; leads: number }[];
  byCampaign: { channel: string; campaign: string | null; campaignName: string | null; leads: number }[];
  series: (ReportBucket & { leads: number; byChannel: Record<string, number> })[];
}

export interface ConversionStats {
  leads: number;
  converted: number;
  rate: number | null;
  medianDaysToConvert: number | null;
}
export interface ConversionReport extends ReportBase<'conversion'> {
  totals: ConversionStats;
  byChannel: (ConversionStats & { channel: string })[];
  series: (ReportBucket & ConversionStats)[];
}

export interface FirstContactStats {
  customers: number;
  contacted: number;
  uncontacted: number;
  medianHours: number | null;
  p90Hours: number | null;
}
export interface FirstContactReport extends ReportBase<'first-contact'> {
  totals: FirstContactStats;
  byChannel: (FirstContactStats & { channel: string })[];
  byOwner: (FirstContactStats & { ownerId: string | null; ownerName: string | null })[];
  series: (ReportBucket & FirstContactStats)[];
}

/** Amounts are decimal strings; currencies are never added together. */
export interface RevenueFigures {
  currency: string | null;
  orders: number;
  gross: string;
  refunds: string;
  net: string;
}
export interface RevenueReport extends ReportBase<'revenue'> {
  totals: RevenueFigures[];
  byChannel: (RevenueFigures & { channel: string; customers: number })[];
  /** One entry per bucket and currency (a bucket without sales has one with currency null). */
  series: (ReportBucket & RevenueFigures)[];
}

export interface FunnelReport extends ReportBase<'funnel'> {
  stages: { stage: string; customers: number }[];
  steps: { stage: string; customers: number; rateFromPrevious: number | null }[];
  transitions: { from: string | null; to: string; customers: number }[];
  series: (ReportBucket & { lead: number; mql: number; sql: number; customer: number })[];
}

export interface LifecycleCounts {
  new: number;
  active: number;
  becameChurned: number;
  dormant: number;
  churned: number;
}
export interface LifecycleReport extends ReportBase<'lifecycle'> {
  totals: LifecycleCounts;
  series: (ReportBucket & LifecycleCounts)[];
}

export type Report = LeadsReport | ConversionReport | FirstContactReport | RevenueReport | FunnelReport | LifecycleReport;

/** GET /api/reports/channels: what the channel filter offers. */
export interface ChannelList {
  items: { channel: string; customers: number }[];
}
