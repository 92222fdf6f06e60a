import { defineNode, isPlainObject, type PollContext } from '@tributary/node-sdk';
import { unixSeconds } from '../shared/china-time.util.js';
import { checkLeadPollConfig, connectionField, leadPollFields, type LeadPollConfig } from '../shared/config-fields.schema.js';
import { Int64 } from '../shared/exact-json.util.js';
import { LEAD_POLL_SAMPLE, leadPollTrigger, leadsOf } from '../shared/lead-poller.js';
import type { PolledLead, WindowRequest } from '../shared/window-poll.util.js';
import { mapTencentLead } from './lead-fields.util.js';
import { DEFAULT_TENCENT_BASE_URL, DEFAULT_TENCENT_OAUTH_URL, tencentRequest } from './marketing-api.util.js';
import { tencentadsLeadsTriggerLocales } from './leads.trigger.locale.js';

export interface TencentLeadsConfig extends LeadPollConfig {
  accountId: string;
  tencentBaseUrl: string;
  oauthBaseUrl: string;
}

export const tencentOptions = (c: Pick<TencentLeadsConfig, 'tencentBaseUrl' | 'oauthBaseUrl' | 'connection' | 'requestsPerMinute' | 'allowPrivateNetwork'>) => ({
  baseUrl: c.tencentBaseUrl,
  oauthBaseUrl: c.oauthBaseUrl,
  rateKey: c.connection,
  requestsPerMinute: c.requestsPerMinute,
  allowPrivateNetwork: c.allowPrivateNetwork,
});

/** One page of `POST lead_clues/get` for the window (time_range in Unix seconds). */
export async function leadCluesPage(ctx: PollContext<TencentLeadsConfig>, req: WindowRequest): Promise<{ leads: PolledLead[]; hasNextPage: boolean }> {
  const c = ctx.config;
  const data = await tencentRequest(ctx, ctx.secrets, tencentOptions(c), '/lead_clues/get', {
    account_id: new Int64(c.accountId),
    time_range: { start_time: unixSeconds(req.start), end_time: unixSeconds(req.end) },
    page: req.page,
    page_size: c.pageSize,
  });
  const rows = Array.isArray(data.leads_info) ? data.leads_info : Array.isArray(data.list) ? data.list : [];
  const leads = leadsOf(rows, mapTencentLead, ctx, 'tencentads: a lead without leads_id was skipped');
  const pageInfo = isPlainObject(data.page_info) ? data.page_info : {};
  const totalPage = Number(pageInfo.total_page);
  const hasNextPage = Number.isFinite(totalPage) ? req.page < totalPage : rows.length === c.pageSize;
  return { leads, hasNextPage };
}

export const tencentadsLeadsTrigger = defineNode<TencentLeadsConfig>({
  id: 'tencentads.leads',
  version: 1,
  title: 'Tencent Ads leads (腾讯广告)',
  description:
    'Polls the Tencent Ads Marketing API (lead_clues/get, 线索管理平台) for new leads of one advertiser account in overlapping time windows. One run per leads_id: a lead read twice never runs twice. Supports backfill from a date.',
  category: 'trigger',
  locales: tencentadsLeadsTriggerLocales,
  icon: 'tencent',
  inputs: [],
  outputs: ['out'],
  connection: { type: 'tencentads', required: true },
  configSchema: {
    type: 'object',
    required: ['connection', 'accountId'],
    properties: {
      connection: connectionField('tencentads', 'an access token or refresh credentials'),
      accountId: { type: 'string', pattern: '^\\d{1,19}$', title: 'Advertiser account id', description: 'The account_id whose leads are read.' },
      tencentBaseUrl: { type: 'string', pattern: '^https?://', default: DEFAULT_TENCENT_BASE_URL, title: 'Marketing API base URL' },
      oauthBaseUrl: { type: 'string', pattern: '^https?://', default: DEFAULT_TENCENT_OAUTH_URL, title: 'OAuth base URL' },
      ...leadPollFields({ maxWindowHours: 720, maxPageSize: 100, pageSize: 100 }),
    },
    additionalProperties: false,
  },
  checkConfig: checkLeadPollConfig,
  sample: {
    config: {
      connection: 'conn_tencentads',
      accountId: '12345678',
      tencentBaseUrl: DEFAULT_TENCENT_BASE_URL,
      oauthBaseUrl: DEFAULT_TENCENT_OAUTH_URL,
      ...LEAD_POLL_SAMPLE,
    },
  },
  trigger: leadPollTrigger(leadCluesPage),
});
