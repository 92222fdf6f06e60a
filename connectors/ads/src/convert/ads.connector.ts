import { defineConnector } from '@tributary/node-sdk';
import { convertNode } from './convert.node.js';
import { adsConnectorLocales } from './ads.connector.locale.js';

export const adsConnector = defineConnector({
  id: 'ads',
  title: 'Ad platforms',
  description: 'Nodes shared by the ad platforms: ads.convert reports a customer’s stage back to Meta, Ocean Engine, Tencent Ads or Baidu, using that platform’s connection.',
  locales: adsConnectorLocales,
  nodes: [convertNode],
});
