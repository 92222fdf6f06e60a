import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const zohoDeskConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: 'Zoho Desk',
    description: '来自 Zoho Desk Webhook（以 URL 中的密钥令牌认证）的工单事件，或用 OAuth 从 Zoho Desk API 轮询。',
    auth: {
      '/properties/webhookToken': { title: 'Webhook 令牌', description: '自行生成的随机密钥（例如 `openssl rand -hex 24`），以 ?token=… 追加到 Webhook URL；Zoho Desk 不对 Webhook 签名。' },
      '/properties/clientId': { title: 'OAuth 客户端 ID', description: '轮询时使用：在 Zoho API Console 中创建的 Self Client 或服务端客户端。' },
      '/properties/clientSecret': { title: 'OAuth 客户端密钥' },
      '/properties/refreshToken': { title: '刷新令牌', description: '以 Desk.tickets.READ、Desk.contacts.READ、Desk.basic.READ 权限范围生成。' },
      '/properties/orgId': { title: '组织 ID', description: 'Zoho Desk → 设置 → 开发者空间 → API。' },
      '/properties/accountsBaseUrl': { title: '账户服务器', description: '签发刷新令牌的数据中心：https://accounts.zoho.com（默认）、.eu、.in、.com.au、.jp 或 https://accounts.zoho.com.cn。' },
    },
  },
};
