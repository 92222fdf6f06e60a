import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const youzanOrdersNodeLocales: NodeLocales = {
  'zh-CN': {
    title: '有赞订单',
    description: '每收到一个有赞交易推送就启动一次运行：trade_TradeCreate → order_placed，trade_TradeBuyerPay / trade_TradePaid → order_paid，trade_TradeSuccess → order_completed，trade_TradeClose → order_cancelled，卖家发货 → order_shipped。校验推送的 MD5 签名（Event-Sign 请求头，或旧版请求体中的 `sign`），并应答 {"code":0,"msg":"success"}。输出 order_id、eventType、金额（十进制字符串，人民币）、买家手机、收货人姓名和城市、有赞用户 ID（pos_member_id、youzan_open_id）、line_items 和 occurredAt。',
    config: {
      '/properties/connection': { title: '连接', description: '保存应用 `clientId` 和 `clientSecret` 的 youzan 连接。' },
      '/properties/signature': { title: '签名方式', description: 'event-sign：Event-Sign 请求头，md5(client_id + 原始请求体 + client_secret)（有赞云）。body-sign：请求体中的 `sign`，md5(client_id + msg + client_secret)，旧版推送使用，不覆盖 type 和 status。either：有请求头时用请求头，否则用请求体签名。', enumNames: ['Event-Sign 请求头', '请求体 sign', '任一种'] },
      '/properties/events': { title: '事件', description: '启动运行的事件；其他交易消息确认后丢弃。' },
    },
  },
};
