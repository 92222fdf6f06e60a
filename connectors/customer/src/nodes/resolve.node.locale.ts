import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const resolveNodeLocales: NodeLocales = {
  'zh-CN': {
    title: '匹配客户',
    description: '不写入任何数据，判断每条数据属于哪个客户，规则与 customer.upsert 相同：先按优先级比对身份标识（手机号、微信 unionid、企业微信/POS 会员 ID、邮箱、设备 ID），再按姓名、公司和城市打分。每条数据加上 `resolution: { kind, customerId?, score, reasons }`，并从 `matched`（已有客户）、`new`（新客户）或 `review`（疑似同一人，需人工审核）发出。没有可用身份标识的数据连同原因发往 `new`。',
    ports: { matched: '已匹配', new: '新客户', review: '待审核' },
    config: {
      '/properties/identityFields': { title: '身份字段', description: '各身份类型分别在哪些数据字段中；未填写的类型使用默认字段（手机：phone、mobile、tel、telephone、phone_number、mobile_phone、cellphone…；邮箱：email、e-mail、mail、email_address、邮箱…；wechat_unionid、wechat_openid、wecom_external_userid、pos_member_id）。customer.normalize 生成的 `identities` 总会使用。' },
      '/properties/identityFields/properties/phone': { title: '手机号字段' },
      '/properties/identityFields/properties/email': { title: '邮箱字段' },
      '/properties/identityFields/additionalProperties': { title: '字段' },
      '/properties/attributeFields': { title: '资料字段', description: '作为客户资料参与比对的数据字段。默认：所有非身份标识的顶层文本或数字字段（姓名、公司、城市的别名，如 姓名、公司、城市，分别按姓名、公司、城市处理）。' },
      '/properties/defaultCountry': { title: '默认国家/地区', description: '手机号未写国家码时默认的 ISO 3166 代码。' },
    },
  },
};
