import { createVendorClient, defineNode, invalidateAccessToken, NodeError, obj, parseJsonLossless, text, utcIsoTime, VendorApiError, type PollContext, type TriggerEvent } from '@tributary/node-sdk';
import { isOpening, type TicketEventType } from '../util/ticket-events.util.js';
import { zohoAccessToken, zohoTokenKey } from '../util/zoho-token.util.js';
import { isZohoClosed, zohoTicketItem } from './zohodesk-ticket.mapper.js';
import { zohoDeskTicketsPollTriggerLocales } from './zohodesk-tickets-poll.trigger.locale.js';

export interface ZohoDeskPollConfig {
  connection: string;
  deskBaseUrl: string;
  departmentId?: string;
  intervalSeconds: number;
  overlapSeconds: number;
  pageSize: number;
  requestsPerMinute: number;
  initialLookbackHours: number;
  openedWithinSeconds: number;
  fields: string;
  allowPrivateNetwork: boolean;
}

/**
 * `since`: every change up to it was emitted. The list is read newest first, so a catch-up
 * that needs several pages keeps `from` (1-based) and the newest time it saw in `top`;
 * newest-first offsets can repeat a ticket when others change meanwhile, never skip one.
 */
export interface ZohoDeskCursor {
  since: string;
  from: number;
  top?: string;
}

const DEFAULT_FIELDS = 'ticketNumber,subject,status,statusType,priority,channel,email,phone,contactId,departmentId,createdTime,modifiedTime,closedTime,webUrl';

async function listPage(ctx: PollContext<ZohoDeskPollConfig>, from: number): Promise<Record<string, unknown>[]> {
  const { config } = ctx;
  const orgId = ctx.secrets?.orgId?.trim();
  if (!orgId) throw new NodeError('missing_secrets', `connection ${config.connection} has no "orgId" (Zoho Desk → Setup → Developer Space → API → Organization ID)`, { retryable: false });
  const deps = { http: ctx.http, cache: ctx.cache, signal: ctx.signal };
  const client = createVendorClient(
    { ...deps, now: ctx.now },
    {
      vendor: 'zohodesk',
      baseUrl: config.deskBaseUrl,
      rateLimit: { key: config.connection, requests: config.requestsPerMinute, perSeconds: 60 },
      allowPrivateNetwork: config.allowPrivateNetwork,
      maxWaitMs: 5_000,
    },
  );
  const query = { from, limit: config.pageSize, sortBy: '-modifiedTime', include: 'contacts', fields: config.fields, departmentId: config.departmentId };
  for (let attempt = 1; ; attempt++) {
    const token = await zohoAccessToken(deps, ctx.secrets, config.connection, { allowPrivateNetwork: config.allowPrivateNetwork });
    const res = await client.request({
      path: '/api/v1/tickets',
      query,
      headers: { authorization: `Zoho-oauthtoken ${token}`, orgId },
      okStatuses: (s) => s < 400 || s === 401,
    });
    if (res.status === 401) {
      // Revoked or expired early: forget it everywhere and fetch a fresh one once.
      await invalidateAccessToken(deps, zohoTokenKey(config.connection));
      if (attempt === 1) continue;
      throw new VendorApiError('zohodesk', 'zohodesk: the API refused a freshly issued access token; check the scopes (Desk.tickets.READ, Desk.contacts.READ) and the orgId', 401, { retryable: false, body: res.body });
    }
    // Zoho answers 204 with an empty body when nothing matches.
    if (res.status === 204 || res.body.trim() === '') return [];
    let body: unknown;
    try {
      body = parseJsonLossless(res.body);
    } catch {
      throw new VendorApiError('zohodesk', 'zohodesk: the ticket list is not JSON', res.status, { retryable: true, body: res.body });
    }
    const data = obj(body).data;
    if (!Array.isArray(data)) throw new VendorApiError('zohodesk', 'zohodesk: the ticket list has no data array', res.status, { retryable: false, body: res.body });
    return data.map(obj);
  }
}

const modifiedMs = (t: Record<string, unknown>) => Date.parse(text(t.modifiedTime) ?? text(t.createdTime) ?? '');

async function pollZohoDesk(ctx: PollContext<ZohoDeskPollConfig>, cursor: ZohoDeskCursor): Promise<{ events: TriggerEvent[]; next: ZohoDeskCursor; hasMore: boolean }> {
  const { config } = ctx;
  const sinceMs = Date.parse(cursor.since);
  if (Number.isNaN(sinceMs)) throw new NodeError('invalid_cursor', `cursor.since "${String(cursor.since)}" is not a time; reset the trigger or start a backfill`, { retryable: false });
  const from = Number.isInteger(cursor.from) && cursor.from >= 1 ? cursor.from : 1;
  const floorMs = sinceMs - config.overlapSeconds * 1000;
  const rows = await listPage(ctx, from);

  let topMs = cursor.top ? Date.parse(cursor.top) : sinceMs;
  if (Number.isNaN(topMs)) topMs = sinceMs;
  let reachedFloor = rows.length < config.pageSize;
  const fresh: { ms: number; ticket: Record<string, unknown> }[] = [];
  for (const ticket of rows) {
    const ms = modifiedMs(ticket);
    if (!text(ticket.id) || Number.isNaN(ms)) {
      ctx.log.warn('zoho desk ticket without id or modifiedTime skipped', { id: text(ticket.id) });
      continue;
    }
    if (ms < floorMs) {
      reachedFloor = true;
      continue;
    }
    topMs = Math.max(topMs, ms);
    fresh.push({ ms, ticket });
  }
  // Oldest first, so runs start in the order the changes happened.
  fresh.sort((a, b) => a.ms - b.ms);
  const events = fresh.map(({ ms, ticket }): TriggerEvent => {
    const modifiedTime = text(ticket.modifiedTime) ?? text(ticket.createdTime)!;
    const eventType: TicketEventType = isZohoClosed(ticket)
      ? 'ticket_solved'
      : isOpening(utcIsoTime(ticket.createdTime), new Date(ms).toISOString(), config.openedWithinSeconds)
        ? 'ticket_opened'
        : 'ticket_updated';
    return { dedupeKey: `${text(ticket.id)}:${modifiedTime}`, items: [zohoTicketItem(ticket, eventType, new Date(ms).toISOString(), ticket)] };
  });
  const top = new Date(topMs).toISOString();
  if (reachedFloor) return { events, next: { since: top, from: 1 }, hasMore: false };
  return { events, next: { since: cursor.since, from: from + rows.length, top }, hasMore: true };
}

