import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const smtpConnectionLocales: ConnectorLocales = {
  'zh-CN': {
    title: 'SMTP（邮件）',
    description: 'notify.email 用来发信的 SMTP 服务器和邮箱。',
    auth: {
      '/properties/host': { title: '服务器', description: 'SMTP 服务器，例如 smtp.exmail.qq.com（腾讯企业邮）、smtp.qiye.aliyun.com 或 smtp.office365.com。' },
      '/properties/port': { title: '端口', description: '465 配合加密“true”；587（或 25）配合加密“false”，服务器支持时用 STARTTLS 升级。默认 465 或 587。' },
      '/properties/secure': { title: '加密连接（一开始即 TLS）', description: '465 端口用“true”；587/25 端口用“false”。', enumNames: ['是', '否'] },
      '/properties/user': { title: '用户名', description: '登录名，通常是邮箱地址。无需登录的中继可不填。' },
      '/properties/password': { title: '密码', description: '邮箱服务商为 SMTP 签发的密码或客户端专用密码（授权码）。' },
      '/properties/from': { title: '发件人', description: '发件人，例如 "Acme 销售 <sales@acme.example>"；多数服务器要求与登录邮箱一致。' },
      '/properties/requireTLS': { title: '要求 STARTTLS', description: '可选：“true”时，若服务器不把 587/25 端口的连接升级为 TLS，则拒绝发送。', enumNames: ['是', '否'] },
      '/properties/allowPrivateNetwork': { title: '允许访问内网', description: '可选：本地部署、位于私有或回环地址上的中继填“true”。', enumNames: ['是', '否'] },
    },
  },
};
