import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const zohoDeskTicketsPollTriggerLocales: NodeLocales = {
  'zh-CN': {
    title: 'Zoho Desk 工单（轮询）',
    description: '轮询 Zoho Desk API（GET /api/v1/tickets，最新变更在前，附带联系人）自上次以来变更的工单，每次变更启动一次运行；OAuth 访问令牌用连接的刷新令牌刷新，所有 worker 共用。输出的数据与 Zoho Desk Webhook 相同。适用于没有 Webhook 的版本（免费版和标准版），或作为兜底。',
    config: {
      '/properties/connection': { title: '连接', description: '带 clientId、clientSecret、refreshToken 和 orgId 的 zohodesk 连接。' },
      '/properties/deskBaseUrl': { title: 'Zoho Desk API 基础 URL', description: '您的数据中心：https://desk.zoho.com、desk.zoho.eu、desk.zoho.in、desk.zoho.com.au、desk.zoho.jp 或 desk.zoho.com.cn。' },
      '/properties/departmentId': { title: '部门 ID', description: '只处理该部门的工单；默认为令牌可见的所有部门。' },
      '/properties/intervalSeconds': { title: '轮询间隔（秒）' },
      '/properties/overlapSeconds': { title: '重叠时间（秒）', description: '每次轮询都再往前多读这么久；同一变更看到两次只运行一次。' },
      '/properties/pageSize': { title: '每次请求工单数' },
      '/properties/requestsPerMinute': { title: '每分钟请求数', description: '使用此连接的所有 worker 共用；Zoho Desk 还按天计量 API 额度。' },
      '/properties/initialLookbackHours': { title: '起始时间（小时前）', description: '首次轮询从何时开始；0 表示只处理从现在起的变更。' },
      '/properties/openedWithinSeconds': { title: '新工单窗口（秒）', description: '创建后这么短时间内的变更按 ticket_opened 报告。' },
      '/properties/fields': { title: '工单字段', description: '列表请求的 `fields`；必须包含 modifiedTime 和 createdTime。' },
      '/properties/allowPrivateNetwork': { title: '允许访问内网', description: '仅用于私有地址上的测试或本地部署接口。' },
    },
  },
};
