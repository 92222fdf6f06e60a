import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const freshdeskTicketsTriggerLocales: NodeLocales = {
  'zh-CN': {
    title: 'Freshdesk 工单',
    description: '轮询 Freshdesk 自上次以来更新的工单（GET /api/v2/tickets?updated_since=…&order_by=updated_at，附带提交人），每次工单变更启动一次运行。输出 ticket_id、eventType（ticket_opened、ticket_updated，已解决或已关闭为 ticket_solved）、提交人的邮箱、姓名和电话、主题、状态和 occurredAt。时间窗口重叠也不会重复同一变更；补录可从任意日期重新开始。',
    config: {
      '/properties/connection': { title: '连接', description: '保存 `apiKey` 的 freshdesk 连接。' },
      '/properties/domain': { title: 'Freshdesk 域名', description: 'yourcompany.freshdesk.com（或只写 yourcompany）。默认：连接中的域名。' },
      '/properties/baseUrl': { title: 'API 基础 URL', description: '覆盖域名，例如用于代理或测试服务器。' },
      '/properties/intervalSeconds': { title: '轮询间隔（秒）' },
      '/properties/overlapSeconds': { title: '重叠时间（秒）', description: '每次轮询都再往前多看这么久，以免漏掉 Freshdesk 延迟列出的更新；同一变更看到两次只运行一次。' },
      '/properties/perPage': { title: '每次请求工单数' },
      '/properties/requestsPerMinute': { title: '每分钟请求数', description: '使用此连接的所有 worker 共用。Freshdesk 的限额取决于套餐，并与账户的其他集成共用。' },
      '/properties/initialLookbackHours': { title: '起始时间（小时前）', description: '首次轮询从何时开始；0 表示只处理从现在起的变更。更早的历史请使用补录。' },
      '/properties/openedWithinSeconds': { title: '新工单窗口（秒）', description: '创建后这么短时间内的变更（分配规则会立即执行）按 ticket_opened 报告。' },
      '/properties/includeRequester': { title: '包含提交人', description: '补充提交人的邮箱、姓名和电话（include=requester；Freshdesk 会额外计一次 API 调用额度）。' },
      '/properties/allowPrivateNetwork': { title: '允许访问内网', description: '仅用于私有地址上的测试或本地部署接口。' },
    },
  },
};
