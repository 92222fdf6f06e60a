import { defineConnector } from '@tributary/node-sdk';
import { checkBaiduConnection, baiduAuthSchema } from './baidu-auth.js';
import { baiduLeadsTrigger } from './leads.trigger.js';
import { baiduConnectorLocales } from './baidu.connector.locale.js';

export const baiduConnector = defineConnector({
  id: 'baidu',
  title: 'Baidu Marketing (百度营销)',
  description: 'Leads of Baidu search and feed ads (基木鱼 forms, calls, consultations) through the Marketing API, and oCPC conversions through ads.convert.',
  locales: baiduConnectorLocales,
  auth: baiduAuthSchema,
  check: checkBaiduConnection,
  nodes: [baiduLeadsTrigger],
});
