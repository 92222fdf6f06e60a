import { defineNode, NodeError, type PollContext } from '@tributary/node-sdk';
import { unixSeconds } from '../shared/china-time.util.js';
import { checkLeadPollConfig, connectionField, leadPollFields, type LeadPollConfig } from '../shared/config-fields.schema.js';
import { LEAD_POLL_SAMPLE, leadPollTrigger, leadsOf } from '../shared/lead-poller.js';
import type { PolledLead, WindowRequest } from '../shared/window-poll.util.js';
import { mapClue } from './clue-fields.util.js';
import { DEFAULT_FEIYU_BASE_URL, feiyuRequest, PULL_CLUES_ROUTE } from './feiyu-api.util.js';
import { oceanengineLeadsTriggerLocales } from './leads.trigger.locale.js';

export interface OceanengineLeadsConfig extends LeadPollConfig {
  feiyuBaseUrl: string;
}

/** One page of `GET /crm/v2/openapi/pull-clues/` for the window. */
export async function pullCluesPage(ctx: PollContext<OceanengineLeadsConfig>, req: WindowRequest): Promise<{ leads: PolledLead[]; hasNextPage: boolean }> {
  const c = ctx.config;
  const accessToken = ctx.secrets?.accessToken;
  const signatureKey = ctx.secrets?.signatureKey;
  if (!accessToken || !signatureKey) throw new NodeError('missing_secret', `connection ${c.connection} needs "accessToken" and "signatureKey"`, { retryable: false });
  const start = unixSeconds(req.start);
  const end = unixSeconds(req.end);
  const body = await feiyuRequest(
    ctx,
    { baseUrl: c.feiyuBaseUrl, accessToken, signatureKey, rateKey: c.connection, requestsPerMinute: c.requestsPerMinute, allowPrivateNetwork: c.allowPrivateNetwork },
    {
      method: 'GET',
      route: PULL_CLUES_ROUTE,
      // Only the two times are signed, in this order; page and page_size are not.
      signedPath: `${PULL_CLUES_ROUTE}?start_time=${start}&end_time=${end}`,
      query: { start_time: start, end_time: end, page: req.page, page_size: c.pageSize },
    },
  );
  const rows = Array.isArray(body.data) ? body.data : [];
  const leads = leadsOf(rows, mapClue, ctx, 'oceanengine: a clue without clue_id was skipped');
  const count = Number(body.count);
  const hasNextPage = Number.isFinite(count) ? req.page * c.pageSize < count : rows.length === c.pageSize;
  return { leads, hasNextPage };
}

export const oceanengineLeadsTrigger = defineNode<OceanengineLeadsConfig>({
  id: 'oceanengine.leads',
  version: 1,
  title: 'Ocean Engine leads (巨量引擎 / 抖音)',
  description:
    'Polls Feiyu CRM (飞鱼, Ocean Engine / Douyin / Toutiao lead ads) for new clues (线索) with the signed pull API, in overlapping time windows. One run per clue_id: a clue read twice never runs twice. Supports backfill from a date.',
  category: 'trigger',
  locales: oceanengineLeadsTriggerLocales,
  icon: 'douyin',
  inputs: [],
  outputs: ['out'],
  connection: { type: 'oceanengine', required: true },
  configSchema: {
    type: 'object',
    required: ['connection'],
    properties: {
      connection: connectionField('oceanengine', 'accessToken and signatureKey'),
      feiyuBaseUrl: { type: 'string', pattern: '^https?://', default: DEFAULT_FEIYU_BASE_URL, title: 'Feiyu API base URL' },
      // Feiyu refuses a pull over more than a week (reported); 100 rows per page at most.
      ...leadPollFields({ maxWindowHours: 168, maxPageSize: 100, pageSize: 100 }),
    },
    additionalProperties: false,
  },
  checkConfig: checkLeadPollConfig,
  sample: {
    config: { connection: 'conn_oceanengine', feiyuBaseUrl: DEFAULT_FEIYU_BASE_URL, ...LEAD_POLL_SAMPLE },
  },
  trigger: leadPollTrigger(pullCluesPage),
});
