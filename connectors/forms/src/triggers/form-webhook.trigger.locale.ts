import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const formWebhookTriggerLocales: NodeLocales = {
  'zh-CN': {
    title: '网页表单提交',
    description: '接收任何以 JSON 或 form-urlencoded 方式推送数据的表单工具的提交（官网、Jotform、金数据、腾讯问卷、WordPress 插件等）。可选校验共享令牌或 HMAC 签名。把 手机/电话/mobile/phone、邮箱/email、姓名/name、公司/company、城市/city 和 utm_* 映射到标准字段（字段映射可覆盖），展开嵌套的答案，每次提交输出一条 eventType 为 form_submitted 的数据。',
    config: {
      '/properties/auth': { title: '认证方式', description: 'none：接受任何提交。token：连接中的 `token` 须出现在请求头或 `?token=` 查询参数中。hmac：用连接中的 `secret` 对原始请求体签名。', enumNames: ['不校验', '令牌', 'HMAC 签名'] },
      '/properties/connection': { title: '连接', description: '保存 `token`（令牌认证）或 `secret`（HMAC 认证）的 `forms` 连接。认证方式不为 none 时必填。' },
      '/properties/tokenHeader': { title: '令牌请求头', description: '携带令牌的请求头，直接是令牌或 `Bearer <token>`。' },
      '/properties/tokenQuery': { title: '令牌查询参数', description: '适用于只能填写 URL 的工具：`https://<host>/hooks/<flow>/<node>?token=<token>`。' },
      '/properties/signatureHeader': { title: '签名请求头', description: '携带 HMAC 的请求头；可带 `sha256=`（算法名）前缀。' },
      '/properties/algorithm': { title: 'HMAC 算法' },
      '/properties/encoding': { title: '签名编码' },
      '/properties/timestampHeader': { title: '时间戳请求头', description: '携带发送时间的请求头（Unix 秒或毫秒）。设置后，HMAC 覆盖 `<timestamp>.<body>`，过期的请求会被拒绝。' },
      '/properties/toleranceSeconds': { title: '时间戳容差（秒）', description: '签名时间戳与当前时间允许相差的秒数；0 表示不检查。' },
      '/properties/fieldMap': { title: '字段映射', description: '数据字段 → 为其取值的表单字段（按键名、点路径或题目名称，取第一个有值的）；例如 `{"phone": "q4_mobile", "name": ["联系人", "contact.name"]}`。会覆盖默认映射（手机/电话/mobile/phone → phone，邮箱/email → email，姓名/name → name，公司/company → company，城市/city → city，职位/job_title → title）；其他目标名称会新增字段。' },
      '/properties/submissionIdField': { title: '提交 ID 字段', description: '请求体中提交 ID 的点路径（同一 ID 的重复推送只运行一次）。默认：存在时取 submission_id、submissionID、response_id 或 serial_number。' },
      '/properties/submissionIdHeader': { title: '提交 ID 请求头', description: '携带投递 ID 的请求头。默认：存在时取 Idempotency-Key、Webhook-Id、X-Request-Id 或 X-Delivery-Id；否则使用请求体哈希。' },
      '/properties/eventType': { title: '事件类型', description: '每条数据的 `eventType`。' },
      '/properties/channel': { title: '渠道', description: '每条数据的 `channel`，例如 `website` 或 `jinshuju`。' },
      '/properties/utcOffset': { title: '无时区时间的时区', description: '读取 `2024-05-01 10:00:00` 这类不带时区的提交时间时使用的时差。' },
    },
  },
};
