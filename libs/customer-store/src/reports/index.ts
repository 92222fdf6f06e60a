export { CustomerReports, REPORTS, REPORT_NAMES, type CustomerReportsOptions } from './customer-reports.service.js';
export { parseReportFilters, describeFilters, REPORT_FILTER_NAMES, type ReportFilters, type ReportInterval, type ReportQuery } from './report-filters.js';
export type * from './report.types.js';
