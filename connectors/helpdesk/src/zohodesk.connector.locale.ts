import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const zohoDeskConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: 'Zoho Desk',
    description: '来自 Zoho Desk Webhook（以 URL 中的密钥令牌认证）的工单事件，或用 OAuth 从 Zoho Desk API 轮询。',
  },
};
