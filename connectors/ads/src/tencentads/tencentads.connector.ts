import { defineConnector } from '@tributary/node-sdk';
import { tencentadsLeadsTrigger } from './leads.trigger.js';
import { checkTencentadsConnection, tencentadsAuthSchema } from './tencentads-auth.js';
import { tencentadsConnectorLocales } from './tencentads.connector.locale.js';

export const tencentadsConnector = defineConnector({
  id: 'tencentads',
  title: 'Tencent Ads (腾讯广告)',
  description: 'Leads from WeChat, QQ and Tencent Video ads through the Marketing API, and lead status reported back through ads.convert.',
  locales: tencentadsConnectorLocales,
  auth: tencentadsAuthSchema,
  check: checkTencentadsConnection,
  nodes: [tencentadsLeadsTrigger],
});
