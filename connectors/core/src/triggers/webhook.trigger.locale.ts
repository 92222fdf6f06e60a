import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const webhookTriggerLocales: NodeLocales = {
  'zh-CN': {
    title: 'Webhook 触发器',
    description: '每收到一个发往本流程 Webhook 地址的 HTTP 请求就启动一次运行，可选校验 HMAC 签名或令牌。',
    config: {
      '/properties/auth': { title: '认证方式', description: 'none：接受任何请求。hmac：用连接中的 `secret` 校验原始请求体的签名。token：将请求头与连接中的 `token` 比对。', enumNames: ['不校验', 'HMAC 签名', '令牌'] },
      '/properties/connection': { title: '连接', description: '保存密钥的连接（HMAC 用 `secret`，令牌认证用 `token`）。认证方式不为 none 时必填。' },
      '/properties/signatureHeader': { title: '签名请求头', description: '携带 HMAC 签名的请求头。' },
      '/properties/signaturePrefix': { title: '签名前缀', description: '请求头中签名前面的文字，例如 `sha256=`；没有则留空。' },
      '/properties/algorithm': { title: 'HMAC 算法' },
      '/properties/encoding': { title: '签名编码' },
      '/properties/tokenHeader': { title: '令牌请求头', description: '携带令牌的请求头，格式为 `Bearer <token>` 或直接是令牌。' },
      '/properties/timestampHeader': { title: '时间戳请求头', description: '以 Unix 秒表示发送时间的请求头。设置后，HMAC 按 `<timestamp>.<body>` 计算，过期的请求会被拒绝。' },
      '/properties/toleranceSeconds': { title: '时间戳容差（秒）', description: '时间戳与当前时间允许相差的秒数。0 表示不检查。' },
      '/properties/dedupe': { title: '重复请求识别', description: '如何识别重复投递（重复投递会被确认，但不会再次运行）。header：投递 ID 请求头（Idempotency-Key、X-Idempotency-Key、X-Request-Id、X-Delivery-Id，或下方指定的请求头）。expression：对请求体求值的 JSONata 表达式。body-hash：请求体完全相同。none：每个请求都运行。', enumNames: ['按请求头', '按表达式', '按请求体哈希', '不去重'] },
      '/properties/dedupeHeader': { title: '投递 ID 请求头', description: '按请求头去重时：用这个请求头代替常用的几个。' },
      '/properties/dedupeExpression': { title: '投递 ID 表达式', description: '按表达式去重时：对请求体求值、得到事件 ID 的 JSONata 表达式，例如 `event.id`。' },
      '/properties/itemsPath': { title: '数据项路径', description: '指向请求体中某个数组的点路径（例如 `data.leads`），数组的每个元素成为一条数据。不填时，数组请求体每个元素一条数据，对象请求体为一条数据。' },
      '/properties/methods': { title: 'HTTP 方法', description: '接受的请求方法，其他方法返回 405。' },
    },
  },
};
