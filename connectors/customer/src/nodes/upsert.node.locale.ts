import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const upsertNodeLocales: NodeLocales = {
  'zh-CN': {
    title: '保存到客户库',
    description: '按身份标识查找或新建每条数据对应的客户（先手机号，再微信 unionid、企业微信/POS 会员 ID、邮箱、设备 ID；都没有时，按姓名、公司和城市打分，超过自动合并分数才匹配，同名时打码（138****5678）或输错一位的手机号、输错一个字母的邮箱也计分；一条数据的身份标识分属两个姓名一致的客户时，把两个客户合并（可撤销，操作者 system:resolution）；没有可用身份标识时，用真实姓名加城市或公司（有打码手机号时也算上）来识别：匹配到的客户，或一个没有身份标识的新客户；不确定的进入审核队列；同一手机号的不同写法、同一邮箱的不同形式（gmail 的点和 +后缀、163.con）找到同一个人；昵称不会覆盖真实姓名；13800000000、test@test.com 之类的无效值不用于识别），把其他字段保存为记录来源的客户属性，并写入一条时间线事件。步骤重试不会重复写入。每条数据加上 `customerId`、`created` 和 `resolution`（类型、分数、原因），合并了客户时还有 `mergedCustomers`，然后从 `out` 发出；无法识别任何人的数据连同原因发往 `error`。',
    ports: { out: '已保存', error: '出错' },
    config: {
      '/properties/identityFields': { title: '身份字段', description: '各身份类型分别在哪些数据字段中；未填写的类型使用默认字段（手机：phone、mobile、tel、telephone、phone_number、mobile_phone、cellphone…；邮箱：email、e-mail、mail、email_address、邮箱…；wechat_unionid、wechat_openid、wecom_external_userid、pos_member_id）。customer.normalize 生成的 `identities` 总会使用。' },
      '/properties/identityFields/properties/phone': { title: '手机号字段' },
      '/properties/identityFields/properties/email': { title: '邮箱字段' },
      '/properties/identityFields/additionalProperties': { title: '字段' },
      '/properties/attributeFields': { title: '属性字段', description: '保存为客户属性的数据字段。默认：所有非身份标识的顶层文本、数字或布尔字段。姓名、公司、城市的别名（姓名、公司、城市…）分别保存为 name、company、city。' },
      '/properties/source': { title: '来源', description: '随每个值和身份标识一起记录，例如 `webform`、`wecom`、`pos`。默认：触发器类型，否则为 `flow`。' },
      '/properties/event': { title: '时间线事件' },
      '/properties/event/properties/type': { title: '事件类型' },
      '/properties/event/properties/typeField': { title: '事件类型字段', description: '存放事件类型的数据字段（例如连接器设置的 `eventType`：ticket_opened、ticket_solved）；数据中没有时使用上面的事件类型。' },
      '/properties/event/properties/occurredAtField': { title: '时间字段', description: '存放事件发生时间的数据字段（ISO 8601 或毫秒时间戳）；默认为当前时间。' },
      '/properties/event/properties/includeItem': { title: '保留原始数据', description: '把提交的数据作为事件内容保存（删除客户时一并删除）。' },
      '/properties/tags': { title: '标签', description: '给每个写入的客户加上这些标签。' },
      '/properties/defaultCountry': { title: '默认国家/地区', description: '手机号未写国家码时默认的 ISO 3166 代码。' },
      '/properties/survivorship': { title: '取值规则', description: '按属性（姓名、公司、城市或其他字段）决定来源不一致时保留哪个值：`latest`（默认，最新）、`first`（最早）、`source_priority`（`sources` 中排在最前的来源优先）、`manual`（人工修改过的值不会被流程覆盖）、`longest`（最完整的值）。随每个值记录。' },
      '/properties/survivorship/additionalProperties/properties/policy': { title: '规则', enumNames: ['以最新为准', '以最早为准', '按来源优先级', '人工修改优先', '取最完整的值'] },
      '/properties/survivorship/additionalProperties/properties/sources': { title: '来源（优先级从高到低）' },
    },
  },
};
