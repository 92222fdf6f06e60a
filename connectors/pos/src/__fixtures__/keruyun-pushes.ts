// Keruyun's signature vectors and pushes in the documented 上行 shape (JSON body; public
// parameters appKey, shopIdenty, version, timestamp, sign in the query).

/** open.keruyun.com 签名规则 (v1): sign over the sorted public parameters + token. */
export const keruyunVector = {
  params: { appKey: '301001', shopIdenty: '247900001', version: '1.0', timestamp: '1425635264' },
  token: '66e53b22f1496d183e71b4ab90f4acf7',
  concatenated: 'appKey301001shopIdenty247900001timestamp1425635264version1.0',
  sign: 'acb4355599742492518363653dd060b818ef7813284e823dcf5a61d722f27771',
};

export const keruyunToken = '5d41402abc4b2a76b9719d911017c592';
export const keruyunAppKey = '7857ca1808d370e2501290bc853eecdc';

/** An order push; orderId is a Long past 2^53 and must stay exact. */
export const keruyunOrderBody =
  '{"orderId":9223372036854775001,"tradeNo":"101202506011200001","shopIdenty":810094162,"shopName":"客如云示例餐厅(西湖店)","orderStatus":"FINISHED","tradeAmount":86.5,"customerId":311205,"customerName":"陈静","mobile":"13912345670","createTime":1748750400000,"items":[{"dishName":"宫保鸡丁","quantity":1,"amount":38},{"dishName":"米饭","quantity":2,"amount":4},{"dishName":"酸梅汤","quantity":1,"amount":12.5,"skuCode":"SMT-500"}]}';

/** The documented delivery-status push (no amount): an order update, not a purchase. */
export const keruyunDeliveryBody = '{"orderId":1815878,"tpOrderId":"8457845144814","deliveryStatus":5,"delivererPhone":"13700000000","cancelReason":"商家取消配送"}';

/** A member push. */
export const keruyunMemberBody = '{"customerId":311205,"customerName":"陈静","mobile":"13912345670","levelName":"金卡","updateTime":"2025-06-01 12:00:00"}';
