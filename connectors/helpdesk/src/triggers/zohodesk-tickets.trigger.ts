import { defineNode, header, isPlainObject, obj, parseJsonBody, PayloadError, safeEqual, text, utcIsoTime, type TriggerEvent, type VerifyResult } from '@tributary/node-sdk';
import { TICKET_EVENT_TYPES, ticketEventsSchema, type TicketEventType } from '../util/ticket-events.util.js';
import { isZohoClosed, zohoTicketItem } from './zohodesk-ticket.mapper.js';
import { zohoDeskTicketsTriggerLocales } from './zohodesk-tickets.trigger.locale.js';

export interface ZohoDeskWebhookConfig {
  connection: string;
  tokenQueryParam: string;
  tokenHeader: string;
  events: TicketEventType[];
}

const deny = (reason: string): VerifyResult => ({ ok: false, reason, status: 401 });

/** One element of a Zoho Desk delivery (`[{ eventType, eventTime, orgId, payload, prevState? }]`) → an event. */
export function mapZohoWebhookEvent(element: Record<string, unknown>, now: Date): TriggerEvent | undefined {
  const zohoType = text(element.eventType);
  const ticket = obj(element.payload);
  const ticketId = text(ticket.id);
  if (!zohoType || !ticketId) return undefined;
  let eventType: TicketEventType;
  if (zohoType === 'Ticket_Add') eventType = 'ticket_opened';
  else if (zohoType === 'Ticket_Update') {
    const prev = obj(element.prevState ?? ticket.prevState);
    const wasClosed = Object.keys(prev).length > 0 && isZohoClosed({ ...ticket, ...prev });
    eventType = isZohoClosed(ticket) && !wasClosed ? 'ticket_solved' : 'ticket_updated';
  } else return undefined;
  const eventTime = text(element.eventTime);
  const occurredAt = utcIsoTime(eventTime) ?? utcIsoTime(ticket.modifiedTime) ?? utcIsoTime(ticket.createdTime) ?? now.toISOString();
  return {
    // Zoho sends no event id; the ticket, the event and its time identify a delivery and its retries.
    dedupeKey: `${zohoType}:${ticketId}:${eventTime ?? text(ticket.modifiedTime) ?? ''}`,
    items: [zohoTicketItem(ticket, eventType, occurredAt, element)],
  };
}

export const zohoDeskTicketsTrigger = defineNode<ZohoDeskWebhookConfig>({
  id: 'zohodesk.tickets',
  version: 1,
  title: 'Zoho Desk ticket webhook',
  description:
    'Starts a run for each Zoho Desk Ticket_Add and Ticket_Update webhook event. Zoho Desk does not sign webhooks, so the URL carries a shared secret token (`?token=…`, or a header) compared in constant time. Emits ticket_id, eventType (ticket_opened, ticket_updated, ticket_solved when the ticket closes), the contact’s email, name and phone, subject, status and occurredAt.',
  category: 'trigger',
  locales: zohoDeskTicketsTriggerLocales,
  icon: 'life-buoy',
  inputs: [],
  outputs: ['out'],
  connection: { type: 'zohodesk', required: true },
  configSchema: {
    type: 'object',
    properties: {
      connection: { type: 'string', minLength: 1, title: 'Connection', description: 'A zohodesk connection holding the `webhookToken` you put in the webhook URL.' },
      tokenQueryParam: { type: 'string', minLength: 1, default: 'token', title: 'Token query parameter', description: 'The URL query parameter that carries the token: https://<host>/hooks/<flow>/<node>?token=<webhookToken>.' },
      tokenHeader: { type: 'string', minLength: 1, default: 'x-tributary-token', title: 'Token header', description: 'Also accepted: the token in this header (plain or `Bearer <token>`), for proxies that add it.' },
      events: ticketEventsSchema,
    },
    required: ['connection'],
    additionalProperties: false,
  },
  sample: {
    config: { connection: 'conn_zohodesk', tokenQueryParam: 'token', tokenHeader: 'x-tributary-token', events: [...TICKET_EVENT_TYPES] },
    input: [{ ticket_id: '1892000000093003', ticket_number: '101', eventType: 'ticket_opened', subject: '发票抬头错误', status: 'open', email: 'han.meimei@example.com', name: '韩梅梅', occurredAt: '2026-03-01T08:00:00.000Z', raw: {} }],
  },
  trigger: {
    kind: 'webhook',
    methods: ['POST'],
    // A bare GET or HEAD (a reachability probe) gets a 200 and starts nothing.
    handshake(req) {
      const m = req.method.toUpperCase();
      return m === 'GET' || m === 'HEAD' ? { status: 200, body: m === 'HEAD' ? '' : { ok: true } } : undefined;
    },
    verify(req, ctx) {
      const expected = ctx.secrets?.webhookToken;
      if (!expected) return deny(`connection ${ctx.config.connection} has no "webhookToken"; Zoho Desk deliveries cannot be checked without it`);
      const fromQuery = req.query[ctx.config.tokenQueryParam];
      const fromHeader = header(req, ctx.config.tokenHeader)?.trim().replace(/^bearer\s+/i, '');
      const given = fromQuery ?? fromHeader;
      if (!given) return deny(`missing token: add ?${ctx.config.tokenQueryParam}=<webhookToken> to the webhook URL`);
      return safeEqual(given, expected) ? { ok: true } : deny('token does not match');
    },
    decode(req) {
      if (req.rawBody.toString('utf8').trim() === '') return [];
      return parseJsonBody(req.rawBody, 'Zoho Desk webhook');
    },
    map(payload, _req, ctx) {
      const elements = Array.isArray(payload) ? payload : [payload];
      const now = ctx.now();
      const wanted = ctx.config.events as string[];
      const events: TriggerEvent[] = [];
      for (const element of elements) {
        if (!isPlainObject(element)) throw new PayloadError('Zoho Desk webhook: each event must be a JSON object');
        const event = mapZohoWebhookEvent(element, now);
        if (!event) {
          ctx.log.debug('zoho desk event not mapped; acknowledged without a run', { eventType: String(element.eventType) });
          continue;
        }
        if (wanted.includes(String(event.items[0]!.eventType))) events.push(event);
      }
      return events;
    },
    // Zoho Desk counts anything but 200 as a failure (and 410 removes the subscription).
    respond: () => ({ status: 200, body: { ok: true } }),
  },
});
