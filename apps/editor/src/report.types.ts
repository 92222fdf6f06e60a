// The answers of GET /api/reports/* (docs/api.md#reports) are the server's own types, imported
// for their shape only: a change on the server that the console does not follow fails its build.
export type {
  ChannelList,
  ConversionReport,
  ConversionStats,
  FirstContactReport,
  FirstContactStats,
  FunnelReport,
  LeadsReport,
  LifecycleReport,
  Report,
  ReportBucket,
  ReportInterval,
  ReportName,
  RevenueFigures,
  RevenueReport,
} from '@tributary/customer-store';
