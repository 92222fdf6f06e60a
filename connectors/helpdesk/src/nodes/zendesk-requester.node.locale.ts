import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const zendeskRequesterNodeLocales: NodeLocales = {
  'zh-CN': {
    title: 'Zendesk 提交人查询',
    description: '为只带 `zendesk_requester_id` 的数据（事件订阅 Webhook 不含联系方式）补充提交人的邮箱、姓名和电话：用连接的 API 令牌读取 GET /api/v2/users/{id}.json。已有邮箱或没有提交人 ID 的数据原样通过；Zendesk 中已不存在的提交人，数据原样通过并带 `requester_lookup: "not_found"`。',
    config: {
      '/properties/connection': { title: '连接', description: '带 `subdomain`、`email` 和 `apiToken` 的 zendesk 连接。' },
      '/properties/apiBaseUrl': { title: 'API 基础 URL', description: '默认：由连接生成的 https://<subdomain>.zendesk.com。' },
      '/properties/overwrite': { title: '已有邮箱也查询', description: '已带邮箱的数据也查询（并覆盖姓名和电话）。' },
      '/properties/requestsPerMinute': { title: '每分钟请求数', description: '使用此连接的所有 worker 共用；请低于账户的 Zendesk API 限额。' },
      '/properties/allowPrivateNetwork': { title: '允许访问内网', description: '仅用于私有地址上的测试或本地部署接口。' },
    },
  },
};
