import { arr, compact, obj, parseJsonLossless, PayloadError, text, type Item } from '@tributary/node-sdk';
import { decimalText } from '../util/decimal.util.js';
import type { OrderEventType } from '../util/order-events.util.js';

/** Youzan trade message types and the events they become; other types are acknowledged and dropped. */
export const YOUZAN_TRADE_TYPES: Record<string, OrderEventType> = {
  trade_TradeCreate: 'order_placed',
  trade_TradeBuyerPay: 'order_paid',
  trade_TradePaid: 'order_paid',
  trade_TradeSellerShip: 'order_shipped',
  trade_TradePartlySellerShip: 'order_shipped',
  trade_TradeSuccess: 'order_completed',
  trade_TradeClose: 'order_cancelled',
};

/**
 * `msg` is URL-encoded JSON (Java URLEncoder: spaces as `+`). Big integers (oid, buyer ids)
 * stay exact strings.
 */
export function decodeYouzanMsg(msg: unknown): Record<string, unknown> {
  if (typeof msg !== 'string' || msg.trim() === '') throw new PayloadError('Youzan push has no msg');
  let json: string;
  try {
    json = decodeURIComponent(msg.replace(/\+/g, ' '));
  } catch {
    throw new PayloadError('Youzan push msg is not URL-encoded');
  }
  let value: unknown;
  try {
    value = parseJsonLossless(json);
  } catch (err) {
    throw new PayloadError(`Youzan push msg is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new PayloadError('Youzan push msg must be a JSON object');
  return value as Record<string, unknown>;
}

/** Youzan writes local times without a zone (`2026-03-02 17:58:00`, China Standard Time). */
export function youzanTime(value: unknown): string | undefined {
  const t = text(value);
  if (!t) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/.exec(t);
  const ms = m ? Date.parse(`${m[1]}T${m[2]}+08:00`) : /^\d{10}$/.test(t) ? Number(t) * 1000 : /^\d{13}$/.test(t) ? Number(t) : Date.parse(t);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** One trade message (body fields plus the decoded msg) as an item. */
export function youzanTradeItem(body: Record<string, unknown>, msg: Record<string, unknown>, eventType: OrderEventType, now: Date): Item {
  const full = obj(msg.full_order_info);
  const order = obj(full.order_info);
  const buyer = obj(full.buyer_info);
  const address = obj(full.address_info);
  const pay = obj(full.pay_info);
  const when =
    eventType === 'order_placed'
      ? order.created
      : eventType === 'order_paid'
        ? (order.pay_time ?? order.update_time)
        : eventType === 'order_completed'
          ? (order.success_time ?? order.update_time)
          : eventType === 'order_shipped'
            ? (order.consign_time ?? order.update_time)
            : order.update_time;
  return compact({
    order_id: text(order.tid) ?? text(body.id),
    eventType,
    amount: decimalText(pay.payment) ?? decimalText(pay.total_fee),
    currency: 'CNY',
    order_status: text(order.status) ?? text(body.status),
    phone: text(buyer.buyer_phone) ?? text(address.receiver_tel),
    name: text(address.receiver_name),
    city: text(address.delivery_city),
    pos_member_id: text(buyer.yz_open_id),
    youzan_open_id: text(buyer.yz_open_id),
    youzan_fans_id: text(buyer.fans_id),
    nickname: text(buyer.fans_nickname),
    store: text(body.kdt_name) ?? text(body.kdt_id),
    youzan_kdt_id: text(body.kdt_id),
    channel: 'youzan',
    line_items: arr(full.orders).map((raw) => {
      const li = obj(raw);
      return compact({
        line_item_id: text(li.oid),
        product_id: text(li.item_id),
        sku_id: text(li.sku_id),
        sku: text(li.outer_sku_id) ?? text(li.outer_item_id),
        title: text(li.title),
        quantity: typeof li.num === 'number' ? li.num : undefined,
        price: decimalText(li.price),
        payment: decimalText(li.payment),
      });
    }),
    occurredAt: youzanTime(when) ?? now.toISOString(),
    raw: { ...body, msg },
  });
}
