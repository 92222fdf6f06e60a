import type { NodeLocales } from '@tributary/node-sdk';
import { leadPollFieldsLocale, vendorApiFieldsLocale } from '../shared/config-fields.schema.locale.js';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const tencentadsLeadsTriggerLocales: NodeLocales = {
  'zh-CN': {
    title: '腾讯广告线索',
    description: '按相互重叠的时间窗口轮询腾讯广告 Marketing API（lead_clues/get，线索管理平台）中某个广告主账户的新线索。每个 leads_id 只运行一次：同一线索读到两次也不会重复运行。支持从指定日期补录。',
    config: {
      ...vendorApiFieldsLocale,
      ...leadPollFieldsLocale,
      '/properties/connection': { title: '连接', description: '保存访问令牌或刷新凭证的 tencentads 连接。' },
      '/properties/accountId': { title: '广告主账户 ID', description: '要读取线索的 account_id。' },
      '/properties/tencentBaseUrl': { title: 'Marketing API 基础 URL' },
      '/properties/oauthBaseUrl': { title: 'OAuth 基础 URL' },
    },
  },
};
