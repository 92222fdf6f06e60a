import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const youzanConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: '有赞',
    description: '有赞店铺的推送（有赞云消息推送）：订单创建、付款、完成和关闭（youzan.orders），以及会员和门店事件（youzan.webhook）。',
    auth: {
      '/properties/clientId': { title: 'Client ID', description: '有赞云控制台 → 应用 → 应用凭证 client_id。' },
      '/properties/clientSecret': { title: 'Client Secret', description: '有赞云控制台 → 应用 → 应用凭证 client_secret；每次推送都用它签名。' },
    },
  },
};
