import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const wecomConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: '企业微信',
    description: '企业微信客户联系回调：员工添加、编辑和删除的客户，并通过企业微信 API 获取客户详情。',
    auth: {
      '/properties/token': { title: 'Token', description: '回调设置（接收事件服务器）中的 Token。' },
      '/properties/encodingAesKey': { title: 'EncodingAESKey', description: '回调设置中的 43 位密钥。' },
      '/properties/corpId': { title: '企业ID', description: '企业的 ID（我的企业 → 企业信息）。为其他 ID 加密的回调会被拒绝。' },
      '/properties/secret': { title: '客户联系 Secret', description: '可选：客户联系的 Secret（或具有客户联系权限的自建应用 Secret），用于获取客户的姓名、公司、备注手机号和 unionid。' },
      '/properties/apiBaseUrl': { title: 'API 基础 URL', description: '可选：私有化部署的 API 地址。默认 https://qyapi.weixin.qq.com。' },
      '/properties/allowPrivateNetwork': { title: '允许访问内网', description: '可选：“true”允许 apiBaseUrl 为回环或私有地址（私有化部署、测试）。', enumNames: ['是', '否'] },
    },
  },
};
