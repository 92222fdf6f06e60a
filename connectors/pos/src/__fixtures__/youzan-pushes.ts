// Youzan pushes in the reported shape: {client_id, id, kdt_id, kdt_name, mode, msg, msg_id,
// sendCount, status, test, type, version} with `msg` URL-encoded JSON, signed with an
// Event-Sign header. The client credentials are made up.
export const youzanClientId = 'b3d9e1a7c2f40c55e8';
export const youzanClientSecret = '3f8a2c7d9e1b4a6c8d0f2e4a6b8c0d1e';

const tradeMsg = {
  full_order_info: {
    order_info: {
      tid: 'E20250601101734022600020',
      status: 'TRADE_PAID',
      status_str: '已支付',
      created: '2025-06-01 10:17:34',
      pay_time: '2025-06-01 10:17:45',
      update_time: '2025-06-01 10:17:46',
      type: 0,
      is_retail_order: true,
      offline_id: 56012,
      node_kdt_id: 41461398,
    },
    source_info: { is_offline_order: true, source: { platform: 'other', wx_entrance: 'direct_buy' } },
    buyer_info: { buyer_id: 290195682, buyer_phone: '13912345670', yz_open_id: 'kR9sGq2Lz8xY0wPm', fans_type: 1, fans_id: 1950113670, fans_nickname: '小王' },
    pay_info: { payment: '128.00', total_fee: '138.00', post_fee: '0.00', outer_transactions: ['4200000185202506017018379596'] },
    address_info: { receiver_name: '', receiver_tel: '', delivery_city: '' },
    orders: [
      { oid: '1472319870133616259', item_id: 2147483647, title: '冷萃咖啡 500ml', num: 2, price: '29.00', payment: '58.00', outer_sku_id: 'CB-500', sku_id: 36712 },
      { oid: '1472319870133616260', item_id: 2147483646, title: '可颂', num: 1, price: '18.00', payment: '18.00', outer_sku_id: '', sku_id: 0 },
    ],
  },
};

/** Youzan's style: JSON URL-encoded with %20 for spaces, `:` `,` `[` `]` left as they are. */
const youzanEncode = (value: unknown) => encodeURIComponent(JSON.stringify(value)).replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%5B/g, '[').replace(/%5D/g, ']');

export const youzanTradePaid = {
  client_id: youzanClientId,
  id: 'E20250601101734022600020',
  kdt_id: 41461397,
  kdt_name: '示例咖啡',
  mode: 1,
  msg: youzanEncode(tradeMsg),
  msg_id: '3b0020c9-b9cc-4926-ad69-44b3b3b85dc6',
  sendCount: 0,
  status: 'TRADE_PAID',
  test: false,
  type: 'trade_TradePaid',
  version: 1748744266,
};

export const youzanTradePaidBody = JSON.stringify(youzanTradePaid);

/** An online order being created (not retail). */
export const youzanTradeCreateBody = JSON.stringify({
  ...youzanTradePaid,
  status: 'WAIT_BUYER_PAY',
  type: 'trade_TradeCreate',
  version: 1748744254,
  msg: youzanEncode({
    full_order_info: {
      ...tradeMsg.full_order_info,
      order_info: { ...tradeMsg.full_order_info.order_info, status: 'WAIT_BUYER_PAY', pay_time: '', is_retail_order: false, offline_id: undefined },
      source_info: { is_offline_order: false },
      buyer_info: { buyer_id: 0, buyer_phone: '+8613912345670' },
    },
  }),
});

/** A customer push (reported field names). */
export const youzanCustomerBody = JSON.stringify({
  client_id: youzanClientId,
  id: 'kR9sGq2Lz8xY0wPm',
  kdt_id: 41461397,
  mode: 1,
  msg: youzanEncode({ yz_open_id: 'kR9sGq2Lz8xY0wPm', mobile: '13912345670', name: '王小二', update_time: '2025-06-01 10:20:00' }),
  sendCount: 0,
  status: '',
  test: false,
  type: 'SCRM_CUSTOMER_UPDATE',
  version: 1748744400,
});
