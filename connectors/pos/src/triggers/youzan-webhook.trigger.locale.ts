import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const youzanWebhookTriggerLocales: NodeLocales = {
  'zh-CN': {
    title: '有赞推送',
    description: '接收有赞云消息推送，校验 Event-Sign（对 client_id + 原始请求体 + client_secret 做 MD5），解码 URL 编码的 msg，把交易推送输出为订单（order_placed、order_paid 等；已付款的零售/门店订单输出为 pos_purchase），含金额、门店、手机和商品明细，把客户/会员推送输出为会员数据。应答 {"code":0,"msg":"success"}。',
    config: {
      '/properties/connection': { title: '连接', description: '保存应用 `clientId` 和 `clientSecret` 的 `youzan` 连接。' },
      '/properties/memberIdPrefix': { title: '会员 ID 前缀', description: '多个系统写入同一客户库时，加在 pos_member_id 中有赞买家 ID（yz_open_id）前面的前缀（例如 `youzan:`）。' },
      '/properties/includeTestPushes': { title: '运行测试推送', description: '标记为 `"test": true` 的推送（从有赞后台发送）默认确认后不运行，开启此项后才运行。' },
    },
  },
};
