import { defineConnector } from '@tributary/node-sdk';
import { oceanengineLeadsTrigger } from './leads.trigger.js';
import { checkOceanengineConnection, oceanengineAuthSchema } from './oceanengine-auth.js';
import { oceanenginePushTrigger } from './push.trigger.js';
import { oceanengineConnectorLocales } from './oceanengine.connector.locale.js';

export const oceanengineConnector = defineConnector({
  id: 'oceanengine',
  title: 'Ocean Engine (巨量引擎 / 抖音 / 头条)',
  description: 'Lead ads of Douyin and Toutiao through Feiyu CRM (飞鱼): the signed pull API, the lead push, and clue conversion callbacks through ads.convert.',
  locales: oceanengineConnectorLocales,
  auth: oceanengineAuthSchema,
  check: checkOceanengineConnection,
  nodes: [oceanengineLeadsTrigger, oceanenginePushTrigger],
});
