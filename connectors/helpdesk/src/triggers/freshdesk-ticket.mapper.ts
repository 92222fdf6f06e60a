import { compact, obj, text, utcIsoTime } from '@tributary/node-sdk';
import type { Item, TriggerEvent } from '@tributary/node-sdk';
import { isOpening, type TicketEventType } from '../util/ticket-events.util.js';

// Freshdesk's documented codes; accounts may add custom statuses (6 and up), kept as numbers.
const STATUS: Record<string, string> = { '2': 'open', '3': 'pending', '4': 'resolved', '5': 'closed' };
const PRIORITY: Record<string, string> = { '1': 'low', '2': 'medium', '3': 'high', '4': 'urgent' };
const SOURCE: Record<string, string> = {
  '1': 'email',
  '2': 'portal',
  '3': 'phone',
  '4': 'forum',
  '5': 'twitter',
  '6': 'facebook',
  '7': 'chat',
  '8': 'mobihelp',
  '9': 'feedback_widget',
  '10': 'outbound_email',
};

/** One ticket change → one event; `id:updated_at` makes a change seen twice (overlapping windows) one run. */
export function mapFreshdeskTicket(ticket: Record<string, unknown>, openedWithinSeconds: number): TriggerEvent | undefined {
  const id = text(ticket.id);
  const updatedAt = text(ticket.updated_at);
  if (!id || !updatedAt) return undefined;
  const status = text(ticket.status);
  const createdAt = text(ticket.created_at);
  const eventType: TicketEventType =
    status === '4' || status === '5' ? 'ticket_solved' : isOpening(utcIsoTime(createdAt), utcIsoTime(updatedAt), openedWithinSeconds) ? 'ticket_opened' : 'ticket_updated';
  const requester = obj(ticket.requester);
  const item: Item = compact({
    ticket_id: id,
    eventType,
    subject: text(ticket.subject),
    status: status === undefined ? undefined : (STATUS[status] ?? status),
    priority: PRIORITY[text(ticket.priority) ?? ''],
    ticket_channel: SOURCE[text(ticket.source) ?? ''],
    email: text(requester.email),
    name: text(requester.name),
    phone: text(requester.phone) ?? text(requester.mobile),
    freshdesk_requester_id: text(ticket.requester_id) ?? text(requester.id),
    occurredAt: utcIsoTime(updatedAt),
    raw: ticket,
  });
  return { dedupeKey: `${id}:${updatedAt}`, items: [item] };
}
