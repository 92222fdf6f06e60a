import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const zendeskConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: 'Zendesk',
    description: '来自 Zendesk Webhook（已签名）的工单事件，以及通过 Zendesk API 查询提交人的联系方式。',
  },
};
