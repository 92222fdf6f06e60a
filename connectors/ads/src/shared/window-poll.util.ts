import type { JsonSchema, TriggerEvent } from '@tributary/node-sdk';

/**
 * Where a lead poller stands. Everything created before `since` has been read; the next
 * window starts `overlap` earlier so that leads the vendor indexes late are still found.
 * A window being paged through is kept fixed until its last page, so new leads cannot
 * shift rows between pages.
 */
export interface LeadCursor {
  /** ISO instant up to which every window has been read completely. */
  since: string;
  /** The newest lead time seen, and the lead ids seen at exactly that time (their re-reads are skipped). */
  lastSeenAt?: string;
  lastSeenIds?: string[];
  /** The window in progress: its bounds, the next page, and (for vendors queried per lead type) the part. */
  window?: { start: string; end: string; page: number; part: number };
}

export const leadCursorSchema: JsonSchema = {
  type: 'object',
  required: ['since'],
  properties: {
    since: { type: 'string', format: 'date-time' },
    lastSeenAt: { type: 'string', format: 'date-time' },
    lastSeenIds: { type: 'array', items: { type: 'string' }, maxItems: 1000 },
    window: {
      type: 'object',
      required: ['start', 'end', 'page', 'part'],
      properties: {
        start: { type: 'string', format: 'date-time' },
        end: { type: 'string', format: 'date-time' },
        page: { type: 'integer', minimum: 1 },
        part: { type: 'integer', minimum: 0 },
      },
    },
  },
};

export interface WindowOptions {
  overlapSeconds: number;
  maxWindowSeconds: number;
  /** How many separate queries cover one window (Baidu asks per lead type); default 1. */
  parts?: number;
}

/** One lead read from the vendor: its id (the dedupe key), its creation time and the event for it. */
export interface PolledLead {
  id: string;
  at?: Date;
  event: TriggerEvent;
}

export interface WindowPage {
  leads: PolledLead[];
  hasNextPage: boolean;
}

export interface WindowRequest {
  start: Date;
  end: Date;
  page: number;
  part: number;
}

const MAX_LAST_SEEN_IDS = 1000;

/** The cursor of a new trigger: start `lookbackSeconds` before now. */
export function initialLeadCursor(now: Date, lookbackSeconds: number): LeadCursor {
  return { since: new Date(now.getTime() - lookbackSeconds * 1000).toISOString() };
}

/** The cursor that makes the next poll read again from `from`. */
export function backfillLeadCursor(from: Date): LeadCursor {
  return { since: from.toISOString() };
}

/**
 * One poll step over a time window: fetch the page the cursor points at, turn its leads into
 * events (one per lead id), and move the cursor. Windows overlap, so the same lead can come
 * back in a later window: it carries the same dedupe key and never makes a second run.
 */
export async function pollLeadWindow(
  cursor: LeadCursor,
  now: Date,
  opts: WindowOptions,
  fetchPage: (req: WindowRequest) => Promise<WindowPage>,
): Promise<{ events: TriggerEvent[]; next: LeadCursor; hasMore: boolean }> {
  const parts = Math.max(1, opts.parts ?? 1);
  const window = cursor.window ?? openWindow(cursor, now, opts);
  if (!window) return { events: [], next: cursor, hasMore: false };
  const req: WindowRequest = { start: new Date(window.start), end: new Date(window.end), page: window.page, part: window.part };
  const page = await fetchPage(req);

  let lastSeenAt = cursor.lastSeenAt;
  let lastSeenIds = new Set(cursor.lastSeenIds ?? []);
  const skip = new Set(cursor.lastSeenAt ? (cursor.lastSeenIds ?? []) : []);
  const events: TriggerEvent[] = [];
  const emitted = new Set<string>();
  for (const lead of page.leads) {
    const at = lead.at?.toISOString();
    if (at && (!lastSeenAt || at > lastSeenAt)) {
      lastSeenAt = at;
      lastSeenIds = new Set([lead.id]);
    } else if (at && at === lastSeenAt) lastSeenIds.add(lead.id);
    // Already delivered by the previous poll: the newest lead is read again every time.
    if (at && at === cursor.lastSeenAt && skip.has(lead.id)) continue;
    if (emitted.has(lead.id)) continue;
    emitted.add(lead.id);
    events.push(lead.event);
  }
  const seen = { ...(lastSeenAt ? { lastSeenAt, lastSeenIds: [...lastSeenIds].slice(-MAX_LAST_SEEN_IDS) } : {}) };

  if (page.hasNextPage) return { events, next: { since: cursor.since, ...seen, window: { ...window, page: window.page + 1 } }, hasMore: true };
  if (window.part + 1 < parts) return { events, next: { since: cursor.since, ...seen, window: { ...window, page: 1, part: window.part + 1 } }, hasMore: true };
  // The window is read: the next one starts from its end (minus the overlap). A window cut
  // short by maxWindowSeconds means there is more to catch up on right away.
  const caughtUp = new Date(window.end).getTime() >= now.getTime() - 1000;
  return { events, next: { since: window.end, ...seen }, hasMore: !caughtUp };
}

function openWindow(cursor: LeadCursor, now: Date, opts: WindowOptions): LeadCursor['window'] | undefined {
  const since = Date.parse(cursor.since);
  const start = (Number.isFinite(since) ? since : now.getTime()) - opts.overlapSeconds * 1000;
  const end = Math.min(now.getTime(), start + opts.maxWindowSeconds * 1000);
  // Nothing to read yet (a backfill into the future, or a clock that went back).
  if (end - start < 1000) return undefined;
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString(), page: 1, part: 0 };
}
