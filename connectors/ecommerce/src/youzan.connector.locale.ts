import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const youzanConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: '有赞',
    description: '有赞店铺的推送（有赞云消息推送）：订单创建、付款、完成和关闭（youzan.orders），以及会员和门店事件（youzan.webhook）。',
  },
};
