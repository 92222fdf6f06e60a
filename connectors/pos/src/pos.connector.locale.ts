import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const squareConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: 'Square',
    description: '通过签名 Webhook 接收 Square 收银的支付、订单和顾客。',
    auth: {
      '/properties/signatureKey': { title: '签名密钥', description: 'Developer Console → Webhooks → Subscriptions → 您的订阅 → Signature key。' },
    },
  },
};

export const keruyunConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: '客如云',
    description: '通过签名的上行推送接收客如云收银的订单和会员。',
    auth: {
      '/properties/token': { title: 'Token', description: '客如云为您的应用和门店签发的 token（每次签名都会用到）。' },
      '/properties/appKey': { title: 'App key', description: '可选：您的 appKey；携带其他 appKey 的推送会被拒绝。' },
    },
  },
};
