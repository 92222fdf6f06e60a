import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const smtpConnectionLocales: ConnectorLocales = {
  'zh-CN': {
    title: 'SMTP（邮件）',
    description: 'notify.email 用来发信的 SMTP 服务器和邮箱。',
  },
};
