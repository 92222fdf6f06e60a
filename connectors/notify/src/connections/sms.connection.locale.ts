import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const smsConnectionLocales: ConnectorLocales = {
  'zh-CN': {
    title: '短信（阿里云短信）',
    description: 'notify.sms 用来发送模板短信的短信服务商账号。',
  },
};
