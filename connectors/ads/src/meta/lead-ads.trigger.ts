import {
  defineNode,
  header,
  hmac,
  isPlainObject,
  NodeError,
  PayloadError,
  safeEqual,
  type Item,
  type NodeContext,
  type TriggerEvent,
  type VerifyResult,
  type WebhookRequest,
} from '@tributary/node-sdk';
import { parseVendorTime } from '../shared/china-time.util.js';
import { allowPrivateNetworkField, connectionField, requestsPerMinuteField } from '../shared/config-fields.schema.js';
import { parseJsonExact } from '../shared/exact-json.util.js';
import { addAnswers, idText, leadItem } from '../shared/lead-item.util.js';
import { DEFAULT_GRAPH_BASE_URL, DEFAULT_GRAPH_VERSION, graphRequest } from './graph-api.util.js';
import { mapFieldData } from './lead-fields.util.js';
import { metaLeadAdsTriggerLocales } from './lead-ads.trigger.locale.js';

export interface MetaLeadAdsConfig {
  connection: string;
  graphBaseUrl: string;
  graphVersion: string;
  fields: string;
  appsecretProof: boolean;
  requestsPerMinute: number;
  allowPrivateNetwork: boolean;
}

export const DEFAULT_LEAD_FIELDS = 'id,created_time,ad_id,ad_name,adset_id,adset_name,campaign_id,campaign_name,form_id,platform,is_organic,field_data';

const deny = (reason: string): VerifyResult => ({ ok: false, status: 401, reason });
const query = (req: WebhookRequest, name: string) => req.query[name] ?? req.query[name.replace('.', '_')];

/** X-Hub-Signature-256: `sha256=` + lowercase hex HMAC-SHA256 of the raw body, keyed with the App Secret. */
export function verifyHubSignature(req: WebhookRequest, appSecret: string | undefined): VerifyResult {
  if (!appSecret) return deny('the connection has no "appSecret"; Meta deliveries cannot be checked without it');
  const signature = header(req, 'x-hub-signature-256')?.trim();
  if (!signature) return deny('missing X-Hub-Signature-256 header');
  if (signature.slice(0, 7).toLowerCase() !== 'sha256=') return deny('X-Hub-Signature-256 must start with "sha256="');
  // Meta signs the bytes it sent (escaped unicode); a re-serialised body would not match.
  return safeEqual(signature.slice(7).toLowerCase(), hmac('sha256', appSecret, req.rawBody)) ? { ok: true } : deny('signature does not match');
}

/** One event per leadgen change, keyed by leadgen_id. The webhook carries ids only, no answers. */
export function leadgenEvents(payload: unknown): TriggerEvent[] {
  if (!isPlainObject(payload) || !Array.isArray(payload.entry)) throw new PayloadError('expected a Meta webhook body: {"object": "page", "entry": [...]}');
  if (payload.object !== undefined && payload.object !== 'page') return [];
  const events: TriggerEvent[] = [];
  for (const entry of payload.entry) {
    if (!isPlainObject(entry) || !Array.isArray(entry.changes)) continue;
    for (const change of entry.changes) {
      if (!isPlainObject(change) || change.field !== 'leadgen' || !isPlainObject(change.value)) continue;
      const v = change.value;
      const leadId = idText(v.leadgen_id);
      if (!leadId) throw new PayloadError('a leadgen change has no leadgen_id');
      events.push({
        dedupeKey: leadId,
        items: [
          leadItem({
            eventType: 'lead_ad',
            occurredAt: parseVendorTime(v.created_time)?.toISOString(),
            channel: 'meta_lead_ads',
            utm_source: 'meta',
            lead_id: leadId,
            page_id: idText(v.page_id) ?? idText(entry.id),
            form_id: idText(v.form_id),
            ad_id: idText(v.ad_id),
            adgroup_id: idText(v.adgroup_id),
            raw: { webhook: v },
          }),
        ],
      });
    }
  }
  return events;
}

