import { defineNode, isPlainObject, type PollContext } from '@tributary/node-sdk';
import { formatChinaTime } from '../shared/china-time.util.js';
import { checkLeadPollConfig, connectionField, leadPollFields, type LeadPollConfig } from '../shared/config-fields.schema.js';
import { LEAD_POLL_SAMPLE, leadPollTrigger, leadsOf } from '../shared/lead-poller.js';
import type { PolledLead, WindowRequest } from '../shared/window-poll.util.js';
import { baiduRequest, DEFAULT_BAIDU_BASE_URL } from './baidu-api.util.js';
import { mapBaiduNotice } from './notice-fields.util.js';
import { baiduLeadsTriggerLocales } from './leads.trigger.locale.js';

export interface BaiduLeadsConfig extends LeadPollConfig {
  solutionTypes: string[];
  baiduBaseUrl: string;
}

export const SOLUTION_TYPES = ['form', 'phone', 'consult', 'wechat', 'callback', 'follow'] as const;

/** One page of `LeadsNoticeService/getNoticeList` for one lead type (the window's part) in Beijing time. */
export async function noticeListPage(ctx: PollContext<BaiduLeadsConfig>, req: WindowRequest): Promise<{ leads: PolledLead[]; hasNextPage: boolean }> {
  const c = ctx.config;
  const body = await baiduRequest(
    ctx,
    ctx.secrets,
    { baseUrl: c.baiduBaseUrl, rateKey: c.connection, requestsPerMinute: c.requestsPerMinute, allowPrivateNetwork: c.allowPrivateNetwork },
    'LeadsNoticeService',
    'getNoticeList',
    { solutionType: c.solutionTypes[req.part], startDate: formatChinaTime(req.start), endDate: formatChinaTime(req.end), pageNo: req.page, pageSize: c.pageSize },
  );
  const block = Array.isArray(body.data) && isPlainObject(body.data[0]) ? body.data[0] : {};
  const rows = Array.isArray(block.noticeDetailList) ? block.noticeDetailList : [];
  const leads = leadsOf(rows, mapBaiduNotice, ctx, 'baidu: a lead without clueId was skipped');
  const total = Number(block.totalNum);
  const hasNextPage = Number.isFinite(total) ? req.page * c.pageSize < total : rows.length === c.pageSize;
  return { leads, hasNextPage };
}

export const baiduLeadsTrigger = defineNode<BaiduLeadsConfig>({
  id: 'baidu.leads',
  version: 1,
  title: 'Baidu leads (百度营销 线索)',
  description:
    'Polls the Baidu Marketing API (LeadsNoticeService/getNoticeList: 基木鱼 forms, calls, consultations…) for new leads in overlapping time windows, one query per lead type. One run per clueId: a lead read twice never runs twice. Supports backfill from a date.',
  category: 'trigger',
  locales: baiduLeadsTriggerLocales,
  icon: 'baidu',
  inputs: [],
  outputs: ['out'],
  connection: { type: 'baidu', required: true },
  configSchema: {
    type: 'object',
    required: ['connection'],
    properties: {
      connection: connectionField('baidu', 'userName and accessToken'),
      solutionTypes: {
        type: 'array',
        items: { type: 'string', enum: [...SOLUTION_TYPES] },
        minItems: 1,
        uniqueItems: true,
        default: ['form', 'phone', 'consult'],
        title: 'Lead types',
        description: 'form (表单), phone (电话), consult (咨询), wechat (微信), callback (回呼), follow (关注). Each is one query per window.',
      },
      baiduBaseUrl: { type: 'string', pattern: '^https?://', default: DEFAULT_BAIDU_BASE_URL, title: 'Marketing API base URL' },
      // The API answers at most 30 days per query.
      ...leadPollFields({ maxWindowHours: 720, maxPageSize: 5000, pageSize: 100 }),
    },
    additionalProperties: false,
  },
  checkConfig: checkLeadPollConfig,
  sample: {
    config: {
      connection: 'conn_baidu',
      solutionTypes: ['form', 'phone', 'consult'],
      baiduBaseUrl: DEFAULT_BAIDU_BASE_URL,
      ...LEAD_POLL_SAMPLE,
    },
  },
  trigger: leadPollTrigger(noticeListPage, (c) => c.solutionTypes.length),
});
