import { isPlainObject, type Item, toIsoTime } from '@tributary/node-sdk';
import { compact, idText, text } from '../util/fields.util.js';
import { minorUnitsToDecimal } from '../util/money.util.js';

export interface SquareMapOptions {
  /** Only COMPLETED payments and orders become purchases. */
  completedOnly: boolean;
  /** Prepended to Square customer ids in `pos_member_id` (empty: the id as is). */
  memberIdPrefix: string;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (isPlainObject(v) ? v : {});

/** A Money object ({amount, currency}) as a decimal string and its currency. */
function money(m: unknown): { amount?: string; currency?: string } {
  const { amount, currency } = obj(m);
  if (typeof currency !== 'string') return {};
  return { amount: minorUnitsToDecimal(amount, currency), currency };
}

/** Square writes given then family name; Chinese names read family first. */
function personName(given: unknown, family: unknown): string | undefined {
  const g = text(given) ?? '';
  const f = text(family) ?? '';
  if (!g && !f) return undefined;
  return /[\u3400-\u9fff]/.test(g + f) ? `${f}${g}` : [g, f].filter(Boolean).join(' ');
}

function lineItems(order: Obj): Item[] | undefined {
  const lines = Array.isArray(order.line_items) ? order.line_items.filter(isPlainObject) : [];
  if (lines.length === 0) return undefined;
  return lines.map((l) => {
    const total = money(l.total_money);
    return compact({ name: text(l.name), quantity: text(l.quantity), amount: total.amount, currency: total.currency, sku: idText(l.catalog_object_id), variation: text(l.variation_name) });
  });
}

function paymentItem(event: Obj, payment: Obj, o: SquareMapOptions): Item | undefined {
  const status = text(payment.status);
  if (o.completedOnly && status !== 'COMPLETED') return undefined;
  const total = money(payment.total_money ?? payment.amount_money);
  const customerId = idText(payment.customer_id);
  return compact({
    eventType: 'pos_purchase',
    occurredAt: toIsoTime(payment.updated_at) ?? toIsoTime(payment.created_at) ?? toIsoTime(event.created_at),
    channel: 'square',
    store: idText(payment.location_id),
    order_id: idText(payment.order_id),
    payment_id: idText(payment.id),
    status,
    amount: total.amount,
    currency: total.currency,
    pos_member_id: customerId ? `${o.memberIdPrefix}${customerId}` : undefined,
    email: text(payment.buyer_email_address),
    receipt_number: text(payment.receipt_number),
    raw: event,
  });
}

function orderItem(event: Obj, object: Obj, o: SquareMapOptions): Item | undefined {
  // order.* notifications carry a summary (order_created / order_updated / order_fulfillment_updated);
  // a full `order` object is used when present.
  const full = obj(object.order);
  const summary = obj(object.order_created ?? object.order_updated ?? object.order_fulfillment_updated);
  const state = text(full.state) ?? text(summary.state);
  if (o.completedOnly && state !== 'COMPLETED') return undefined;
  const total = money(full.total_money);
  const customerId = idText(full.customer_id);
  return compact({
    eventType: 'pos_purchase',
    occurredAt: toIsoTime(full.closed_at) ?? toIsoTime(summary.updated_at ?? full.updated_at) ?? toIsoTime(summary.created_at) ?? toIsoTime(event.created_at),
    channel: 'square',
    store: idText(full.location_id) ?? idText(summary.location_id),
    order_id: idText(full.id) ?? idText(summary.order_id),
    status: state,
    amount: total.amount,
    currency: total.currency,
    pos_member_id: customerId ? `${o.memberIdPrefix}${customerId}` : undefined,
    items: lineItems(full),
    raw: event,
  });
}

function customerItem(event: Obj, customer: Obj, type: string, o: SquareMapOptions): Item | undefined {
  const id = idText(customer.id);
  if (!id) return undefined;
  const address = obj(customer.address);
  return compact({
    eventType: type === 'customer.created' ? 'pos_member_created' : 'pos_member_updated',
    occurredAt: toIsoTime(customer.updated_at) ?? toIsoTime(customer.created_at) ?? toIsoTime(event.created_at),
    channel: 'square',
    pos_member_id: `${o.memberIdPrefix}${id}`,
    phone: text(customer.phone_number),
    email: text(customer.email_address),
    name: personName(customer.given_name, customer.family_name) ?? text(customer.nickname),
    company: text(customer.company_name),
    city: text(address.locality),
    raw: event,
  });
}

/**
 * The items of one Square notification: payment.created/updated and order.* → one
 * `pos_purchase`; customer.created/updated → one member item with phone and e-mail;
 * anything else (test notifications, refunds, deletions) → none.
 */
export function mapSquareEvent(event: Obj, o: SquareMapOptions): Item[] {
  const type = text(event.type) ?? '';
  const object = obj(obj(event.data).object);
  let item: Item | undefined;
  if (type === 'payment.created' || type === 'payment.updated') item = paymentItem(event, obj(object.payment), o);
  else if (type.startsWith('order.')) item = orderItem(event, object, o);
  else if (type === 'customer.created' || type === 'customer.updated') item = customerItem(event, obj(object.customer), type, o);
  return item ? [item] : [];
}
