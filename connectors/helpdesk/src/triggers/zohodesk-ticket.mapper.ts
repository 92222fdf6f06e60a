import { compact, fullName, obj, text } from '@tributary/node-sdk';
import type { Item } from '@tributary/node-sdk';
import type { TicketEventType } from '../util/ticket-events.util.js';

/** Zoho Desk marks every closing status (Closed and custom ones) with statusType `Closed`. */
export function isZohoClosed(ticket: Record<string, unknown>): boolean {
  return text(ticket.statusType)?.toLowerCase() === 'closed' || text(ticket.status)?.toLowerCase() === 'closed';
}

/** A Zoho Desk ticket (webhook payload or API row, with `contact` when included) as an item. */
export function zohoTicketItem(ticket: Record<string, unknown>, eventType: TicketEventType, occurredAt: string | undefined, raw: Record<string, unknown>): Item {
  const contact = obj(ticket.contact);
  return compact({
    ticket_id: text(ticket.id),
    ticket_number: text(ticket.ticketNumber),
    eventType,
    subject: text(ticket.subject),
    status: text(ticket.status)?.toLowerCase(),
    priority: text(ticket.priority)?.toLowerCase(),
    ticket_channel: text(ticket.channel)?.toLowerCase(),
    email: text(contact.email) ?? text(ticket.email),
    name: fullName(contact.firstName, contact.lastName) ?? text(ticket.contactName),
    phone: text(contact.phone) ?? text(contact.mobile) ?? text(ticket.phone),
    zoho_contact_id: text(ticket.contactId) ?? text(contact.id),
    occurredAt,
    raw,
  });
}
