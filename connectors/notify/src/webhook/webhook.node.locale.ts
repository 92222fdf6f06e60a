import type { NodeLocales } from '@tributary/node-sdk';
import { sendFieldsLocale } from '../shared/notify-node.util.locale.js';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const webhookNotifyNodeLocales: NodeLocales = {
  'zh-CN': {
    title: '发送 Webhook',
    description: '把每条数据（或请求体表达式由它生成的 JSON）POST 到一个 URL，可按 Standard Webhooks 方式签名（`webhook-id`、`webhook-timestamp`、`webhook-signature`）。2xx 视为已发送；408、429、5xx 和网络错误会重试；其他响应的数据发往 `error`。`webhook-id` 在重试间保持不变，接收方可据此丢弃重复消息。',
    ports: { out: '已发送', error: '出错' },
    config: {
      ...sendFieldsLocale,
      '/properties/url': { title: 'URL', description: '接收 POST 的地址（http 或 https）。' },
      '/properties/bodyExpression': { title: '请求体（JSONata）', description: '根据数据生成 JSON 请求体，例如 `{ "type": "lead.assigned", "data": { "name": name, "owner": owner.name } }`。默认：数据本身。' },
      '/properties/headers': { title: '请求头', description: '额外的请求头，例如 `{"authorization": "Bearer …"}`。' },
      '/properties/signing': { title: '签名', description: 'standard-webhooks：用连接中的 `secret`（whsec_…）添加 `webhook-signature: v1,<对 id.timestamp.body 做 HMAC-SHA256 后的 base64>`。', enumNames: ['不签名', 'Standard Webhooks'] },
      '/properties/connection': { title: '连接', description: '保存签名 `secret` 的 `notify` 连接。签名时必填。' },
      '/properties/timeoutMs': { title: '超时（毫秒）', description: '每个请求的超时；Standard Webhooks 建议 15 到 30 秒。' },
      '/properties/maxAttempts': { title: '每次发送尝试次数', description: '在步骤内尝试的次数（带退避，遵守 Retry-After），用完后步骤本身稍后再重试。' },
      '/properties/allowPrivateNetwork': { title: '允许访问内网', description: '允许回环和私有地址（本地部署的接收方、测试）。默认关闭，避免流程误访问内部服务。' },
    },
  },
};
