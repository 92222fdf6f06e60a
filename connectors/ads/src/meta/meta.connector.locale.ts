import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const metaConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: 'Meta（Facebook / Instagram）',
    description: 'Facebook 和 Instagram 线索广告：leadgen Webhook、通过 Graph API 获取线索，并通过 ads.convert 回传转化。',
    auth: {
      '/properties/verifyToken': { title: '验证令牌', description: '自行设定的任意字符串；在应用的 Webhooks 设置中把同一个值填为“验证令牌”。' },
      '/properties/appSecret': { title: '应用密钥', description: '应用设置 → 基本 → 应用密钥。用于校验 X-Hub-Signature-256 和签名 appsecret_proof。' },
      '/properties/accessToken': { title: '主页访问令牌', description: '具有 leads_retrieval 权限（使用转化 API 还需 ads_management）的长期主页访问令牌。' },
      '/properties/conversionsAccessToken': { title: '转化 API 令牌（可选）', description: '主页令牌无权发送转化事件时，数据集的系统用户令牌；默认使用访问令牌。' },
    },
  },
};
