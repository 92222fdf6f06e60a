import type { NodeLocales } from '@tributary/node-sdk';
import { vendorApiFieldsLocale } from '../shared/config-fields.schema.locale.js';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const convertNodeLocales: NodeLocales = {
  'zh-CN': {
    title: '回传广告转化',
    description: '告诉广告平台线索进展到哪一步（有效、到店、成交等），让平台为更容易转化的线索出价：Meta 转化 API（CRM 线索）、巨量引擎（飞鱼）线索回传、腾讯广告线索状态或百度 oCPC 回传。数据中的阶段映射为平台事件；步骤重试不会重复回传同一条数据。阶段未映射的数据发往 `skipped`；平台拒绝的数据连同原因发往 `error`。',
    ports: { out: '已回传', skipped: '已跳过', error: '出错' },
    config: {
      ...vendorApiFieldsLocale,
      '/properties/platform': { title: '平台', enumNames: ['Meta', '巨量引擎', '腾讯广告', '百度营销'] },
      '/properties/connection': { title: '连接', description: '对应平台类型的连接（meta、oceanengine、tencentads 或 baidu）。' },
      '/properties/stageField': { title: '阶段字段', description: '存放客户阶段的数据字段。' },
      '/properties/events': { title: '阶段 → 平台事件', description: 'meta：事件名称（{"qualified": "QualifiedLead", "won": "Purchase"}）；oceanengine：clue_convert_state 数字；tencentads：LEADS_CONVERT_STATUS_… 取值；baidu：oCPC newType 数字。' },
      '/properties/leadIdField': { title: '线索 ID 字段', description: '存放平台线索 ID 的数据字段（线索触发器会设置 lead_id）。' },
      '/properties/eventTimeField': { title: '事件时间字段', description: 'Meta：存放达到该阶段时间的数据字段；默认为当前时间。' },
      '/properties/baseUrl': { title: 'API 基础 URL', description: '默认：平台自己的地址（graph.facebook.com、feiyu.oceanengine.com、api.e.qq.com/v1.3、ocpc.baidu.com）。' },
      '/properties/datasetId': { title: 'Meta 数据集（像素）ID' },
      '/properties/graphVersion': { title: 'Graph API 版本' },
      '/properties/leadEventSource': { title: 'Meta lead_event_source', description: 'Meta 为这些事件显示的 CRM 名称。' },
      '/properties/testEventCode': { title: 'Meta 测试事件代码', description: '在事件管理工具 → 测试事件中获取；生产环境请删除。' },
      '/properties/emailField': { title: '邮箱字段（Meta，哈希后发送）' },
      '/properties/phoneField': { title: '手机号字段（Meta，哈希后发送）' },
      '/properties/defaultCountryCode': { title: '默认国家代码', description: 'Meta：哈希前为未写国家代码的手机号加上此前缀。' },
      '/properties/accountId': { title: '腾讯广告主账户 ID' },
      '/properties/oauthBaseUrl': { title: '腾讯 OAuth 基础 URL' },
      '/properties/logidUrlField': { title: '百度 logidUrl 字段', description: '带 bd_vid 的落地页 URL；默认：由 landing_url 和 bd_vid 拼成。' },
    },
  },
};
