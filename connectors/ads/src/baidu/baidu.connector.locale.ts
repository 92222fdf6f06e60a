import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const baiduConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: '百度营销',
    description: '通过 Marketing API 获取百度搜索和信息流广告的线索（基木鱼表单、电话、咨询），并通过 ads.convert 回传 oCPC 转化。',
  },
};