/** The webhook's item completed with the lead fetched from the Graph API. */
async function fetchLead(ctx: NodeContext<MetaLeadAdsConfig>, item: Item): Promise<Item> {
  const c = ctx.config;
  const leadId = idText(item.lead_id);
  if (!leadId || !/^\d+$/.test(leadId)) throw new NodeError('missing_lead_id', 'the item has no numeric lead_id (leadgen_id) to fetch', { retryable: false });
  const accessToken = ctx.secrets?.accessToken;
  if (!accessToken) throw new NodeError('missing_secret', `connection ${c.connection} has no "accessToken"; leads cannot be fetched without it`, { retryable: false });
  const lead = await graphRequest(
    ctx,
    {
      baseUrl: c.graphBaseUrl,
      version: c.graphVersion,
      accessToken,
      appSecret: c.appsecretProof ? ctx.secrets?.appSecret : undefined,
      rateKey: c.connection,
      requestsPerMinute: c.requestsPerMinute,
      allowPrivateNetwork: c.allowPrivateNetwork,
    },
    { path: leadId, query: { fields: c.fields } },
  );
  if (!isPlainObject(lead)) throw new NodeError('unexpected_response', `meta: lead ${leadId} came back as ${typeof lead}`, { retryable: false });
  const fields = mapFieldData(lead.field_data);
  const prev = isPlainObject(item.raw) ? item.raw : {};
  const out = leadItem({
    eventType: 'lead_ad',
    occurredAt: parseVendorTime(lead.created_time)?.toISOString() ?? item.occurredAt,
    channel: 'meta_lead_ads',
    utm_source: 'meta',
    utm_medium: lead.is_organic === true ? 'organic' : 'paid_social',
    lead_id: leadId,
    page_id: item.page_id,
    form_id: idText(lead.form_id) ?? item.form_id,
    ad_id: idText(lead.ad_id) ?? item.ad_id,
    ad_name: typeof lead.ad_name === 'string' ? lead.ad_name : undefined,
    adgroup_id: item.adgroup_id ?? idText(lead.adset_id),
    adset_id: idText(lead.adset_id),
    adset_name: typeof lead.adset_name === 'string' ? lead.adset_name : undefined,
    campaign_id: idText(lead.campaign_id),
    campaign_name: typeof lead.campaign_name === 'string' ? lead.campaign_name : undefined,
    platform: typeof lead.platform === 'string' ? lead.platform : undefined,
    name: fields.name,
    phone: fields.phone,
    email: fields.email,
    city: fields.city,
    company: fields.company,
    title: fields.title,
  });
  addAnswers(out, fields.answers);
  out.raw = { ...prev, lead };
  return out;
}

export const metaLeadAdsTrigger = defineNode<MetaLeadAdsConfig>({
  id: 'meta.leadads',
  version: 1,
  title: 'Meta Lead Ads',
  description:
    'Starts a run for each new lead from a Facebook or Instagram lead form. Answers Meta’s webhook verification, checks X-Hub-Signature-256 on the raw body, then fetches the lead (name, phone, e-mail, city, company, job title, custom questions) from the Graph API with the connection’s Page token. One run per leadgen_id, whatever Meta resends.',
  category: 'trigger',
  locales: metaLeadAdsTriggerLocales,
  icon: 'facebook',
  inputs: [],
  outputs: ['out'],
  connection: { type: 'meta', required: true },
  // Expired tokens fail at once; throttling and Graph outages are retried.
  retry: { maxAttempts: 5, backoffMs: 2000, maxBackoffMs: 60_000 },
  configSchema: {
    type: 'object',
    required: ['connection'],
    properties: {
      connection: connectionField('meta', 'verifyToken, appSecret and accessToken'),
      graphBaseUrl: { type: 'string', pattern: '^https?://', default: DEFAULT_GRAPH_BASE_URL, title: 'Graph API base URL' },
      graphVersion: { type: 'string', pattern: '^v\\d+\\.\\d+$', default: DEFAULT_GRAPH_VERSION, title: 'Graph API version', description: 'e.g. v21.0' },
      fields: {
        type: 'string',
        pattern: '^[a-z_]+(,[a-z_]+)*$',
        default: DEFAULT_LEAD_FIELDS,
        title: 'Lead fields',
        description: 'The fields asked of the Graph API for each lead (comma-separated, no spaces).',
      },
      appsecretProof: { type: 'boolean', default: true, title: 'Send appsecret_proof', description: 'Sign Graph calls with the app secret (required when the app has “Require App Secret” on).' },
      requestsPerMinute: requestsPerMinuteField(600),
      allowPrivateNetwork: allowPrivateNetworkField,
    },
    additionalProperties: false,
  },
  sample: {
    config: { connection: 'conn_meta', graphBaseUrl: DEFAULT_GRAPH_BASE_URL, graphVersion: DEFAULT_GRAPH_VERSION, fields: DEFAULT_LEAD_FIELDS, appsecretProof: true, requestsPerMinute: 600, allowPrivateNetwork: false },
    input: [{ eventType: 'lead_ad', channel: 'meta_lead_ads', utm_source: 'meta', lead_id: '444444444444', page_id: '123123123', form_id: '12312312312', ad_id: '12312312312', adgroup_id: '12312312312' }],
  },
  trigger: {
    kind: 'webhook',
    methods: ['POST'],
    handshake(req, ctx) {
      if (req.method.toUpperCase() !== 'GET' || query(req, 'hub.mode') === undefined) return undefined;
      if (query(req, 'hub.mode') !== 'subscribe') return { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'hub.mode must be "subscribe"' };
      const expected = ctx.secrets?.verifyToken;
      const given = query(req, 'hub.verify_token') ?? '';
      if (!expected || !safeEqual(given, expected)) return { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'hub.verify_token does not match the connection’s verifyToken' };
      return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: query(req, 'hub.challenge') ?? '' };
    },
    verify: (req, ctx) => verifyHubSignature(req, ctx.secrets?.appSecret),
    decode(req) {
      try {
        return parseJsonExact(req.rawBody.toString('utf8').replace(/^\uFEFF/, ''));
      } catch (err) {
        throw new PayloadError(`malformed JSON: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    map: (payload) => leadgenEvents(payload),
    // Meta retries anything but a fast 200 for up to 36 hours.
    respond: () => ({ status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'EVENT_RECEIVED' }),
  },
  async run(ctx, items) {
    const out: Item[] = [];
    for (const item of items) out.push(await fetchLead(ctx, item));
    return { out };
  },
});
