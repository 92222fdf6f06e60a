import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const notifyConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: '通知',
    description: '把客户动态告诉相关的人和系统：签名 Webhook、SMTP 邮件、企业微信应用消息或模板短信；即使步骤重试，每条数据也只发送一次。邮件、企业微信和短信分别使用 smtp、wecom_app 和 sms 类型的连接。',
    auth: {
      '/properties/secret': { title: '签名密钥', description: 'Standard Webhooks 密钥：whsec_ 加上 24 到 64 个随机字节的 base64（例如 `echo "whsec_$(openssl rand -base64 32)"`）。把同一个值交给接收方。' },
    },
  },
};
