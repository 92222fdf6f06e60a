import { isPlainObject, type PollContext, type PollTrigger } from '@tributary/node-sdk';
import { windowOptions, type LeadPollConfig } from './config-fields.schema.js';
import { backfillLeadCursor, initialLeadCursor, leadCursorSchema, pollLeadWindow, type LeadCursor, type PolledLead, type WindowPage, type WindowRequest } from './window-poll.util.js';

// What the lead pollers of the ad platforms (Ocean Engine, Baidu, Tencent) share: they differ
// only in how one page of one window is fetched and how a row becomes a lead.

/** The window settings of a sample config, the same as the schema defaults. */
export const LEAD_POLL_SAMPLE = {
  intervalSeconds: 120,
  overlapMinutes: 10,
  maxWindowHours: 24,
  initialLookbackHours: 24,
  pageSize: 100,
  requestsPerMinute: 60,
  allowPrivateNetwork: false,
} as const;

/**
 * The `trigger` block of a lead poller: overlapping creation-time windows (see pollLeadWindow),
 * a first poll `initialLookbackHours` back, and backfill from a date. `parts`: how many queries
 * cover one window (Baidu asks once per lead type).
 */
export function leadPollTrigger<C extends LeadPollConfig>(
  fetchPage: (ctx: PollContext<C>, req: WindowRequest) => Promise<WindowPage>,
  parts: (config: C) => number = () => 1,
): PollTrigger<C, LeadCursor> {
  return {
    kind: 'poll',
    intervalSeconds: LEAD_POLL_SAMPLE.intervalSeconds,
    cursorSchema: leadCursorSchema,
    initialCursor: (ctx) => initialLeadCursor(ctx.now(), ctx.config.initialLookbackHours * 3600),
    backfillCursor: (from) => backfillLeadCursor(from),
    poll: (ctx, cursor) => pollLeadWindow(cursor, ctx.now(), windowOptions(ctx.config, parts(ctx.config)), (req) => fetchPage(ctx, req)),
  };
}

/** The rows of a vendor page as leads; a row the mapper cannot identify is skipped with a warning. */
export function leadsOf(rows: unknown, map: (row: Record<string, unknown>) => PolledLead | undefined, ctx: PollContext<LeadPollConfig>, skipped: string): PolledLead[] {
  const leads: PolledLead[] = [];
  for (const row of Array.isArray(rows) ? rows : []) {
    const lead = isPlainObject(row) ? map(row) : undefined;
    if (lead) leads.push(lead);
    else ctx.log.warn(skipped, { node: ctx.node.id });
  }
  return leads;
}
