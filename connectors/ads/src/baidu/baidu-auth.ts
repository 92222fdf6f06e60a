import { InMemorySharedCache, type HttpClient, type JsonSchema } from '@tributary/node-sdk';
import { formatChinaTime } from '../shared/china-time.util.js';
import { baiduRequest, DEFAULT_BAIDU_BASE_URL } from './baidu-api.util.js';

/** The secrets of a `baidu` connection. */
export const baiduAuthSchema: JsonSchema = {
  type: 'object',
  required: ['userName', 'accessToken'],
  properties: {
    userName: { type: 'string', minLength: 1, title: 'Account user name', description: 'The 百度营销 account whose leads are read (header.userName).' },
    accessToken: { type: 'string', minLength: 1, title: 'Access token', description: 'An OAuth access token of the Baidu Marketing API app (header.accessToken). It expires: keep it fresh.' },
    ocpcToken: { type: 'string', minLength: 1, title: 'OCPC token (optional)', description: 'The conversion upload token (oCPC 回传 token), needed only by ads.convert.' },
  },
};

/** Checks a baidu connection with a one-row lead query of the last hour. */
export async function checkBaiduConnection(secrets: Record<string, string>, ctx: { http: HttpClient; now(): Date }): Promise<void> {
  if (!secrets.userName?.trim() || !secrets.accessToken?.trim()) throw new Error('the baidu connection needs "userName" and "accessToken"');
  const end = ctx.now();
  try {
    await baiduRequest(
      { http: ctx.http, cache: new InMemorySharedCache() },
      secrets,
      { baseUrl: DEFAULT_BAIDU_BASE_URL, rateKey: 'check', requestsPerMinute: 60, allowPrivateNetwork: false },
      'LeadsNoticeService',
      'getNoticeList',
      { solutionType: 'form', startDate: formatChinaTime(new Date(end.getTime() - 3600_000)), endDate: formatChinaTime(end), pageNo: 1, pageSize: 1 },
    );
  } catch (err) {
    throw new Error(`Baidu refused the user name or access token: ${err instanceof Error ? err.message : String(err)}`);
  }
}
