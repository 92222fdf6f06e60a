import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const formsConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: '网页表单',
    description: '接收任何以 JSON 或表单数据方式推送到 Webhook 地址的表单工具的提交（官网、Jotform、金数据、腾讯问卷等）。',
    auth: {
      '/properties/token': { title: '共享令牌', description: '令牌认证时使用：表单工具在请求头中或以 Webhook URL 上的 `?token=` 发送。请使用足够长的随机值。' },
      '/properties/secret': { title: 'HMAC 密钥', description: 'HMAC 认证时使用：表单工具为请求体签名的密钥。' },
    },
  },
};

export const typeformConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: 'Typeform',
    description: '通过签名 Webhook 接收 Typeform 问卷回复。',
    auth: {
      '/properties/secret': { title: 'Webhook 密钥', description: '在 Typeform Webhook 上设置的 Secret（Connect → Webhooks → Edit → Secret）。' },
    },
  },
};

export const jiandaoyunConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: '简道云',
    description: '通过签名的数据推送接收简道云（Jodoo）表单数据。',
    auth: {
      '/properties/secret': { title: '推送密钥', description: '表单设置 → 数据推送 → Secret（自动生成或自行填写）。' },
    },
  },
};
