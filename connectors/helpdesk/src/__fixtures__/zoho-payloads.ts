// Zoho Desk tickets and webhook deliveries in the documented shapes: a delivery is a JSON
// array of { eventType, eventTime (epoch ms), orgId, payload (the ticket), prevState? }
// (desk.zoho.com/support/WebhookDocument.do); the ticket is the Get-ticket resource with `contact`.

export function zohoTicket(id: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    ticketNumber: '101',
    subject: '发票抬头错误',
    status: 'Open',
    statusType: 'Open',
    priority: 'High',
    channel: 'Email',
    language: 'Chinese',
    email: 'han.meimei@example.com',
    phone: '+86 10 8888 0000',
    contactId: '1892000000042032',
    departmentId: '1892000000006907',
    assigneeId: '1892000000056007',
    createdTime: '2026-03-02T09:58:00.000Z',
    modifiedTime: '2026-03-02T09:58:00.000Z',
    closedTime: null,
    isSpam: false,
    webUrl: `https://desk.zoho.com/support/acme/ShowHomePage.do#Cases/dv/${id}`,
    cf: { cf_order_no: 'E20260302000001' },
    contact: { id: '1892000000042032', firstName: '梅梅', lastName: '韩', email: 'han.meimei@example.com', phone: '+86 10 8888 0000', mobile: '13912345670', type: 'Customer' },
    ...over,
  };
}

export const ticketAddDelivery = [
  { eventType: 'Ticket_Add', orgId: '55659446', eventTime: '1772445480000', payload: zohoTicket('1892000000093003') },
];

export const ticketClosedDelivery = [
  {
    eventType: 'Ticket_Update',
    orgId: '55659446',
    eventTime: '1772446200000',
    payload: zohoTicket('1892000000093003', { status: 'Closed', statusType: 'Closed', modifiedTime: '2026-03-02T10:10:00.000Z', closedTime: '2026-03-02T10:10:00.000Z' }),
    prevState: { status: 'Open', statusType: 'Open' },
  },
  { eventType: 'Ticket_Thread_Add', orgId: '55659446', eventTime: '1772446200001', payload: { id: '1892000000099001', ticketId: '1892000000093003', direction: 'in' } },
];
