import type { NodeLocales } from '@tributary/node-sdk';
import { leadPollFieldsLocale, vendorApiFieldsLocale } from '../shared/config-fields.schema.locale.js';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const oceanengineLeadsTriggerLocales: NodeLocales = {
  'zh-CN': {
    title: '巨量引擎线索（抖音）',
    description: '通过签名拉取接口，按相互重叠的时间窗口轮询飞鱼 CRM（巨量引擎 / 抖音 / 头条线索广告）的新线索。每个 clue_id 只运行一次：同一线索读到两次也不会重复运行。支持从指定日期补录。',
    config: {
      ...vendorApiFieldsLocale,
      ...leadPollFieldsLocale,
      '/properties/connection': { title: '连接', description: '保存 accessToken 和 signatureKey 的 oceanengine 连接。' },
      '/properties/feiyuBaseUrl': { title: '飞鱼 API 基础 URL' },
    },
  },
};
