/** Event types the ecommerce triggers emit (item field `eventType`). */
export const ORDER_EVENT_TYPES = ['order_placed', 'order_paid', 'order_updated', 'order_shipped', 'order_completed', 'order_cancelled', 'order_refunded'] as const;
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number];
