import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const wechatConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: '微信公众号',
    description: '接收微信公众号推送的消息和事件：关注、扫码和消息；提供 AppSecret 时附带 unionid。',
    auth: {
      '/properties/token': { title: 'Token', description: '服务器配置中的 Token，每次签名都会用到。' },
      '/properties/appId': { title: 'AppID', description: '公众号的 AppID（开发者ID）。安全模式的消息会据此核对。' },
      '/properties/encodingAesKey': { title: 'EncodingAESKey', description: '安全模式的 43 位消息加解密密钥。配置后，明文模式的推送会被拒绝。' },
      '/properties/appSecret': { title: 'AppSecret', description: '可选：用于触发器查询每个用户的 unionid。服务器 IP 须在公众号的 IP 白名单中。' },
      '/properties/apiBaseUrl': { title: 'API 基础 URL', description: '可选：其他微信 API 地址（代理）。默认 https://api.weixin.qq.com。' },
      '/properties/allowPrivateNetwork': { title: '允许访问内网', description: '可选：“true”允许 apiBaseUrl 为回环或私有地址（本地代理、测试）。', enumNames: ['是', '否'] },
    },
  },
};
