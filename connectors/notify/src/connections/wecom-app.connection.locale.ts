import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const wecomAppConnectionLocales: ConnectorLocales = {
  'zh-CN': {
    title: '企业微信自建应用',
    description: 'notify.wecom 用来发送应用消息的企业微信自建应用。',
    auth: {
      '/properties/corpId': { title: '企业ID', description: '企业的 ID（我的企业 → 企业信息 → 企业ID）。' },
      '/properties/agentId': { title: 'AgentId', description: '自建应用的 AgentId（应用管理 → 该应用）。' },
      '/properties/secret': { title: 'Secret', description: '应用的 Secret（应用管理 → 该应用 → Secret）。接收消息的成员须在应用的可见范围内。' },
      '/properties/apiBaseUrl': { title: 'API 基础 URL', description: '可选：私有化部署的 API 地址。默认 https://qyapi.weixin.qq.com。' },
      '/properties/allowPrivateNetwork': { title: '允许访问内网', description: '可选：“true”允许 apiBaseUrl 为回环或私有地址（私有化部署、测试）。', enumNames: ['是', '否'] },
    },
  },
};
