import { createHash } from 'node:crypto';
import { defineNode, errorItem, NodeError, VendorApiError, type ConfigIssue, type Item, type NodeContext } from '@tributary/node-sdk';
import { DEFAULT_OCPC_BASE_URL, sendOcpcConversion } from '../baidu/ocpc-upload.util.js';
import { DEFAULT_GRAPH_BASE_URL, DEFAULT_GRAPH_VERSION } from '../meta/graph-api.util.js';
import { sendMetaConversion } from '../meta/conversions-api.util.js';
import { sendClueCallback } from '../oceanengine/clue-callback.util.js';
import { DEFAULT_FEIYU_BASE_URL } from '../oceanengine/feiyu-api.util.js';
import { sendLeadStatus, TENCENT_CONVERT_TYPES } from '../tencentads/lead-status.util.js';
import { DEFAULT_TENCENT_BASE_URL, DEFAULT_TENCENT_OAUTH_URL } from '../tencentads/marketing-api.util.js';
import { parseVendorTime } from '../shared/china-time.util.js';
import { allowPrivateNetworkField, requestsPerMinuteField } from '../shared/config-fields.schema.js';
import { idText, text } from '../shared/lead-item.util.js';
import { convertNodeLocales } from './convert.node.locale.js';

export type AdsPlatform = 'meta' | 'oceanengine' | 'tencentads' | 'baidu';

export interface ConvertConfig {
  platform: AdsPlatform;
  connection: string;
  stageField: string;
  events: Record<string, string | number>;
  leadIdField: string;
  eventTimeField?: string;
  baseUrl?: string;
  requestsPerMinute: number;
  allowPrivateNetwork: boolean;
  // meta
  datasetId?: string;
  graphVersion: string;
  leadEventSource: string;
  testEventCode?: string;
  emailField: string;
  phoneField: string;
  defaultCountryCode: string;
  // tencentads
  accountId?: string;
  oauthBaseUrl: string;
  // baidu
  logidUrlField: string;
}

const DEFAULT_BASE_URL: Record<AdsPlatform, string> = {
  meta: DEFAULT_GRAPH_BASE_URL,
  oceanengine: DEFAULT_FEIYU_BASE_URL,
  tencentads: DEFAULT_TENCENT_BASE_URL,
  baidu: DEFAULT_OCPC_BASE_URL,
};

// A sent conversion is remembered this long, so a retried step never reports it twice.
const LEDGER_TTL_SECONDS = 30 * 24 * 3600;

