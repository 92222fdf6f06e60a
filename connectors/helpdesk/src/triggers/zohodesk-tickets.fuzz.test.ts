import { describe, expect, it } from '@jest/globals';
import { fuzzJson, fuzzTrigger, parseFuzzJson, runWebhookTrigger, typeConfusionCases } from '@tributary/node-sdk';
import { ticketAddDelivery, ticketClosedDelivery } from '../__fixtures__/zoho-payloads.js';
import { zohoDeskTicketsTrigger } from './zohodesk-tickets.trigger.js';

const webhookToken = '4f1c9a7e2b8d4c6f9a1e3b5d7c9f2a4e6b8d0c2e';
const now = new Date('2026-03-02T10:10:05Z');
// Zoho Desk signs nothing: the token rides in the URL, so a mutated body needs no new signature.
const deliver = (body: string) =>
  runWebhookTrigger(zohoDeskTicketsTrigger, { config: { connection: 'conn_zohodesk' }, secrets: { webhookToken }, now, body, headers: { 'content-type': 'application/json' }, query: { token: webhookToken } });

describe('zohodesk.tickets type confusion', () => {
  it.each([
    ['a Ticket_Add delivery', JSON.stringify(ticketAddDelivery)],
    ['a Ticket_Update delivery that closes the ticket', JSON.stringify(ticketClosedDelivery)],
  ])('maps or refuses with a PayloadError %s with any one value of another type', async (_name, body) => {
    const cases = typeConfusionCases(parseFuzzJson(body));
    const report = await fuzzTrigger('zohodesk.tickets', cases, (c) => deliver(fuzzJson(c.doc)));
    expect(report.failures).toEqual([]);
    expect(report.runs).toBeGreaterThanOrEqual(300);
    expect(report.outcomes.events).toBeGreaterThan(report.runs / 2);
  });
});
