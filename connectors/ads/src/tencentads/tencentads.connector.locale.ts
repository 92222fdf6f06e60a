import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const tencentadsConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: '腾讯广告',
    description: '通过 Marketing API 获取微信、QQ 和腾讯视频广告的线索，并通过 ads.convert 回传线索状态。',
  },
};