export const zohoDeskTicketsPollTrigger = defineNode<ZohoDeskPollConfig>({
  id: 'zohodesk.tickets-poll',
  version: 1,
  title: 'Zoho Desk tickets (polling)',
  description:
    'Polls the Zoho Desk API (GET /api/v1/tickets, newest change first, with the contact) for tickets changed since the last poll and starts one run per change, with an OAuth access token refreshed from the connection’s refresh token and shared by all workers. Emits the same items as the Zoho Desk webhook. Use it where webhooks are not available (Free and Standard editions) or as a safety net.',
  category: 'trigger',
  locales: zohoDeskTicketsPollTriggerLocales,
  icon: 'life-buoy',
  inputs: [],
  outputs: ['out'],
  connection: { type: 'zohodesk', required: true },
  configSchema: {
    type: 'object',
    properties: {
      connection: { type: 'string', minLength: 1, title: 'Connection', description: 'A zohodesk connection with clientId, clientSecret, refreshToken and orgId.' },
      deskBaseUrl: {
        type: 'string',
        format: 'uri',
        pattern: '^https?://',
        default: 'https://desk.zoho.com',
        title: 'Zoho Desk API base URL',
        description: 'Your data centre: https://desk.zoho.com, desk.zoho.eu, desk.zoho.in, desk.zoho.com.au, desk.zoho.jp or desk.zoho.com.cn.',
      },
      departmentId: { type: 'string', pattern: '^\\d+$', title: 'Department id', description: 'Only tickets of this department; default all departments the token can see.' },
      intervalSeconds: { type: 'integer', minimum: 30, default: 120, title: 'Poll every (seconds)' },
      overlapSeconds: { type: 'integer', minimum: 0, maximum: 3600, default: 120, title: 'Overlap (seconds)', description: 'Each poll reads this far back again; changes seen twice start one run.' },
      pageSize: { type: 'integer', minimum: 1, maximum: 100, default: 100, title: 'Tickets per request' },
      requestsPerMinute: { type: 'integer', minimum: 1, maximum: 600, default: 30, title: 'Requests per minute', description: 'Shared by every worker using this connection; Zoho Desk also meters API credits per day.' },
      initialLookbackHours: { type: 'integer', minimum: 0, maximum: 8760, default: 0, title: 'Start from (hours ago)', description: 'Where the first poll starts; 0 means changes from now on.' },
      openedWithinSeconds: { type: 'integer', minimum: 0, default: 60, title: 'New-ticket window (seconds)', description: 'A change this soon after creation is reported as ticket_opened.' },
      fields: { type: 'string', minLength: 1, default: DEFAULT_FIELDS, title: 'Ticket fields', description: 'The `fields` the list asks for; must include modifiedTime and createdTime.' },
      allowPrivateNetwork: { type: 'boolean', default: false, title: 'Allow private network', description: 'Only for test or on-premise endpoints on a private address.' },
    },
    required: ['connection'],
    additionalProperties: false,
  },
  sample: {
    config: {
      connection: 'conn_zohodesk',
      deskBaseUrl: 'https://desk.zoho.com',
      intervalSeconds: 120,
      overlapSeconds: 120,
      pageSize: 100,
      requestsPerMinute: 30,
      initialLookbackHours: 0,
      openedWithinSeconds: 60,
      fields: DEFAULT_FIELDS,
      allowPrivateNetwork: false,
    },
    input: [{ ticket_id: '1892000000093003', eventType: 'ticket_solved', subject: '发票抬头错误', status: 'closed', email: 'han.meimei@example.com', occurredAt: '2026-03-01T08:00:00.000Z', raw: {} }],
  },
  trigger: {
    kind: 'poll',
    intervalSeconds: 120,
    cursorSchema: {
      type: 'object',
      properties: { since: { type: 'string', format: 'date-time' }, from: { type: 'integer', minimum: 1 }, top: { type: 'string', format: 'date-time' } },
      required: ['since', 'from'],
    },
    initialCursor(ctx) {
      return { since: new Date(ctx.now().getTime() - ctx.config.initialLookbackHours * 3_600_000).toISOString(), from: 1 };
    },
    poll: pollZohoDesk,
    backfillCursor(from) {
      return { since: from.toISOString(), from: 1 };
    },
  },
});
