import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const oceanengineConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: '巨量引擎（抖音 / 头条）',
    description: '通过飞鱼 CRM 获取抖音和今日头条的广告线索：签名拉取接口、线索推送，并通过 ads.convert 回传线索转化。',
    auth: {
      '/properties/accessToken': { title: '令牌', description: '飞鱼 CRM API 令牌（以 Access-Token 发送）。' },
      '/properties/signatureKey': { title: '签名密钥', description: '为每次 API 调用签名（HMAC-SHA256）。' },
      '/properties/pushToken': { title: '推送令牌（可选）', description: '自行设定的随机字符串，用于线索推送 URL（`?token=…`），仅 oceanengine.push 需要。' },
    },
  },
};
