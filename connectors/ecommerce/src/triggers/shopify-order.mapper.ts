import { arr, compact, fullName, obj, text, utcIsoTime } from '@tributary/node-sdk';
import type { Item } from '@tributary/node-sdk';
import { decimalText, sumDecimals } from '../util/decimal.util.js';
import type { OrderEventType } from '../util/order-events.util.js';

/** The topics this trigger maps, and the event each one becomes. */
export const SHOPIFY_TOPICS: Record<string, OrderEventType> = {
  'orders/create': 'order_placed',
  'orders/paid': 'order_paid',
  'orders/updated': 'order_updated',
  'orders/cancelled': 'order_cancelled',
  'refunds/create': 'order_refunded',
};

/**
 * A resource id as an exact string: the numeric `id` as parsed losslessly, or the tail of
 * `admin_graphql_api_id` (`gid://shopify/Order/820982911946154508`).
 */
export function shopifyId(resource: Record<string, unknown>): string | undefined {
  const id = text(resource.id);
  if (id && /^\d+$/.test(id)) return id;
  return /^gid:\/\/shopify\/\w+\/(\d+)/.exec(text(resource.admin_graphql_api_id) ?? '')?.[1];
}

function lineItems(order: Record<string, unknown>): Record<string, unknown>[] {
  return arr(order.line_items).map((raw) => {
    const li = obj(raw);
    return compact({
      line_item_id: shopifyId(li),
      product_id: text(li.product_id),
      variant_id: text(li.variant_id),
      sku: text(li.sku),
      title: text(li.title) ?? text(li.name),
      quantity: typeof li.quantity === 'number' ? li.quantity : undefined,
      price: decimalText(li.price),
    });
  });
}

/** The Order resource of orders/* topics as an item. */
export function shopifyOrderItem(order: Record<string, unknown>, eventType: OrderEventType, ctx: { shop?: string; triggeredAt?: string; now: Date }): Item {
  const customer = obj(order.customer);
  const shipping = obj(order.shipping_address);
  const billing = obj(order.billing_address);
  const when =
    eventType === 'order_placed' ? order.created_at : eventType === 'order_cancelled' ? (order.cancelled_at ?? order.updated_at) : (ctx.triggeredAt ?? order.updated_at);
  return compact({
    order_id: shopifyId(order),
    order_name: text(order.name),
    eventType,
    amount: decimalText(order.total_price),
    currency: text(order.currency),
    financial_status: text(order.financial_status),
    email: text(order.email) ?? text(order.contact_email) ?? text(customer.email),
    phone: text(order.phone) ?? text(customer.phone) ?? text(shipping.phone) ?? text(billing.phone),
    name: fullName(customer.first_name, customer.last_name) ?? text(shipping.name) ?? text(billing.name),
    city: text(shipping.city) ?? text(billing.city),
    shopify_customer_id: shopifyId(customer),
    store: ctx.shop,
    channel: 'shopify',
    line_items: lineItems(order),
    occurredAt: utcIsoTime(when) ?? utcIsoTime(ctx.triggeredAt) ?? ctx.now.toISOString(),
    raw: order,
  });
}

/**
 * The Refund resource of refunds/create: the amount is the sum of its successful refund
 * transactions. It names the order but carries no customer details.
 */
export function shopifyRefundItem(refund: Record<string, unknown>, ctx: { shop?: string; triggeredAt?: string; now: Date }): Item {
  const transactions = arr(refund.transactions)
    .map(obj)
    .filter((t) => (text(t.kind) ?? 'refund') === 'refund' && (text(t.status) ?? 'success') === 'success');
  return compact({
    order_id: text(refund.order_id),
    refund_id: shopifyId(refund),
    eventType: 'order_refunded',
    amount: sumDecimals(transactions.map((t) => decimalText(t.amount)).filter((a): a is string => a !== undefined)),
    currency: text(transactions[0]?.currency),
    store: ctx.shop,
    channel: 'shopify',
    line_items: arr(refund.refund_line_items).map((raw) => {
      const rli = obj(raw);
      const li = obj(rli.line_item);
      return compact({ line_item_id: text(rli.line_item_id) ?? shopifyId(li), sku: text(li.sku), title: text(li.title), quantity: typeof rli.quantity === 'number' ? rli.quantity : undefined, subtotal: decimalText(rli.subtotal) });
    }),
    occurredAt: utcIsoTime(refund.created_at) ?? utcIsoTime(refund.processed_at) ?? utcIsoTime(ctx.triggeredAt) ?? ctx.now.toISOString(),
    raw: refund,
  });
}
