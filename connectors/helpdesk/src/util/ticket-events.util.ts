/** The event types the helpdesk triggers emit (item field `eventType`). */
export const TICKET_EVENT_TYPES = ['ticket_opened', 'ticket_updated', 'ticket_solved'] as const;
export type TicketEventType = (typeof TICKET_EVENT_TYPES)[number];

/** Config property shared by the helpdesk triggers: which event types start runs. */
export const ticketEventsSchema = {
  type: 'array',
  items: { type: 'string', enum: [...TICKET_EVENT_TYPES] },
  minItems: 1,
  uniqueItems: true,
  default: [...TICKET_EVENT_TYPES],
  title: 'Events',
  description: 'Event types that start a run: ticket_opened (a new ticket), ticket_updated (any other change), ticket_solved (solved, resolved or closed). Others are acknowledged and dropped.',
} as const;

/** A change that happened this soon after the ticket was created still counts as its opening. */
export function isOpening(createdAt: string | undefined, updatedAt: string | undefined, withinSeconds: number): boolean {
  if (!createdAt || !updatedAt) return false;
  const gap = Date.parse(updatedAt) - Date.parse(createdAt);
  return Number.isFinite(gap) && gap >= 0 && gap <= withinSeconds * 1000;
}
