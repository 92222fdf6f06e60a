import { createVendorClient, defineNode, NodeError, obj, parseJsonLossless, text, VendorApiError, type PollContext, type TriggerEvent } from '@tributary/node-sdk';
import { hasNextLink } from '../util/link-header.util.js';
import { mapFreshdeskTicket } from './freshdesk-ticket.mapper.js';
import { freshdeskTicketsTriggerLocales } from './freshdesk-tickets.trigger.locale.js';

export interface FreshdeskTicketsConfig {
  connection: string;
  domain?: string;
  baseUrl?: string;
  intervalSeconds: number;
  overlapSeconds: number;
  perPage: number;
  requestsPerMinute: number;
  initialLookbackHours: number;
  openedWithinSeconds: number;
  includeRequester: boolean;
  allowPrivateNetwork: boolean;
}

/**
 * Where the next poll starts: tickets updated at or after `since` (minus the overlap once the
 * backlog is caught up), skipping `seen`, the ids already emitted at exactly `since`. `page`
 * only moves past 1 while a whole page shares one `updated_at` second.
 */
export interface FreshdeskCursor {
  since: string;
  seen: string[];
  page: number;
  caughtUp: boolean;
}

// Tickets sharing one second are rare; the cap keeps a pathological bulk update from bloating the cursor.
const MAX_SEEN = 5000;

/** Freshdesk's timestamp format: UTC, whole seconds. */
const isoSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** `acme`, `acme.freshdesk.com` or `https://acme.freshdesk.com/` → `https://acme.freshdesk.com`. */
export function freshdeskBaseUrl(domain: string): string {
  const s = domain.trim().replace(/^https?:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  const host = s.includes('.') ? s : `${s}.freshdesk.com`;
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host)) throw new NodeError('invalid_config', `"${domain}" is not a Freshdesk domain (e.g. yourcompany.freshdesk.com)`, { retryable: false });
  return `https://${host}`;
}

/** HTTP Basic with the API key as user and `X` as password, as Freshdesk documents. */
export const freshdeskAuthHeader = (apiKey: string) => `Basic ${Buffer.from(`${apiKey.trim()}:X`, 'utf8').toString('base64')}`;

function cursorOf(raw: unknown, fallback: FreshdeskCursor): FreshdeskCursor {
  const c = obj(raw);
  const since = typeof c.since === 'string' && !Number.isNaN(Date.parse(c.since)) ? c.since : fallback.since;
  return {
    since,
    seen: Array.isArray(c.seen) ? c.seen.map(String) : [],
    page: Number.isInteger(c.page) && (c.page as number) >= 1 ? (c.page as number) : 1,
    caughtUp: typeof c.caughtUp === 'boolean' ? c.caughtUp : true,
  };
}

async function pollFreshdesk(ctx: PollContext<FreshdeskTicketsConfig>, raw: FreshdeskCursor): Promise<{ events: TriggerEvent[]; next: FreshdeskCursor; hasMore: boolean }> {
  const { config } = ctx;
  const apiKey = ctx.secrets?.apiKey?.trim();
  if (!apiKey) throw new NodeError('missing_secrets', `connection ${config.connection} has no "apiKey"`, { retryable: false });
  const domain = config.domain ?? ctx.secrets?.domain;
  if (!config.baseUrl && !domain) throw new NodeError('invalid_config', 'set the Freshdesk domain (yourcompany.freshdesk.com) in the node or the connection', { retryable: false });
  const cursor = cursorOf(raw, { since: isoSeconds(ctx.now().getTime()), seen: [], page: 1, caughtUp: true });
  const client = createVendorClient(
    { http: ctx.http, cache: ctx.cache, signal: ctx.signal, now: ctx.now },
    {
      vendor: 'freshdesk',
      baseUrl: config.baseUrl ?? freshdeskBaseUrl(domain!),
      rateLimit: { key: config.connection, requests: config.requestsPerMinute, perSeconds: 60 },
      allowPrivateNetwork: config.allowPrivateNetwork,
      // A long Retry-After goes back to the runtime, which postpones the next poll, instead of holding a worker.
      maxWaitMs: 5_000,
    },
  );

  const sinceMs = Date.parse(cursor.since);
  // Freshdesk's list can lag behind updates: once caught up, look back over the overlap again.
  const fromMs = cursor.caughtUp ? sinceMs - config.overlapSeconds * 1000 : sinceMs;
  const res = await client.request({
    path: '/api/v2/tickets',
    query: {
      updated_since: isoSeconds(fromMs),
      order_by: 'updated_at',
      order_type: 'asc',
      include: config.includeRequester ? 'requester' : undefined,
      per_page: config.perPage,
      page: cursor.page,
    },
    headers: { authorization: freshdeskAuthHeader(apiKey) },
  });
  let tickets: unknown;
  try {
    tickets = parseJsonLossless(res.body);
  } catch {
    throw new VendorApiError('freshdesk', 'freshdesk: the ticket list is not JSON', res.status, { retryable: true, body: res.body });
  }
  if (!Array.isArray(tickets)) throw new VendorApiError('freshdesk', 'freshdesk: the ticket list is not a JSON array', res.status, { retryable: false, body: res.body });

  const seen = new Set(cursor.seen);
  const events: TriggerEvent[] = [];
  let maxMs = sinceMs;
  let atMax = new Set(cursor.seen);
  for (const t of tickets) {
    const ticket = obj(t);
    const id = text(ticket.id);
    const updatedMs = Date.parse(text(ticket.updated_at) ?? '');
    if (!id || Number.isNaN(updatedMs)) {
      ctx.log.warn('freshdesk ticket without id or updated_at skipped', { id });
      continue;
    }
    if (updatedMs > maxMs) {
      maxMs = updatedMs;
      atMax = new Set([id]);
    } else if (updatedMs === maxMs) atMax.add(id);
    if (updatedMs === sinceMs && seen.has(id)) continue;
    const event = mapFreshdeskTicket(ticket, config.openedWithinSeconds);
    if (event) events.push(event);
  }

  // Freshdesk sets Link rel="next" exactly while more pages remain.
  const more = hasNextLink(res.headers.link);
  const seenNext = [...atMax].slice(-MAX_SEEN);
  const next: FreshdeskCursor =
    maxMs > sinceMs
      ? { since: isoSeconds(maxMs), seen: seenNext, page: 1, caughtUp: !more }
      : { since: cursor.since, seen: seenNext, page: more ? cursor.page + 1 : 1, caughtUp: more ? cursor.caughtUp : true };
  const remaining = Number(res.headers['x-ratelimit-remaining']);
  if (more && Number.isFinite(remaining) && remaining <= 1) {
    // Leave the last calls of the window to the account's other integrations; the next poll carries on.
    ctx.log.warn('freshdesk API limit nearly used up; continuing at the next poll', { remaining, total: res.headers['x-ratelimit-total'] });
    return { events, next, hasMore: false };
  }
  return { events, next, hasMore: more };
}

