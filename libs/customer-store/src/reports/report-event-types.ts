// The timeline event types the reports read. Connectors and nodes write these names; the
// reports only read them, so a new source joins a report by emitting one of them.

/** A stage change written by scoring: payload `{ from, to }`. */
export const STAGE_CHANGED = 'stage_changed';

/** The stage that makes a lead a customer, and the stages that count as churned. */
export const CONVERTED_STAGE = 'customer';
export const CHURNED_STAGES = ['churned', 'churn_risk'] as const;
/** The funnel's path, in order. */
export const FUNNEL_PATH = ['lead', 'mql', 'sql', 'customer'] as const;
/** Where stages sort in the funnel's `stages` (unlisted stages follow, by name). */
export const STAGE_ORDER = ['lead', 'mql', 'sql', 'customer', 'churn_risk', 'churned'] as const;

/** The owner reached the customer: the end of "time to first contact". */
export const CONTACT_EVENTS = ['task_completed', 'contacted', 'owner_contacted'] as const;

/** Sales, with `payload.amount` (decimal text), `payload.currency`, `payload.order_id`. */
export const PAID_EVENTS = ['pos_purchase', 'order_paid'] as const;
/** An order placed: revenue until it is paid (the payment then counts instead) or reversed. */
export const PLACED_EVENTS = ['order_placed'] as const;
/** Money given back: `payload.amount` when partial, else the whole order. */
export const REFUND_EVENTS = ['order_refunded', 'pos_refund'] as const;
/** The order is void: what is left of its payment is reversed. */
export const CANCEL_EVENTS = ['order_cancelled', 'pos_order_cancelled'] as const;

/**
 * Bookkeeping the engine writes about a customer (scores, stages, owners, segments, tasks,
 * outgoing notifications). Everything else on the timeline is an interaction: the customer
 * was seen in a channel, bought, wrote, or talked with its owner. Active and dormant count
 * interactions only.
 */
export const NON_INTERACTION_EVENTS = [
  'score_changed', 'score_decayed', 'rfm_scored', 'stage_changed', 'priority_changed', 'threshold_crossed',
  'tags_changed', 'tag_added', 'tag_removed',
  'assigned', 'reassigned', 'unassigned', 'owner_assigned', 'owner_changed', 'customer_assigned', 'assignment',
  'segment_entered', 'segment_left',
  'task_created', 'task_completed', 'task_cancelled', 'task_due', 'task_reminder', 'task_escalated', 'reminder_sent', 'escalated',
  'notification_sent', 'notified', 'message_sent', 'email_sent', 'sms_sent', 'wecom_sent', 'webhook_sent',
  'merged', 'unmerged', 'attributes_edited',
] as const;

/** Without an interaction for this long, a customer is dormant. */
export const DORMANT_AFTER_DAYS = 90;
