import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const jiandaoyunWebhookTriggerLocales: NodeLocales = {
  'zh-CN': {
    title: '简道云数据推送',
    description: '接收简道云（Jodoo）数据推送，校验 X-JDY-Signature（对 nonce:payload:secret:timestamp 做 SHA-1）和时间戳窗口，每条新增或修改的记录输出一条数据。控件名称（来自 `widgets` 列表或字段别名）把 手机/电话、邮箱、姓名、公司、城市 映射为标准字段；字段映射可覆盖。',
    config: {
      '/properties/connection': { title: '连接', description: '保存推送 `secret`（数据推送 → Secret）的 `jiandaoyun` 连接。' },
      '/properties/ops': { title: '触发运行的推送事件', description: 'data_create → eventType 为 form_submitted，data_update → form_updated，data_recover → form_recovered。其他推送（data_remove、form_update）只确认，不运行。' },
      '/properties/widgets': { title: '控件名称', description: '表单控件，格式为 `{ "name": "_widget_1616600963783", "label": "手机号码" }`（取自表单结构推送或控件接口的 `widgets` 列表）。简道云推送的是控件 ID 而不是名称；有了这个列表，才能按名称找到标准字段。' },
      '/properties/widgets/items/properties/name': { title: '字段名' },
      '/properties/widgets/items/properties/label': { title: '名称' },
      '/properties/fieldMap': { title: '字段映射', description: '数据字段 → 为其取值的表单字段（按键名、点路径或题目名称，取第一个有值的）；例如 `{"phone": "q4_mobile", "name": ["联系人", "contact.name"]}`。会覆盖默认映射（手机/电话/mobile/phone → phone，邮箱/email → email，姓名/name → name，公司/company → company，城市/city → city，职位/job_title → title）；其他目标名称会新增字段。' },
      '/properties/toleranceSeconds': { title: '时间戳容差（秒）', description: '签名的 `timestamp` 查询参数与当前时间允许相差的秒数；0 表示不检查。' },
    },
  },
};
