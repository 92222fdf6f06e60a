import type { NodeLocales } from '@tributary/node-sdk';
import { leadPollFieldsLocale, vendorApiFieldsLocale } from '../shared/config-fields.schema.locale.js';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const baiduLeadsTriggerLocales: NodeLocales = {
  'zh-CN': {
    title: '百度营销线索',
    description: '按相互重叠的时间窗口轮询百度营销 API（LeadsNoticeService/getNoticeList：基木鱼表单、电话、咨询等）的新线索，每种线索类型各查询一次。每个 clueId 只运行一次：同一线索读到两次也不会重复运行。支持从指定日期补录。',
    config: {
      ...vendorApiFieldsLocale,
      ...leadPollFieldsLocale,
      '/properties/connection': { title: '连接', description: '保存 userName 和 accessToken 的 baidu 连接。' },
      '/properties/solutionTypes': { title: '线索类型', description: 'form（表单）、phone（电话）、consult（咨询）、wechat（微信）、callback（回呼）、follow（关注）。每种类型每个时间窗口查询一次。' },
      '/properties/baiduBaseUrl': { title: 'Marketing API 基础 URL' },
    },
  },
};