export const freshdeskTicketsTrigger = defineNode<FreshdeskTicketsConfig>({
  id: 'freshdesk.tickets',
  version: 1,
  title: 'Freshdesk tickets',
  description:
    'Polls Freshdesk for tickets updated since the last poll (GET /api/v2/tickets?updated_since=…&order_by=updated_at, with the requester) and starts one run per ticket change. Emits ticket_id, eventType (ticket_opened, ticket_updated, ticket_solved for resolved or closed), the requester’s email, name and phone, subject, status and occurredAt. Overlapping windows never repeat a change; a backfill restarts from any date.',
  category: 'trigger',
  locales: freshdeskTicketsTriggerLocales,
  icon: 'life-buoy',
  inputs: [],
  outputs: ['out'],
  connection: { type: 'freshdesk', required: true },
  configSchema: {
    type: 'object',
    properties: {
      connection: { type: 'string', minLength: 1, title: 'Connection', description: 'A freshdesk connection holding the `apiKey`.' },
      domain: { type: 'string', minLength: 1, title: 'Freshdesk domain', description: 'yourcompany.freshdesk.com (or just yourcompany). Default: the connection’s domain.' },
      baseUrl: { type: 'string', format: 'uri', pattern: '^https?://', title: 'API base URL', description: 'Overrides the domain, e.g. for a proxy or a test server.' },
      intervalSeconds: { type: 'integer', minimum: 15, default: 60, title: 'Poll every (seconds)' },
      overlapSeconds: {
        type: 'integer',
        minimum: 0,
        maximum: 3600,
        default: 120,
        title: 'Overlap (seconds)',
        description: 'Each poll looks back this far again, for updates Freshdesk lists late; changes seen twice start one run.',
      },
      perPage: { type: 'integer', minimum: 1, maximum: 100, default: 100, title: 'Tickets per request' },
      requestsPerMinute: {
        type: 'integer',
        minimum: 1,
        maximum: 1000,
        default: 50,
        title: 'Requests per minute',
        description: 'Shared by every worker using this connection. Freshdesk’s limit depends on the plan and is shared with the account’s other integrations.',
      },
      initialLookbackHours: { type: 'integer', minimum: 0, maximum: 8760, default: 0, title: 'Start from (hours ago)', description: 'Where the first poll starts; 0 means changes from now on. Use a backfill for older history.' },
      openedWithinSeconds: {
        type: 'integer',
        minimum: 0,
        default: 60,
        title: 'New-ticket window (seconds)',
        description: 'A change this soon after creation (assignment rules run right away) is reported as ticket_opened.',
      },
      includeRequester: { type: 'boolean', default: true, title: 'Include the requester', description: 'Adds the requester’s email, name and phone (include=requester; Freshdesk counts it as an extra API credit).' },
      allowPrivateNetwork: { type: 'boolean', default: false, title: 'Allow private network', description: 'Only for test or on-premise endpoints on a private address.' },
    },
    required: ['connection'],
    additionalProperties: false,
  },
  sample: {
    config: {
      connection: 'conn_freshdesk',
      domain: 'yourcompany.freshdesk.com',
      intervalSeconds: 60,
      overlapSeconds: 120,
      perPage: 100,
      requestsPerMinute: 50,
      initialLookbackHours: 0,
      openedWithinSeconds: 60,
      includeRequester: true,
      allowPrivateNetwork: false,
    },
    input: [{ ticket_id: '1042', eventType: 'ticket_opened', subject: 'Refund for order #881', status: 'open', email: 'li.lei@example.com', name: '李雷', occurredAt: '2026-03-01T08:00:00.000Z', raw: {} }],
  },
  trigger: {
    kind: 'poll',
    intervalSeconds: 60,
    cursorSchema: {
      type: 'object',
      properties: {
        since: { type: 'string', format: 'date-time' },
        seen: { type: 'array', items: { type: 'string' } },
        page: { type: 'integer', minimum: 1 },
        caughtUp: { type: 'boolean' },
      },
      required: ['since'],
    },
    initialCursor(ctx) {
      return { since: isoSeconds(ctx.now().getTime() - ctx.config.initialLookbackHours * 3_600_000), seen: [], page: 1, caughtUp: true };
    },
    poll: pollFreshdesk,
    backfillCursor(from) {
      return { since: isoSeconds(from.getTime()), seen: [], page: 1, caughtUp: false };
    },
  },
});