/** A value of the stage→event map, checked against what the platform accepts. */
export function checkConvertConfig(c: ConvertConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (c.platform === 'meta' && !c.datasetId) issues.push({ path: '/datasetId', message: 'the Meta dataset (pixel) id is required for platform meta' });
  if (c.platform === 'tencentads' && !c.accountId) issues.push({ path: '/accountId', message: 'the advertiser account id is required for platform tencentads' });
  for (const [stage, event] of Object.entries(c.events)) {
    const path = `/events/${stage.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (c.platform === 'meta' && (typeof event !== 'string' || !event.trim())) issues.push({ path, message: 'a Meta event name (e.g. "Lead", "QualifiedLead", "Purchase")' });
    if ((c.platform === 'oceanengine' || c.platform === 'baidu') && !Number.isInteger(event)) issues.push({ path, message: `an integer ${c.platform === 'baidu' ? 'newType' : 'clue_convert_state'}` });
    if (c.platform === 'tencentads' && !(TENCENT_CONVERT_TYPES as readonly unknown[]).includes(event)) issues.push({ path, message: `one of ${TENCENT_CONVERT_TYPES.join(', ')}` });
  }
  return issues;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** The platform call for one item; returns what the platform answered. */
async function send(ctx: NodeContext<ConvertConfig>, item: Item, event: string | number, eventId: string): Promise<Record<string, unknown>> {
  const c = ctx.config;
  const s = ctx.secrets ?? {};
  const baseUrl = c.baseUrl ?? DEFAULT_BASE_URL[c.platform];
  const common = { rateKey: c.connection, requestsPerMinute: c.requestsPerMinute, allowPrivateNetwork: c.allowPrivateNetwork };
  const leadId = idText(item[c.leadIdField]);
  const need = (what: string): never => {
    throw new NodeError('missing_field', what, { retryable: false });
  };
  switch (c.platform) {
    case 'meta': {
      const token = s.conversionsAccessToken ?? s.accessToken;
      if (!token) throw new NodeError('missing_secret', `connection ${c.connection} has no "accessToken"`, { retryable: false });
      const email = text(item[c.emailField]);
      const phone = text(item[c.phoneField]);
      if (leadId !== undefined && !/^\d+$/.test(leadId)) need(`${c.leadIdField} must be a Meta lead id (digits), got "${leadId}"`);
      if (!leadId && !email && !phone) need(`nothing to match the lead on: no ${c.leadIdField}, ${c.emailField} or ${c.phoneField}`);
      const at = c.eventTimeField ? parseVendorTime(item[c.eventTimeField]) : undefined;
      return sendMetaConversion(ctx, { baseUrl, version: c.graphVersion, accessToken: token, appSecret: s.appSecret, ...common }, {
        datasetId: c.datasetId!,
        eventName: String(event),
        eventTime: at ?? ctx.now(),
        eventId,
        leadId,
        email,
        phone,
        defaultCountryCode: c.defaultCountryCode,
        leadEventSource: c.leadEventSource,
        testEventCode: c.testEventCode,
      });
    }
    case 'oceanengine': {
      if (!s.accessToken || !s.signatureKey) throw new NodeError('missing_secret', `connection ${c.connection} needs "accessToken" and "signatureKey"`, { retryable: false });
      if (!leadId) need(`the item has no ${c.leadIdField} (the Feiyu clue_id)`);
      return sendClueCallback(ctx, { baseUrl, accessToken: s.accessToken, signatureKey: s.signatureKey, ...common }, leadId!, Number(event));
    }
    case 'tencentads': {
      if (!leadId || !/^\d+$/.test(leadId)) need(`the item has no numeric ${c.leadIdField} (the Tencent leads_id)`);
      return sendLeadStatus(ctx, ctx.secrets, { baseUrl, oauthBaseUrl: c.oauthBaseUrl, ...common }, c.accountId!, leadId!, String(event));
    }
    case 'baidu': {
      if (!s.ocpcToken) throw new NodeError('missing_secret', `connection ${c.connection} has no "ocpcToken" (the oCPC conversion upload token)`, { retryable: false });
      const logidUrl = logidUrlOf(item, c.logidUrlField);
      if (!logidUrl) need(`the item has no ${c.logidUrlField}, nor a landing_url and bd_vid to build it from`);
      return sendOcpcConversion(ctx, { baseUrl, ...common }, s.ocpcToken, { logidUrl: logidUrl!, newType: Number(event) });
    }
  }
}

/** The landing URL carrying the click's bd_vid, which Baidu matches conversions on. */
function logidUrlOf(item: Item, field: string): string | undefined {
  const given = text(item[field]);
  if (given) return given;
  const landing = text(item.landing_url);
  const bdVid = text(item.bd_vid);
  if (!landing) return undefined;
  if (/[?&]bd_vid=/.test(landing) || !bdVid) return /[?&]bd_vid=/.test(landing) ? landing : undefined;
  return `${landing}${landing.includes('?') ? '&' : '?'}bd_vid=${encodeURIComponent(bdVid)}`;
}

export const convertNode = defineNode<ConvertConfig>({
  id: 'ads.convert',
  version: 1,
  title: 'Report conversion to ad platform',
  description:
    'Tells the ad platform how far a lead got (qualified, visited, bought…), so it bids for leads that convert: Meta Conversions API for CRM leads, Ocean Engine (Feiyu) clue callback, Tencent Ads lead status, or Baidu oCPC upload. The item’s stage is mapped to the platform’s event; a retried step never reports the same item twice. Items with an unmapped stage go to `skipped`; items the platform refuses go to `error` with its reason.',
  category: 'io',
  locales: convertNodeLocales,
  icon: 'target',
  outputs: ['out', 'skipped', 'error'],
  connection: { type: 'ads', required: true, typeField: 'platform' },
  retry: { maxAttempts: 5, backoffMs: 2000, maxBackoffMs: 60_000 },
  configSchema: {
    type: 'object',
    required: ['platform', 'connection', 'events'],
    properties: {
      platform: { type: 'string', enum: ['meta', 'oceanengine', 'tencentads', 'baidu'], title: 'Platform' },
      connection: { type: 'string', minLength: 1, title: 'Connection', description: 'A connection of the platform’s type (meta, oceanengine, tencentads or baidu).' },
      stageField: { type: 'string', minLength: 1, default: 'stage', title: 'Stage field', description: 'The item field holding the customer’s stage.' },
      events: {
        type: 'object',
        minProperties: 1,
        additionalProperties: { type: ['string', 'integer'] },
        title: 'Stage → platform event',
        description:
          'meta: event names ({"qualified": "QualifiedLead", "won": "Purchase"}); oceanengine: clue_convert_state numbers; tencentads: LEADS_CONVERT_STATUS_… values; baidu: oCPC newType numbers.',
      },
      leadIdField: { type: 'string', minLength: 1, default: 'lead_id', title: 'Lead id field', description: 'The item field with the platform’s lead id (the lead triggers set lead_id).' },
      eventTimeField: { type: 'string', minLength: 1, title: 'Event time field', description: 'Meta: the item field with the time the stage was reached; default now.' },
      baseUrl: { type: 'string', pattern: '^https?://', title: 'API base URL', description: 'Default: the platform’s own (graph.facebook.com, feiyu.oceanengine.com, api.e.qq.com/v1.3, ocpc.baidu.com).' },
      requestsPerMinute: requestsPerMinuteField(60),
      allowPrivateNetwork: allowPrivateNetworkField,
      datasetId: { type: 'string', pattern: '^\\d+$', title: 'Meta dataset (pixel) id' },
      graphVersion: { type: 'string', pattern: '^v\\d+\\.\\d+$', default: DEFAULT_GRAPH_VERSION, title: 'Graph API version' },
      leadEventSource: { type: 'string', minLength: 1, maxLength: 100, default: 'Tributary', title: 'Meta lead_event_source', description: 'The CRM name Meta shows for these events.' },
      testEventCode: { type: 'string', minLength: 1, title: 'Meta test event code', description: 'From Events Manager → Test events; remove it in production.' },
      emailField: { type: 'string', minLength: 1, default: 'email', title: 'E-mail field (Meta, hashed)' },
      phoneField: { type: 'string', minLength: 1, default: 'phone', title: 'Phone field (Meta, hashed)' },
      defaultCountryCode: { type: 'string', pattern: '^\\d{1,4}$', default: '86', title: 'Default country code', description: 'Meta: prefixed to phones written without one before hashing.' },
      accountId: { type: 'string', pattern: '^\\d{1,19}$', title: 'Tencent advertiser account id' },
      oauthBaseUrl: { type: 'string', pattern: '^https?://', default: DEFAULT_TENCENT_OAUTH_URL, title: 'Tencent OAuth base URL' },
      logidUrlField: { type: 'string', minLength: 1, default: 'logid_url', title: 'Baidu logidUrl field', description: 'The landing URL with bd_vid; default: built from landing_url and bd_vid.' },
    },
    additionalProperties: false,
  },
  checkConfig: checkConvertConfig,
  sample: {
    config: {
      platform: 'meta',
      connection: 'conn_meta',
      stageField: 'stage',
      events: { qualified: 'QualifiedLead', won: 'Purchase' },
      leadIdField: 'lead_id',
      requestsPerMinute: 60,
      allowPrivateNetwork: false,
      datasetId: '1234567890',
      graphVersion: DEFAULT_GRAPH_VERSION,
      leadEventSource: 'Tributary',
      emailField: 'email',
      phoneField: 'phone',
      defaultCountryCode: '86',
      oauthBaseUrl: DEFAULT_TENCENT_OAUTH_URL,
      logidUrlField: 'logid_url',
    },
    input: [{ lead_id: '1234567890123456', stage: 'qualified', phone: '13912345670', email: 'Zhang.San@Example.com' }],
  },
  async run(ctx, items) {
    const c = ctx.config;
    const out: Item[] = [];
    const skipped: Item[] = [];
    const error: Item[] = [];
    for (const [index, item] of items.entries()) {
      const stage = text(item[c.stageField]);
      const event = stage === undefined ? undefined : c.events[stage];
      if (event === undefined) {
        skipped.push({ ...item, conversion: { platform: c.platform, status: 'skipped', reason: stage === undefined ? `no ${c.stageField}` : `stage "${stage}" is not mapped` } });
        continue;
      }
      const key = ctx.idempotencyKey(index);
      // Stable across retries of this step: the platform (Meta) or our ledger drops a second send.
      const eventId = `trib-${sha(key).slice(0, 32)}`;
      const ledger = `ads.convert:${c.platform}:${sha(key)}`;
      const base = { platform: c.platform, stage, event, eventId };
      if (await ctx.cache.get(ledger)) {
        out.push({ ...item, conversion: { ...base, status: 'already_sent' } });
        continue;
      }
      try {
        const response = await send(ctx, item, event, eventId);
        await ctx.cache.set(ledger, '1', LEDGER_TTL_SECONDS);
        out.push({ ...item, conversion: { ...base, status: 'sent', response } });
      } catch (err) {
        // Retryable failures (429, 5xx, throttling) fail the step so it is retried; the ledger keeps
        // the items already sent from going out twice.
        if (err instanceof NodeError && !err.retryable) {
          error.push(errorItem(item, err.code, err.message, err instanceof VendorApiError ? { vendor: err.vendor, status: err.status } : undefined));
          continue;
        }
        throw err;
      }
    }
    return { out, skipped, error };
  },
});
