import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const metaConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: 'Meta（Facebook / Instagram）',
    description: 'Facebook 和 Instagram 线索广告：leadgen Webhook、通过 Graph API 获取线索，并通过 ads.convert 回传转化。',
  },
};
