import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const baiduConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: '百度营销',
    description: '通过 Marketing API 获取百度搜索和信息流广告的线索（基木鱼表单、电话、咨询），并通过 ads.convert 回传 oCPC 转化。',
    auth: {
      '/properties/userName': { title: '账户用户名', description: '要读取线索的百度营销账户（header.userName）。' },
      '/properties/accessToken': { title: '访问令牌', description: '百度营销 API 应用的 OAuth 访问令牌（header.accessToken）。会过期，请保持更新。' },
      '/properties/ocpcToken': { title: 'OCPC 令牌（可选）', description: 'oCPC 回传 token，仅 ads.convert 需要。' },
    },
  },
};
