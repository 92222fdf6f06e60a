import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const squareConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: 'Square',
    description: '通过签名 Webhook 接收 Square 收银的支付、订单和顾客。',
  },
};

export const keruyunConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: '客如云',
    description: '通过签名的上行推送接收客如云收银的订单和会员。',
  },
};
