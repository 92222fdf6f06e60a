import type { DataSource } from 'typeorm';
import { conversionSql } from './conversion.report.js';
import { firstContactSql } from './first-contact.report.js';
import { funnelSql } from './funnel.report.js';
import { leadsSql } from './leads.report.js';
import { lifecycleSql } from './lifecycle.report.js';
import { revenueSql } from './revenue.report.js';
import { describeFilters, parseReportFilters, type ReportFilters, type ReportQuery } from './report-filters.js';
import { jsonRows, UNKNOWN_CHANNEL } from './report-sql.util.js';
import type { ChannelList, ConversionReport, FirstContactReport, FunnelReport, LeadsReport, LifecycleReport, Report, ReportName, RevenueReport } from './report.types.js';

export interface CustomerReportsOptions {
  /** The clock (the default period ends now); tests pin it. */
  now?: () => Date;
  /** A report is cancelled after this long (default 30 s). */
  statementTimeoutMs?: number;
  /** Memory per sort or hash of a report (default 128MB): the larger reports sort in memory. */
  workMem?: string;
}

type Built = { sql: string; params: unknown[] };

/** What each report is, for GET /api/reports. */
export const REPORTS: Record<ReportName, { title: string; description: string; build: (f: ReportFilters) => Built }> = {
  leads: {
    title: 'Leads per channel and campaign',
    description: 'New customers in the period by first channel and campaign (campaign_id, utm_campaign, campaign, campaign_name), in total and per bucket.',
    build: leadsSql,
  },
  conversion: {
    title: 'Lead to customer conversion per channel',
    description: 'Of the customers created in the period, how many reached the stage customer (now or by a stage_changed event), and the median days it took.',
    build: conversionSql,
  },
  'first-contact': {
    title: 'Time to first contact',
    description: 'Hours from assignment (else creation) to the first task_completed, contacted or owner_contacted event: median and 90th percentile per channel, owner and bucket.',
    build: firstContactSql,
  },
  revenue: {
    title: 'Revenue per channel',
    description: 'Paid orders and purchases (pos_purchase, order_paid, order_placed) less refunds and cancellations, per first channel and currency, each order once.',
    build: revenueSql,
  },
  funnel: {
    title: 'Funnel by stage',
    description: 'Customers per stage now, and how many moved lead → mql → sql → customer in the period.',
    build: funnelSql,
  },
  lifecycle: {
    title: 'New, active, dormant and churned customers',
    description: 'Per bucket: customers created, customers with an interaction, dormant (no interaction in 90 days) and churned (churned or churn_risk) at its end.',
    build: lifecycleSql,
  },
};

export const REPORT_NAMES = Object.keys(REPORTS) as ReportName[];

/**
 * The reports over live customers and their timeline. Each is one SQL statement (CTEs,
 * date_trunc buckets, generate_series, percentile_cont) run in a read-only transaction;
 * nothing is aggregated in Node. Filters are validated first: CustomerStoreError
 * `invalid_query` names the bad one.
 */
export class CustomerReports {
  private readonly now: () => Date;
  private readonly statementTimeoutMs: number;
  private readonly workMem: string;

  constructor(
    private readonly ds: DataSource,
    options: CustomerReportsOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
    this.workMem = options.workMem ?? '128MB';
  }

  leads(query?: ReportQuery): Promise<LeadsReport> {
    return this.run('leads', query) as Promise<LeadsReport>;
  }
  conversion(query?: ReportQuery): Promise<ConversionReport> {
    return this.run('conversion', query) as Promise<ConversionReport>;
  }
  firstContact(query?: ReportQuery): Promise<FirstContactReport> {
    return this.run('first-contact', query) as Promise<FirstContactReport>;
  }
  revenue(query?: ReportQuery): Promise<RevenueReport> {
    return this.run('revenue', query) as Promise<RevenueReport>;
  }
  funnel(query?: ReportQuery): Promise<FunnelReport> {
    return this.run('funnel', query) as Promise<FunnelReport>;
  }
  lifecycle(query?: ReportQuery): Promise<LifecycleReport> {
    return this.run('lifecycle', query) as Promise<LifecycleReport>;
  }

  /**
   * Every first channel of the live customers, with how many they are (most first): what the
   * channel filter offers, whatever the period. `unknown` stands for customers without one.
   */
  async channels(): Promise<ChannelList> {
    const sql = `SELECT json_build_object('items', ${jsonRows(
      `json_build_object('channel', channel, 'customers', n)`,
      `(SELECT COALESCE(first_channel, '${UNKNOWN_CHANNEL}') AS channel, count(*)::int AS n
          FROM customers WHERE merged_into IS NULL AND erased_at IS NULL GROUP BY 1) x`,
      'n DESC, channel',
    )}) AS report`;
    return { ...(await this.readOnly(sql, [])), generatedAt: this.now().toISOString() } as ChannelList;
  }

  /** Any report by name (unknown names are the caller's 404). */
  async run(name: ReportName, query?: ReportQuery): Promise<Report> {
    const now = this.now();
    const filters = parseReportFilters(query, now);
    const { sql, params } = REPORTS[name].build(filters);
    const body = await this.readOnly(sql, params);
    return { report: name, filters: describeFilters(filters), generatedAt: now.toISOString(), ...body } as Report;
  }

  /** The SQL and parameters of a report, for EXPLAIN in benchmarks and tests. */
  statement(name: ReportName, query?: ReportQuery): Built {
    return REPORTS[name].build(parseReportFilters(query, this.now()));
  }

  private async readOnly(sql: string, params: unknown[]): Promise<Record<string, unknown>> {
    const q = this.ds.createQueryRunner();
    await q.connect();
    try {
      // One snapshot for the whole report; settings local to it. JIT compiles for longer than these queries run.
      await q.query(
        `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL statement_timeout = ${Math.max(1, Math.floor(this.statementTimeoutMs))}; ` +
          `SET LOCAL work_mem = '${this.workMem.replace(/[^0-9A-Za-z]/g, '')}'; SET LOCAL jit = off`,
      );
      const [row]: { report: Record<string, unknown> }[] = await q.query(sql, params);
      await q.query('COMMIT');
      return row!.report;
    } catch (err) {
      await q.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      await q.release();
    }
  }
}
