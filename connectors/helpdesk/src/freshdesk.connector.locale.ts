import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const freshdeskConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: 'Freshdesk',
    description: '从 Freshdesk API 轮询工单变更（Freshdesk 的 Webhook 不签名，因此以轮询为可信途径）。',
    auth: {
      '/properties/apiKey': { title: 'API 密钥', description: '个人资料设置 → 查看 API 密钥（客服的密钥；轮询用它读取工单）。' },
      '/properties/domain': { title: '域名', description: 'yourcompany.freshdesk.com：用于在线检查，以及未单独设置域名的节点。' },
    },
  },
};
