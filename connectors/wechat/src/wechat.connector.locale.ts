import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const wechatConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: '微信公众号',
    description: '接收微信公众号推送的消息和事件：关注、扫码和消息；提供 AppSecret 时附带 unionid。',
  },
};
