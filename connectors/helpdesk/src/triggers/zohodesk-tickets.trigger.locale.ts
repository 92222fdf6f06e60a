import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const zohoDeskTicketsTriggerLocales: NodeLocales = {
  'zh-CN': {
    title: 'Zoho Desk 工单 Webhook',
    description: '每个 Zoho Desk Ticket_Add 和 Ticket_Update Webhook 事件启动一次运行。Zoho Desk 不对 Webhook 签名，因此 URL 中带共享密钥令牌（`?token=…` 或请求头），以恒定时间比较。输出 ticket_id、eventType（ticket_opened、ticket_updated，工单关闭时为 ticket_solved）、联系人的邮箱、姓名和电话、主题、状态和 occurredAt。',
    config: {
      '/properties/connection': { title: '连接', description: '保存您放在 Webhook URL 中的 `webhookToken` 的 zohodesk 连接。' },
      '/properties/tokenQueryParam': { title: '令牌查询参数', description: '携带令牌的 URL 查询参数：https://<host>/hooks/<flow>/<node>?token=<webhookToken>。' },
      '/properties/tokenHeader': { title: '令牌请求头', description: '也接受放在此请求头中的令牌（直接是令牌或 `Bearer <token>`），供会添加请求头的代理使用。' },
      '/properties/events': { title: '事件', description: '启动运行的事件类型：ticket_opened（新工单）、ticket_updated（其他任何变更）、ticket_solved（已解决或已关闭）。其他事件确认后丢弃。' },
    },
  },
};
