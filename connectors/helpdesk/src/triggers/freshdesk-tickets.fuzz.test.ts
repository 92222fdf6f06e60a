import { describe, expect, it } from '@jest/globals';
import { fuzzJson, fuzzTrigger, InMemorySharedCache, parseFuzzJson, runPollTrigger, typeConfusionCases, VendorApiError, type HttpClient } from '@tributary/node-sdk';
import { freshdeskTicket } from '../__fixtures__/fake-freshdesk.server.js';
import { freshdeskTicketsTrigger } from './freshdesk-tickets.trigger.js';

// freshdesk.tickets polls (no webhook, so no 500): a ticket it cannot read must not fail the poll,
// which would hold the cursor and fail again at every interval. A list that is not a list is a VendorApiError.
const apiKey = 'Abc123dEfG456hIjK789';
const now = new Date('2026-03-02T10:00:00Z');
const poll = async (body: string) => {
  const http: HttpClient = { request: async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body }) };
  const res = await runPollTrigger(freshdeskTicketsTrigger, { config: { connection: 'conn_freshdesk', domain: 'yourcompany' }, secrets: { apiKey }, http, cache: new InMemorySharedCache(), now });
  return res.events;
};

describe('freshdesk.tickets type confusion', () => {
  it('maps a ticket list or skips the ticket when any one value of the list has another type', async () => {
    const list = JSON.stringify([freshdeskTicket(20, '2026-03-02T09:59:30Z', '2026-03-02T09:59:30Z'), freshdeskTicket(21, '2026-02-01T00:00:00Z', '2026-03-02T09:59:40Z', { status: 4 })]);
    const cases = typeConfusionCases(parseFuzzJson(list));
    const report = await fuzzTrigger('freshdesk.tickets', cases, (c) => poll(fuzzJson(c.doc)), { accept: (err) => err instanceof VendorApiError });
    expect(report.failures).toEqual([]);
    expect(report.runs).toBeGreaterThanOrEqual(700);
    expect(report.outcomes.events).toBeGreaterThan(report.runs / 2);
  });
});
