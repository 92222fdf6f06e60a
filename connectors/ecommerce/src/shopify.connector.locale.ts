import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const shopifyConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: 'Shopify',
    description: '来自 Shopify 店铺的订单、付款、取消和退款 Webhook，按 HMAC 校验。',
    auth: {
      '/properties/secret': { title: 'Webhook 签名密钥', description: '应用的 Webhook：应用的 client secret（API 密钥）。在后台创建的 Webhook（设置 → 通知 → Webhooks）：该页“您的 Webhook 将使用以下密钥签名”下显示的密钥。' },
    },
  },
};
