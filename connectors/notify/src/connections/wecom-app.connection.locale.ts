import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const wecomAppConnectionLocales: ConnectorLocales = {
  'zh-CN': {
    title: '企业微信自建应用',
    description: 'notify.wecom 用来发送应用消息的企业微信自建应用。',
  },
};
