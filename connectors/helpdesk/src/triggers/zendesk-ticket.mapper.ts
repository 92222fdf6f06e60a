import { compact, obj, PayloadError, text, utcIsoTime, type Item, type TriggerEvent } from '@tributary/node-sdk';
import type { TicketEventType } from '../util/ticket-events.util.js';

// Status names as Zendesk renders them (API values, English labels, zh-CN labels).
const SOLVED = new Set(['solved', 'closed', '已解决', '已关闭']);
const NEW = new Set(['new', '新']);

const statusOf = (value: unknown) => text(value)?.toLowerCase();

/**
 * An event-subscription delivery (`zen:event-type:ticket.*`, fixed schema, an `id` per event).
 * Only ticket creation and status changes are mapped; other event types give no event.
 */
export function mapZendeskEventSubscription(payload: Record<string, unknown>, now: Date): TriggerEvent | undefined {
  const type = String(payload.type);
  const id = text(payload.id);
  if (!id) throw new PayloadError('Zendesk event has no id');
  const detail = obj(payload.detail);
  const event = obj(payload.event);
  let eventType: TicketEventType;
  let status = statusOf(detail.status);
  if (type === 'zen:event-type:ticket.created') eventType = 'ticket_opened';
  else if (type === 'zen:event-type:ticket.status_changed') {
    // `event.current` is the new status, as text or as { status }.
    status = statusOf(typeof event.current === 'object' ? obj(event.current).status : event.current) ?? status;
    eventType = status !== undefined && SOLVED.has(status) ? 'ticket_solved' : 'ticket_updated';
  } else return undefined;
  const ticketId = text(detail.id) ?? /^zen:ticket:(\d+)$/.exec(String(payload.subject ?? ''))?.[1];
  if (!ticketId) throw new PayloadError(`Zendesk ${type} event ${id} names no ticket`);
  const item: Item = compact({
    ticket_id: ticketId,
    eventType,
    subject: text(detail.subject),
    status,
    priority: statusOf(detail.priority),
    ticket_channel: text(obj(detail.via).channel),
    zendesk_requester_id: text(detail.requester_id),
    occurredAt: utcIsoTime(payload.time) ?? utcIsoTime(detail.updated_at) ?? now.toISOString(),
    raw: payload,
  });
  return { dedupeKey: id, items: [item] };
}

const EXPLICIT: Record<string, TicketEventType> = {
  ticket_opened: 'ticket_opened',
  ticket_created: 'ticket_opened',
  opened: 'ticket_opened',
  created: 'ticket_opened',
  ticket_updated: 'ticket_updated',
  updated: 'ticket_updated',
  ticket_solved: 'ticket_solved',
  solved: 'ticket_solved',
  closed: 'ticket_solved',
};

/**
 * A trigger or automation delivery: a JSON body the admin wrote with placeholders (the
 * README's template). Accepts the template's `{ event, ticket: {...}, requester: {...} }`
 * and flat bodies (`ticket_id`, `updated_at`, `email`, …).
 */
export function mapZendeskTriggerBody(payload: Record<string, unknown>, invocationId: string | undefined, now: Date): TriggerEvent {
  const ticket = obj(payload.ticket);
  const requester = obj(payload.requester ?? ticket.requester);
  const ticketId = text(payload.ticket_id) ?? text(ticket.id);
  if (!ticketId || !/^\d+$/.test(ticketId)) {
    throw new PayloadError(
      'the body is neither a Zendesk event nor a ticket: paste the JSON body template from the connector README into the trigger (it must carry "{{ticket.id}}" and "{{ticket.updated_at_with_timestamp}}")',
    );
  }
  const updatedAt = text(payload.updated_at) ?? text(ticket.updated_at);
  const createdAt = text(payload.created_at) ?? text(ticket.created_at);
  const status = statusOf(payload.status ?? ticket.status);
  const named = text(payload.event ?? payload.eventType)?.toLowerCase();
  const eventType: TicketEventType =
    (named !== undefined ? EXPLICIT[named] : undefined) ??
    (status !== undefined && SOLVED.has(status) ? 'ticket_solved' : status !== undefined && NEW.has(status) ? 'ticket_opened' : 'ticket_updated');
  const item: Item = compact({
    ticket_id: ticketId,
    eventType,
    subject: text(payload.subject ?? ticket.subject ?? ticket.title),
    status,
    priority: statusOf(payload.priority ?? ticket.priority),
    ticket_channel: text(payload.via ?? ticket.via)?.toLowerCase(),
    email: text(requester.email ?? payload.email),
    name: text(requester.name ?? payload.name),
    phone: text(requester.phone ?? payload.phone),
    zendesk_requester_id: text(requester.id ?? payload.requester_id),
    occurredAt: utcIsoTime(updatedAt) ?? utcIsoTime(createdAt) ?? now.toISOString(),
    raw: payload,
  });
  // updated_at has minute precision in placeholders: the event and status tell two changes of one minute apart.
  const dedupeKey = updatedAt
    ? `ticket:${ticketId}:${updatedAt}:${eventType}:${status ?? ''}`
    : invocationId
      ? `invocation:${invocationId}`
      : undefined;
  return { dedupeKey, items: [item] };
}
