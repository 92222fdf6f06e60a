import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const shopifyOrdersTriggerLocales: NodeLocales = {
  'zh-CN': {
    title: 'Shopify 订单',
    description: '每收到一个 Shopify 订单 Webhook（orders/create、orders/paid、orders/updated、orders/cancelled、refunds/create）就启动一次运行，并校验原始请求体的 X-Shopify-Hmac-Sha256。输出 order_id（精确的文本）、eventType（order_placed、order_paid、order_updated、order_cancelled、order_refunded）、十进制字符串金额、币种、顾客的邮箱、手机和姓名、收货城市、line_items 和 occurredAt。',
    config: {
      '/properties/connection': { title: '连接', description: '保存 Webhook 签名 `secret` 的 shopify 连接。' },
      '/properties/topics': { title: '主题', description: '启动运行的 Webhook 主题；其他主题的投递返回 200 后丢弃。' },
    },
  },
};
