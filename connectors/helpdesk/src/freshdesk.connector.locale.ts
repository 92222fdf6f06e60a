import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const freshdeskConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: 'Freshdesk',
    description: '从 Freshdesk API 轮询工单变更（Freshdesk 的 Webhook 不签名，因此以轮询为可信途径）。',
  },
};
