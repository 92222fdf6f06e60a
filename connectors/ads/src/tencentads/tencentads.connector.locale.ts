import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const tencentadsConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: '腾讯广告',
    description: '通过 Marketing API 获取微信、QQ 和腾讯视频广告的线索，并通过 ads.convert 回传线索状态。',
    auth: {
      '/properties/accessToken': { title: '访问令牌', description: 'OAuth 访问令牌；会过期，建议改用下面的刷新凭证。' },
      '/properties/clientId': { title: '应用 ID（client_id）' },
      '/properties/clientSecret': { title: '应用密钥（client_secret）' },
      '/properties/refreshToken': { title: '刷新令牌', description: '来自广告主的 OAuth 授权；用它刷新访问令牌，所有 worker 共用。' },
    },
  },
};
