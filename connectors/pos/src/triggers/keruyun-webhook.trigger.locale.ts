import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const keruyunWebhookTriggerLocales: NodeLocales = {
  'zh-CN': {
    title: '客如云推送',
    description: '接收客如云上行推送（订单、会员），校验公共查询参数和合作方令牌的 SHA-256 `sign`（v2 规则还覆盖请求体）及 300 秒时间戳窗口，把订单输出为 pos_purchase 数据（金额、门店、pos_member_id、手机、商品明细），把会员推送输出为会员数据。以客如云要求的成功 JSON 应答。',
    config: {
      '/properties/connection': { title: '连接', description: '保存合作方 `token`（可选 `appKey`）的 `keruyun` 连接。' },
      '/properties/toleranceSeconds': { title: '时间戳容差（秒）', description: '签名的 `timestamp` 与当前时间允许相差的秒数（客如云：300 秒）；0 表示不检查。' },
      '/properties/amountUnit': { title: '金额单位', description: '推送中的金额单位是元（12.5）还是分（1250）；`amount` 始终是以元为单位的十进制字符串。', enumNames: ['元', '分'] },
      '/properties/memberIdPrefix': { title: '会员 ID 前缀', description: '多个收银系统写入同一客户库时，加在 pos_member_id 中客如云顾客 ID 前面的前缀（例如 `keruyun:`）。' },
      '/properties/fieldMap': { title: '字段映射', description: '数据字段 → 推送内容中的点路径（可多个，取第一个有值的），例如 `{"phone": "customer.mobile", "amount": "trade.receivedAmount"}`。会覆盖默认映射（orderId、customerId、mobile、tradeAmount、shopIdenty 等）；其他名称会新增字段。' },
    },
  },
};
