import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const typeformWebhookTriggerLocales: NodeLocales = {
  'zh-CN': {
    title: 'Typeform 问卷回复',
    description: '接收 Typeform Webhook（form_response），校验 Typeform-Signature（用 Webhook 密钥对原始请求体做 HMAC-SHA256），每份回复输出一条数据：email 和 phone_number 类型的答案作为 email 和 phone，其他答案按题目标题命名（姓名/name、公司/company、城市/city 等映射为标准字段），并保留 utm_source 等隐藏字段。',
    config: {
      '/properties/connection': { title: '连接', description: '保存 Webhook `secret` 的 `typeform` 连接。' },
      '/properties/fieldMap': { title: '字段映射', description: '数据字段 → 为其取值的表单字段（按键名、点路径或题目名称，取第一个有值的）；例如 `{"phone": "q4_mobile", "name": ["联系人", "contact.name"]}`。会覆盖默认映射（手机/电话/mobile/phone → phone，邮箱/email → email，姓名/name → name，公司/company → company，城市/city → city，职位/job_title → title）；其他目标名称会新增字段。' },
      '/properties/includePartial': { title: '部分回复', description: '同时处理 form_response_partial 事件（eventType 为 form_partial）。' },
    },
  },
};
