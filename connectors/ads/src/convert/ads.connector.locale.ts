import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const adsConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: '广告平台',
    description: '各广告平台共用的节点：ads.convert 使用对应平台的连接，把客户阶段回传给 Meta、巨量引擎、腾讯广告或百度。',
  },
};
