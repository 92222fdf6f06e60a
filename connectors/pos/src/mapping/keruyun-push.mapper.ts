import { createHash } from 'node:crypto';
import { isPlainObject, type Item, toIsoTime } from '@tributary/node-sdk';
import { compact, findField, findList, idText, readPath, text } from '../util/fields.util.js';
import { cnyAmount } from '../util/money.util.js';

/** Item field → the push fields tried for it, shallowest first (a `fieldMap` entry overrides). */
export const KERUYUN_FIELDS = {
  order_id: ['orderId', 'tradeId', 'orderNo', 'tradeNo'],
  status: ['orderStatus', 'tradeStatus', 'status', 'payStatus', 'deliveryStatus'],
  pos_member_id: ['customerId', 'memberId', 'customerID'],
  phone: ['mobile', 'customerMobile', 'memberMobile', 'customerPhone', 'phone', 'telephone'],
  name: ['customerName', 'memberName', 'customerNickname'],
  amount: ['tradeAmount', 'receivedAmount', 'actualAmount', 'payAmount', 'orderAmount', 'totalAmount', 'amount'],
  store: ['shopIdenty', 'shopId', 'storeId'],
  store_name: ['shopName', 'storeName'],
  occurredAt: ['payTime', 'tradeTime', 'orderTime', 'createTime', 'serverCreateTime', 'updateTime', 'serverUpdateTime'],
} as const;
const ITEM_LISTS = ['items', 'dishes', 'products', 'orderItems', 'tradeItems', 'goods', 'goodsList', 'dishList'];
const CANCELLED = /cancel|refund|invalid|close|取消|退|作废|关闭/i;

export interface KeruyunMapOptions {
  fieldMap?: Record<string, string | string[]>;
  amountUnit: 'yuan' | 'fen';
  memberIdPrefix: string;
  /** The query of the push (shopIdenty is there when the body does not repeat it). */
  query: Record<string, string | undefined>;
  rawBody: Buffer;
}

function lookup(body: Record<string, unknown>, field: keyof typeof KERUYUN_FIELDS | string, o: KeruyunMapOptions): unknown {
  const mapped = o.fieldMap?.[field];
  if (mapped !== undefined) {
    for (const path of Array.isArray(mapped) ? mapped : [mapped]) {
      const v = readPath(body, path);
      if (v !== undefined && v !== null && v !== '') return v;
    }
  }
  const names = (KERUYUN_FIELDS as Record<string, readonly string[]>)[field];
  return names ? findField(body, names) : undefined;
}

function lineItems(body: Record<string, unknown>, o: KeruyunMapOptions): Item[] | undefined {
  const list = findList(body, ITEM_LISTS);
  if (!list?.length) return undefined;
  return list.map((l) =>
    compact({
      name: text(l.dishName ?? l.name ?? l.productName ?? l.goodsName ?? l.skuName),
      quantity: text(l.quantity ?? l.num ?? l.count ?? l.dishQuantity),
      amount: cnyAmount(l.actualAmount ?? l.amount ?? l.price, o.amountUnit),
      sku: idText(l.skuCode ?? l.skuId ?? l.dishId ?? l.productId),
    }),
  );
}

/**
 * The item and dedupe key of one Keruyun 上行 push. An order with an amount is a
 * `pos_purchase` (a cancelled or refunded one `pos_order_cancelled`), an order without one
 * `pos_order_updated`, a push with only member fields `pos_member_updated`. Deduplicated
 * on order id + status, else member id + update time, else the body's hash.
 */
export function mapKeruyunPush(body: Record<string, unknown>, o: KeruyunMapOptions): { dedupeKey: string; item: Item } {
  const orderId = idText(lookup(body, 'order_id', o));
  const status = text(lookup(body, 'status', o));
  const memberId = idText(lookup(body, 'pos_member_id', o));
  const amount = cnyAmount(lookup(body, 'amount', o), o.amountUnit);
  const occurredRaw = lookup(body, 'occurredAt', o);
  const eventType = orderId ? (status && CANCELLED.test(status) ? 'pos_order_cancelled' : amount !== undefined ? 'pos_purchase' : 'pos_order_updated') : 'pos_member_updated';

  const extra: Record<string, unknown> = {};
  for (const [target, paths] of Object.entries(o.fieldMap ?? {})) {
    if (target in KERUYUN_FIELDS) continue;
    for (const path of Array.isArray(paths) ? paths : [paths]) {
      const v = readPath(body, path);
      if (v !== undefined && v !== null && !isPlainObject(v) && !Array.isArray(v)) {
        extra[target] = v;
        break;
      }
    }
  }
  const item = compact({
    ...extra,
    eventType,
    occurredAt: toIsoTime(occurredRaw) ?? undefined,
    channel: 'keruyun',
    order_id: orderId,
    status,
    amount,
    currency: amount !== undefined ? 'CNY' : undefined,
    store: idText(lookup(body, 'store', o)) ?? idText(o.query.shopIdenty) ?? idText(o.query.brandId),
    store_name: text(lookup(body, 'store_name', o)),
    pos_member_id: memberId ? `${o.memberIdPrefix}${memberId}` : undefined,
    phone: text(lookup(body, 'phone', o)),
    name: text(lookup(body, 'name', o)),
    items: lineItems(body, o),
    raw: body,
  });
  const occurredKey = text(occurredRaw);
  const dedupeKey = orderId
    ? `order:${orderId}:${status ?? ''}`
    : memberId && occurredKey !== undefined
      ? `member:${memberId}:${occurredKey}`
      : `sha256:${createHash('sha256').update(o.rawBody).digest('hex')}`;
  return { dedupeKey, item };
}
