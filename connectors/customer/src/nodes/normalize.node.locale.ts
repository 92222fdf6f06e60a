import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const normalizeNodeLocales: NodeLocales = {
  'zh-CN': {
    title: '客户数据规范化',
    description: '从每条数据中找出手机号、邮箱、姓名、公司和城市（可识别常见的中英文字段名），并加上 `normalized`（E.164 手机号、小写邮箱、清洗后的姓名及其匹配键和拼音、公司键、去掉“市/省”的中文城市名）和 `identities`（[{type, value}]，customer.upsert 和 customer.resolve 使用的身份标识）。没有可用身份标识的数据（未提供，或只有 13800000000、未知、test@test.com 之类的无效值）发往 `unidentified`；但如果真实姓名加城市或公司（有打码手机号 138****5678 时也算上）仍能认出这个人，就发往 `out`，并带上 `normalized.identifiedBy: "profile"`。',
    ports: { out: '输出', unidentified: '无法识别' },
    config: {
      '/properties/fields': { title: '字段映射', description: '各类信息分别在哪些数据字段中；未填写的类别使用默认字段（手机：phone、mobile、tel、telephone、phone_number、mobile_phone、cellphone…；邮箱：email、e-mail、mail、email_address、邮箱…；姓名：name、full_name、display_name、contact_name、姓名…；公司：company、company_name、organization、organisation、org…；城市：city、城市、所在城市）。其他键是身份类型，例如 {"wechat_unionid": ["unionid"]}。可用点路径读取嵌套字段。' },
      '/properties/fields/properties/phone': { title: '手机号字段' },
      '/properties/fields/properties/email': { title: '邮箱字段' },
      '/properties/fields/properties/name': { title: '姓名字段' },
      '/properties/fields/properties/company': { title: '公司字段' },
      '/properties/fields/properties/city': { title: '城市字段' },
      '/properties/fields/additionalProperties': { title: '字段' },
      '/properties/defaultCountry': { title: '默认国家/地区', description: '手机号未写国家码时默认的 ISO 3166 代码。' },
    },
  },
};
