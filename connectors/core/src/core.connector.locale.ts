import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const coreConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: '核心',
    description: '内置触发器（Webhook、手动、定时）以及每个流程都会用到的节点：数据转换、过滤、分支、校验、HTTP 请求和延时。',
    auth: {
      '/properties/secret': { title: 'HMAC 密钥', description: 'HMAC 认证时使用：发送方为原始请求体签名的密钥。' },
      '/properties/token': { title: '令牌', description: '令牌认证时使用：发送方放在令牌请求头中的值（可带 `Bearer ` 前缀）。' },
    },
  },
};
