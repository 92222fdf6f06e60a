// Zendesk deliveries built from the documented formats: the event-subscription schema
// (developer.zendesk.com → Webhooks → Event types → Ticket events) and a trigger webhook
// with the JSON body template of the README.
import { createHmac } from 'node:crypto';

export const zendeskSecret = 'TmV2ZXJVc2VUaGlzU2VjcmV0SW5Qcm9kdWN0aW9uMTIzNA==';

/** base64 HMAC-SHA256 of timestamp + body, as Zendesk signs. */
export const signZendesk = (body: string, timestamp: string, secret = zendeskSecret) => createHmac('sha256', secret).update(timestamp + body).digest('base64');

export const ticketCreated = {
  type: 'zen:event-type:ticket.created',
  account_id: 12514403,
  id: '01HW6Q8ZK1P5A2V8M3N4B5C6D7',
  time: '2026-03-01T08:00:00Z',
  zendesk_event_version: '2022-11-06',
  subject: 'zen:ticket:35436',
  detail: {
    actor_id: '8447388090494',
    assignee_id: null,
    brand_id: '8447346621310',
    created_at: '2026-03-01T08:00:00Z',
    custom_status: '8447388090494',
    description: 'The printer is on fire again.',
    external_id: null,
    form_id: '8646151517822',
    group_id: '8447346622462',
    id: '35436',
    is_public: true,
    organization_id: '8447346622206',
    priority: 'HIGH',
    requester_id: '20978392',
    status: 'NEW',
    subject: 'Printer on fire',
    submitter_id: '20978392',
    tags: ['printer'],
    type: 'INCIDENT',
    updated_at: '2026-03-01T08:00:00Z',
    via: { channel: 'web_form' },
  },
  event: { meta: { sequence: { id: 'c1b2', position: 1 } } },
};

export const ticketSolved = {
  ...ticketCreated,
  type: 'zen:event-type:ticket.status_changed',
  id: '01HW6R0000SOLVED00000000000',
  time: '2026-03-02T09:30:00Z',
  detail: { ...ticketCreated.detail, status: 'SOLVED', updated_at: '2026-03-02T09:30:00Z' },
  event: { current: 'SOLVED', previous: 'OPEN', meta: { sequence: { id: 'c9', position: 1 } } },
};

export const ticketPending = {
  ...ticketSolved,
  id: '01HW6R0000PENDING0000000000',
  detail: { ...ticketSolved.detail, status: 'PENDING' },
  event: { current: 'PENDING', previous: 'OPEN' },
};

export const commentAdded = { ...ticketCreated, type: 'zen:event-type:ticket.comment_added', id: '01HW6R0000COMMENT0000000000' };

/** The README's trigger template as Zendesk renders it for one ticket. */
export const triggerBody = `{
  "event": "ticket_solved",
  "ticket": {
    "id": "35436",
    "subject": "Printer \\"LaserJet\\" on fire",
    "status": "Solved",
    "priority": "High",
    "via": "Web Form",
    "created_at": "2026-03-01T08:00Z",
    "updated_at": "2026-03-02T09:30Z",
    "url": "acme.zendesk.com/agent/tickets/35436"
  },
  "requester": {
    "id": "20978392",
    "name": "Ada Lovelace",
    "email": "ada@example.com",
    "phone": "+86 139 1234 5670"
  }
}`;
