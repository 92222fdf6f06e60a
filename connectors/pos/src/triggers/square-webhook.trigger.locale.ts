import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const squareWebhookTriggerLocales: NodeLocales = {
  'zh-CN': {
    title: 'Square 收银推送',
    description: '接收 Square Webhook 通知，校验 x-square-hmacsha256-signature（用订阅的签名密钥对通知 URL 加原始请求体做 HMAC-SHA256），把 payment.created/updated 和 order.* 输出为 pos_purchase 数据（金额、币种、门店、pos_member_id），把 customer.created/updated 输出为会员数据（手机、邮箱、姓名）。按 event_id 去重。',
    config: {
      '/properties/connection': { title: '连接', description: '保存订阅 `signatureKey` 的 `square` 连接。' },
      '/properties/notificationUrl': { title: '通知 URL', description: '与 Square 订阅中填写的完全一致的 URL（Square 将其与请求体一起签名）：`https://<your host>/hooks/<flowId>/<nodeId>`。不从请求中推导，代理无法篡改。' },
      '/properties/completedOnly': { title: '仅已完成', description: '只有 COMPLETED 状态的支付和订单记为购买；其他状态确认后不运行。' },
      '/properties/memberIdPrefix': { title: '会员 ID 前缀', description: '多个收银系统写入同一客户库时，加在 pos_member_id 中 Square 顾客 ID 前面的前缀（例如 `square:`）。' },
    },
  },
};
