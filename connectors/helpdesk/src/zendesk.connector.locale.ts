import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const zendeskConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: 'Zendesk',
    description: '来自 Zendesk Webhook（已签名）的工单事件，以及通过 Zendesk API 查询提交人的联系方式。',
    auth: {
      '/properties/signingSecret': { title: 'Webhook 签名密钥', description: '管理中心 → 应用和集成 → Webhooks → 您的 Webhook → 签名密钥 → 显示密钥。' },
      '/properties/subdomain': { title: '子域名', description: '可选：acme.zendesk.com 填 `acme`。同时填写邮箱和 API 令牌后，可在线检查连接并查询提交人。' },
      '/properties/email': { title: '客服邮箱', description: '可选：API 令牌所属客服的邮箱。' },
      '/properties/apiToken': { title: 'API 令牌', description: '可选：管理中心 → 应用和集成 → Zendesk API → API 令牌。' },
    },
  },
};
