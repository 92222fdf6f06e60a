import type { ReportInterval } from './report-filters.js';

/** The filters a report was computed with, echoed at its top. */
export interface ReportFilterEcho {
  from: string;
  to: string;
  tz: string;
  interval: ReportInterval;
  channels: string[] | null;
  owners: string[] | null;
}

/** One time bucket: `period` is its local date in the report's zone, `start` its first instant (UTC). */
export interface ReportBucket {
  period: string;
  start: string;
}

interface ReportBase<Name extends string> {
  report: Name;
  filters: ReportFilterEcho;
  /** When it was computed, ISO 8601 UTC. */
  generatedAt: string;
}

// Leads --------------------------------------------------------------------------------------

export interface LeadsReport extends ReportBase<'leads'> {
  totals: { leads: number };
  byChannel: { channel: string; leads: number }[];
  /** `campaign` is campaign_id, else utm_campaign, else campaign, else campaign_name (null: none). */
  byCampaign: { channel: string; campaign: string | null; campaignName: string | null; leads: number }[];
  series: (ReportBucket & { leads: number; byChannel: Record<string, number> })[];
}

// Conversion ---------------------------------------------------------------------------------

export interface ConversionStats {
  /** Customers created in the period (the cohort). */
  leads: number;
  /** Of them, how many have reached the stage `customer` (by now). */
  converted: number;
  /** converted / leads, 4 decimals; null without leads. */
  rate: number | null;
  /** Median days from creation to conversion; null when none converted. */
  medianDaysToConvert: number | null;
}

export interface ConversionReport extends ReportBase<'conversion'> {
  totals: ConversionStats;
  byChannel: (ConversionStats & { channel: string })[];
  series: (ReportBucket & ConversionStats)[];
}

// First contact ------------------------------------------------------------------------------

export interface FirstContactStats {
  /** Customers created in the period. */
  customers: number;
  contacted: number;
  uncontacted: number;
  /** From assignment (or creation) to the first contact, of those contacted; null when none. */
  medianHours: number | null;
  p90Hours: number | null;
}

export interface FirstContactReport extends ReportBase<'first-contact'> {
  totals: FirstContactStats;
  byChannel: (FirstContactStats & { channel: string })[];
  /** ownerId null: customers without an owner. */
  byOwner: (FirstContactStats & { ownerId: string | null; ownerName: string | null })[];
  series: (ReportBucket & FirstContactStats)[];
}

// Revenue ------------------------------------------------------------------------------------

/** Amounts are decimal strings, summed as numeric in SQL; never mixed across currencies. */
export interface RevenueFigures {
  /** null: the events named no currency. */
  currency: string | null;
  /** Orders (or purchases) counted in the period. */
  orders: number;
  gross: string;
  /** Refunds and cancellations recorded in the period. */
  refunds: string;
  net: string;
}

export interface RevenueReport extends ReportBase<'revenue'> {
  totals: RevenueFigures[];
  byChannel: (RevenueFigures & { channel: string; customers: number })[];
  series: (ReportBucket & RevenueFigures)[];
}

// Funnel -------------------------------------------------------------------------------------

export interface FunnelReport extends ReportBase<'funnel'> {
  /** Live customers per stage now (the period does not apply). */
  stages: { stage: string; customers: number }[];
  /**
   * The path lead → mql → sql → customer in the period: `lead` counts the customers created,
   * the others the customers who moved into the stage; rate is against the step before.
   */
  steps: { stage: string; customers: number; rateFromPrevious: number | null }[];
  /** Every stage move in the period: distinct customers per (from, to). */
  transitions: { from: string | null; to: string; customers: number }[];
  series: (ReportBucket & { lead: number; mql: number; sql: number; customer: number })[];
}

// Lifecycle ----------------------------------------------------------------------------------

export interface LifecycleReport extends ReportBase<'lifecycle'> {
  totals: {
    /** Customers created in the period. */
    new: number;
    /** Customers with an interaction in the period. */
    active: number;
    /** Customers who moved into churned / churn_risk in the period. */
    becameChurned: number;
    /** At the end of the period. */
    dormant: number;
    churned: number;
  };
  /** new / active / becameChurned within each bucket; dormant / churned at its end. */
  series: (ReportBucket & { new: number; active: number; becameChurned: number; dormant: number; churned: number })[];
}

// Channels -----------------------------------------------------------------------------------

/** The first channels of the live customers (what the channel filter offers), most customers first. */
export interface ChannelList {
  items: { channel: string; customers: number }[];
  generatedAt: string;
}

export type Report = LeadsReport | ConversionReport | FirstContactReport | RevenueReport | FunnelReport | LifecycleReport;
export type ReportName = Report['report'];
