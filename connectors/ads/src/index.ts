import type { ConnectorDefinition } from '@tributary/node-sdk';
import { baiduConnector } from './baidu/baidu.connector.js';
import { adsConnector } from './convert/ads.connector.js';
import { metaConnector } from './meta/meta.connector.js';
import { oceanengineConnector } from './oceanengine/oceanengine.connector.js';
import { tencentadsConnector } from './tencentads/tencentads.connector.js';

export { baiduConnector, adsConnector, metaConnector, oceanengineConnector, tencentadsConnector };
export { baiduLeadsTrigger } from './baidu/leads.trigger.js';
export { convertNode } from './convert/convert.node.js';
export { metaLeadAdsTrigger } from './meta/lead-ads.trigger.js';
export { oceanengineLeadsTrigger } from './oceanengine/leads.trigger.js';
export { oceanenginePushTrigger } from './oceanengine/push.trigger.js';
export { tencentadsLeadsTrigger } from './tencentads/leads.trigger.js';

/** The connectors of this package, as the runtime's catalogue lists them. */
export const adsConnectors: ConnectorDefinition[] = [metaConnector, oceanengineConnector, tencentadsConnector, baiduConnector, adsConnector];
