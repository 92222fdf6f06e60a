import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const zendeskWebhookTriggerLocales: NodeLocales = {
  'zh-CN': {
    title: 'Zendesk 工单事件',
    description: 'Zendesk 工单创建、状态变更或解决时启动一次运行。接受事件订阅 Webhook（zen:event-type:ticket.created / ticket.status_changed），以及使用连接器 README 中 JSON 请求体的触发器或自动化 Webhook。校验原始请求体的 X-Zendesk-Webhook-Signature HMAC 和签名时间戳。输出 ticket_id、eventType（ticket_opened、ticket_updated、ticket_solved）、请求体中有的提交人邮箱、姓名和电话、主题、状态和 occurredAt。',
    config: {
      '/properties/connection': { title: '连接', description: '保存 Webhook `signingSecret` 的 zendesk 连接。' },
      '/properties/toleranceSeconds': { title: '时间戳容差（秒）', description: 'X-Zendesk-Webhook-Signature-Timestamp 与当前时间允许相差的秒数；更早的投递视为重放并拒绝。Zendesk 未规定窗口；0 表示不检查。' },
      '/properties/acceptTestRequests': { title: '应答 Zendesk 测试请求', description: '创建 Webhook 时，Zendesk 会用公开的测试密钥签名发送测试请求；开启后对其返回 200（不运行）。' },
      '/properties/events': { title: '事件', description: '启动运行的事件类型：ticket_opened（新工单）、ticket_updated（其他任何变更）、ticket_solved（已解决或已关闭）。其他事件确认后丢弃。' },
    },
  },
};
