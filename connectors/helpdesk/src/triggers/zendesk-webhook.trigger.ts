import { checkTimestamp, defineNode, header, isPlainObject, PayloadError, type VerifyResult, type WebhookRequest, parseJsonBody } from '@tributary/node-sdk';
import { TICKET_EVENT_TYPES, ticketEventsSchema, type TicketEventType } from '../util/ticket-events.util.js';
import { ZENDESK_TEST_SIGNING_SECRET, zendeskSignatureMatches, zendeskTimestampSeconds } from '../util/zendesk-signature.util.js';
import { mapZendeskEventSubscription, mapZendeskTriggerBody } from './zendesk-ticket.mapper.js';
import { zendeskWebhookTriggerLocales } from './zendesk-webhook.trigger.locale.js';

export interface ZendeskWebhookConfig {
  connection: string;
  toleranceSeconds: number;
  acceptTestRequests: boolean;
  events: TicketEventType[];
}

const SIGNATURE = 'x-zendesk-webhook-signature';
const TIMESTAMP = 'x-zendesk-webhook-signature-timestamp';

const deny = (reason: string): VerifyResult => ({ ok: false, reason, status: 401 });

function checkSigned(req: WebhookRequest, secret: string, toleranceSeconds: number, now: Date): VerifyResult {
  const signature = header(req, SIGNATURE)?.trim();
  if (!signature) return deny('missing X-Zendesk-Webhook-Signature header');
  const timestamp = header(req, TIMESTAMP)?.trim();
  if (!timestamp) return deny('missing X-Zendesk-Webhook-Signature-Timestamp header');
  if (!zendeskSignatureMatches(secret, timestamp, req.rawBody, signature)) return deny('signature does not match');
  const seconds = zendeskTimestampSeconds(timestamp);
  if (seconds === undefined && toleranceSeconds > 0) return deny(`invalid signature timestamp "${timestamp.slice(0, 40)}": expected ISO 8601`);
  return checkTimestamp(seconds, now, toleranceSeconds);
}

export const zendeskWebhookTrigger = defineNode<ZendeskWebhookConfig>({
  id: 'zendesk.webhook',
  version: 1,
  title: 'Zendesk ticket events',
  description:
    'Starts a run when a Zendesk ticket is created, changes status or is solved. Accepts event-subscription webhooks (zen:event-type:ticket.created / ticket.status_changed) and trigger or automation webhooks with the JSON body from the connector README. Checks the X-Zendesk-Webhook-Signature HMAC on the raw body and the signed timestamp. Emits ticket_id, eventType (ticket_opened, ticket_updated, ticket_solved), the requester’s email, name and phone when the body has them, subject, status and occurredAt.',
  category: 'trigger',
  locales: zendeskWebhookTriggerLocales,
  icon: 'life-buoy',
  inputs: [],
  outputs: ['out'],
  connection: { type: 'zendesk', required: true },
  configSchema: {
    type: 'object',
    properties: {
      connection: { type: 'string', minLength: 1, title: 'Connection', description: 'A zendesk connection holding the webhook’s `signingSecret`.' },
      toleranceSeconds: {
        type: 'integer',
        minimum: 0,
        default: 300,
        title: 'Timestamp tolerance (seconds)',
        description: 'How far X-Zendesk-Webhook-Signature-Timestamp may be from now; older deliveries are refused as replays. Zendesk prescribes no window; 0 disables the check.',
      },
      acceptTestRequests: {
        type: 'boolean',
        default: true,
        title: 'Answer Zendesk test requests',
        description: 'Answer 200 (without a run) to the test request Zendesk signs with its public test secret while a webhook is being created.',
      },
      events: ticketEventsSchema,
    },
    required: ['connection'],
    additionalProperties: false,
  },
  sample: {
    config: { connection: 'conn_zendesk', toleranceSeconds: 300, acceptTestRequests: true, events: [...TICKET_EVENT_TYPES] },
    input: [
      {
        ticket_id: '35436',
        eventType: 'ticket_solved',
        subject: 'Printer on fire',
        status: 'solved',
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        phone: '+86 139 1234 5670',
        occurredAt: '2026-03-01T08:00:00.000Z',
        raw: {},
      },
    ],
  },
  trigger: {
    kind: 'webhook',
    // The webhook's request method is the admin's choice; the body (and signature) are the same.
    methods: ['POST', 'PUT', 'PATCH'],
    handshake(req, ctx) {
      // Zendesk's create-form test: signed with the public test secret, so it proves nothing and runs nothing.
      if (!ctx.config.acceptTestRequests || !header(req, SIGNATURE)) return undefined;
      const own = ctx.secrets?.signingSecret;
      if (own && own === ZENDESK_TEST_SIGNING_SECRET) return undefined;
      if (!checkSigned(req, ZENDESK_TEST_SIGNING_SECRET, ctx.config.toleranceSeconds, ctx.now()).ok) return undefined;
      ctx.log.info('zendesk test request acknowledged (signed with the public test secret); no run started', { node: ctx.node.id });
      return { status: 200, body: { ok: true, test: true } };
    },
    verify(req, ctx) {
      const secret = ctx.secrets?.signingSecret;
      if (!secret) return deny(`connection ${ctx.config.connection} has no "signingSecret"; Zendesk deliveries cannot be verified without it`);
      if (secret === ZENDESK_TEST_SIGNING_SECRET) return deny('the connection holds Zendesk’s public test secret; paste the webhook’s own signing secret');
      return checkSigned(req, secret, ctx.config.toleranceSeconds, ctx.now());
    },
    decode(req) {
      return parseJsonBody(req.rawBody, 'Zendesk webhook');
    },
    map(payload, req, ctx) {
      // Zendesk sends one JSON object per request.
      if (!isPlainObject(payload)) throw new PayloadError('Zendesk webhook: the body must be a JSON object');
      const now = ctx.now();
      const event =
        typeof payload.type === 'string' && payload.type.startsWith('zen:event-type:')
          ? mapZendeskEventSubscription(payload, now)
          : mapZendeskTriggerBody(payload, header(req, 'x-zendesk-webhook-invocation-id')?.trim(), now);
      if (!event) {
        ctx.log.debug('zendesk event type not mapped; acknowledged without a run', { type: String(payload.type) });
        return [];
      }
      const wanted = ctx.config.events as string[];
      return event.items.every((i) => wanted.includes(String(i.eventType))) ? [event] : [];
    },
  },
});
