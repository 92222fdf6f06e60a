import { isPlainObject, PayloadError, type Item, parseJsonLossless, toIsoTime } from '@tributary/node-sdk';
import { compact, findField, idText, text } from '../util/fields.util.js';
import { majorUnitsToDecimal } from '../util/money.util.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (isPlainObject(v) ? v : {});

/** A Youzan push with its `msg` decoded (URL-encoded JSON in the push, big integers kept exact). */
export interface YouzanPush extends Obj {
  type: string;
  msg: unknown;
}

/**
 * Parses a push body: `{client_id, kdt_id, id, type, status, version, sendCount, test, msg}`
 * where `msg` is URL-encoded JSON (plain JSON is accepted too). `+` is left as is: Youzan
 * encodes spaces as %20, and a `+` in a phone number must survive.
 */
export function decodeYouzanPush(rawBody: Buffer | string): YouzanPush {
  const payload = parseJsonLossless(Buffer.isBuffer(rawBody) ? rawBody.toString('utf8') : rawBody);
  if (!isPlainObject(payload) || typeof payload.type !== 'string') throw new PayloadError('Youzan push must be a JSON object with a "type"');
  let msg: unknown = payload.msg;
  if (typeof msg === 'string' && msg.trim() !== '') {
    let json = msg.trim();
    if (!json.startsWith('{') && !json.startsWith('[')) {
      try {
        json = decodeURIComponent(json);
      } catch {
        throw new PayloadError('Youzan push msg is not URL-encoded JSON');
      }
    }
    msg = parseJsonLossless(json, 'msg');
  }
  return { ...payload, type: payload.type, msg };
}

/** The dedupe key reported for Youzan pushes: type, entity id, status and version. */
export const youzanDedupeKey = (push: Obj): string => ['youzan', push.type, push.id, push.status, push.version].map((v) => text(v) ?? '').join(':');

const TRADE_EVENTS: Record<string, string> = {
  trade_TradeCreate: 'order_placed',
  trade_TradeBuyerPay: 'order_paid',
  trade_TradePaid: 'order_paid',
  trade_TradeSellerShip: 'order_shipped',
  trade_TradePartlySellerShip: 'order_shipped',
  trade_TradeSuccess: 'order_completed',
  trade_TradeClose: 'order_closed',
};

export interface YouzanMapOptions {
  memberIdPrefix: string;
}

function lineItems(orders: unknown): Item[] | undefined {
  const list = Array.isArray(orders) ? orders.filter(isPlainObject) : [];
  if (list.length === 0) return undefined;
  return list.map((o) =>
    compact({ name: text(o.title), quantity: text(o.num), amount: majorUnitsToDecimal(o.payment ?? o.total_fee), sku: idText(o.outer_sku_id) ?? idText(o.sku_id), item_id: idText(o.item_id), oid: idText(o.oid) }),
  );
}

const memberId = (buyer: Obj, o: YouzanMapOptions): string | undefined => {
  const id = idText(buyer.yz_open_id) ?? (idText(buyer.buyer_id) !== '0' ? idText(buyer.buyer_id) : undefined);
  return id ? `${o.memberIdPrefix}${id}` : undefined;
};

/**
 * A trade push: paid offline / retail (有赞零售 POS) orders are `pos_purchase`, other trade
 * messages `order_placed`, `order_paid`, `order_shipped`, `order_completed`, `order_closed`
 * or `order_updated`.
 */
function tradeItem(push: YouzanPush, o: YouzanMapOptions): Item {
  const full = obj(obj(push.msg).full_order_info);
  const info = obj(full.order_info);
  const source = obj(full.source_info);
  const pay = obj(full.pay_info);
  const buyer = obj(full.buyer_info);
  const retail = info.is_retail_order === true || source.is_offline_order === true;
  const paid = push.type === 'trade_TradePaid' || push.type === 'trade_TradeBuyerPay';
  const eventType = retail && paid ? 'pos_purchase' : (TRADE_EVENTS[push.type] ?? 'order_updated');
  const amount = majorUnitsToDecimal(pay.payment ?? findField(push.msg, ['payment', 'total_fee']));
  return compact({
    eventType,
    occurredAt: toIsoTime(paid ? info.pay_time : undefined) ?? toIsoTime(info.update_time) ?? toIsoTime(info.created),
    channel: 'youzan',
    order_id: idText(info.tid) ?? idText(findField(push.msg, ['tid'])) ?? idText(push.id),
    status: text(info.status) ?? text(push.status),
    amount,
    currency: amount !== undefined ? 'CNY' : undefined,
    store: idText(info.offline_id) ?? idText(info.node_kdt_id) ?? idText(push.kdt_id),
    store_name: text(push.kdt_name),
    phone: text(buyer.buyer_phone),
    pos_member_id: memberId(buyer, o),
    items: lineItems(full.orders),
    raw: push,
  });
}

/** A customer / member push: phone, Youzan open id and name, as reported fields. */
function memberItem(push: YouzanPush, o: YouzanMapOptions): Item | undefined {
  const msg = push.msg;
  const id = idText(findField(msg, ['yz_open_id', 'account_id', 'fans_id', 'user_id']));
  const phone = text(findField(msg, ['mobile', 'phone', 'buyer_phone']));
  if (!id && !phone) return undefined;
  return compact({
    eventType: /create|add/i.test(push.type) ? 'pos_member_created' : 'pos_member_updated',
    occurredAt: toIsoTime(findField(msg, ['update_time', 'updated_at', 'created_at', 'create_time'])),
    channel: 'youzan',
    pos_member_id: id ? `${o.memberIdPrefix}${id}` : undefined,
    phone,
    name: text(findField(msg, ['name', 'real_name'])) ?? text(findField(msg, ['nick_name', 'nickname'])),
    store: idText(push.kdt_id),
    raw: push,
  });
}

/** The items of one decoded push: trade_* → an order or purchase, customer/member/scrm pushes → a member; others none. */
export function mapYouzanPush(push: YouzanPush, o: YouzanMapOptions): Item[] {
  if (push.type.startsWith('trade_')) return [tradeItem(push, o)];
  if (/customer|member|scrm|user/i.test(push.type)) {
    const item = memberItem(push, o);
    return item ? [item] : [];
  }
  return [];
}
