import { applyDecorators, Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CustomerReports, REPORT_FILTER_NAMES, REPORT_NAMES, REPORTS, type ReportName, type ReportQuery } from '@tributary/customer-store';
import type { Runtime } from '@tributary/runtime';
import { RUNTIME } from '../common/tokens.js';

const FILTER_DOCS: Record<(typeof REPORT_FILTER_NAMES)[number], string> = {
  from: 'Start of the period: an ISO date (2026-03-01, midnight in `tz`) or a time with a zone. Default: 30 days before `to`.',
  to: 'End of the period: an ISO date (that day included) or a time with a zone (excluded). Default: now.',
  tz: 'IANA time zone of the buckets and of date-only bounds, e.g. Asia/Shanghai. Default: UTC.',
  interval: 'Bucket of the series: day (default), week (from Monday) or month.',
  channel: 'First channel(s) to keep, repeated or comma-separated; `unknown` = customers without one.',
  owner: 'Owner id(s) to keep, repeated or comma-separated; `none` = unassigned customers.',
};

/** The filters every report takes, in the OpenAPI document. */
const ReportFilters = () => applyDecorators(...REPORT_FILTER_NAMES.map((name) => ApiQuery({ name, required: false, description: FILTER_DOCS[name] })));
const Report = (name: ReportName) => applyDecorators(Get(name), ApiOperation({ summary: REPORTS[name].title, description: REPORTS[name].description }), ReportFilters());

/**
 * Channel reports over live customers, computed in SQL at each request. A bad filter is a
 * 400 `invalid_query` whose details name it.
 */
@ApiTags('reports')
@Controller('api/reports')
export class ReportsController {
  private readonly reports: CustomerReports;

  constructor(@Inject(RUNTIME) rt: Runtime) {
    this.reports = new CustomerReports(rt.ds);
  }

  @Get()
  @ApiOperation({ summary: 'The reports and the filters they take' })
  list() {
    return {
      items: REPORT_NAMES.map((name) => ({ name, path: `/api/reports/${name}`, title: REPORTS[name].title, description: REPORTS[name].description })),
      filters: FILTER_DOCS,
    };
  }

  // Not a report (takes no filter): the choices of the channel filter, whatever the period.
  @Get('channels')
  @ApiOperation({ summary: 'The first channels of live customers, with their customer counts (the channel filter’s choices)' })
  channels() {
    return this.reports.channels();
  }

  @Report('leads')
  leads(@Query() query: ReportQuery) {
    return this.reports.run('leads', query);
  }

  @Report('conversion')
  conversion(@Query() query: ReportQuery) {
    return this.reports.run('conversion', query);
  }

  @Report('first-contact')
  firstContact(@Query() query: ReportQuery) {
    return this.reports.run('first-contact', query);
  }

  @Report('revenue')
  revenue(@Query() query: ReportQuery) {
    return this.reports.run('revenue', query);
  }

  @Report('funnel')
  funnel(@Query() query: ReportQuery) {
    return this.reports.run('funnel', query);
  }

  @Report('lifecycle')
  lifecycle(@Query() query: ReportQuery) {
    return this.reports.run('lifecycle', query);
  }
}
