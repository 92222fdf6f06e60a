import { describe, expect, it } from '@jest/globals';
import { fuzzJson, fuzzTrigger, parseFuzzJson, runWebhookTrigger, typeConfusionCases } from '@tributary/node-sdk';
import { signZendesk, ticketCreated, ticketSolved, triggerBody, zendeskSecret } from '../__fixtures__/zendesk-payloads.js';
import { zendeskWebhookTrigger } from './zendesk-webhook.trigger.js';

const now = new Date('2026-03-02T09:30:20Z');
const ts = '2026-03-02T09:30:10Z';
// Each mutated body is signed again over timestamp + body.
const deliver = (body: string) =>
  runWebhookTrigger(zendeskWebhookTrigger, {
    config: { connection: 'conn_zendesk' },
    secrets: { signingSecret: zendeskSecret },
    now,
    body,
    headers: { 'content-type': 'application/json', 'x-zendesk-webhook-invocation-id': '8350205582', 'x-zendesk-webhook-signature-timestamp': ts, 'x-zendesk-webhook-signature': signZendesk(body, ts) },
  });

describe('zendesk.webhook type confusion', () => {
  it.each([
    ['a ticket.created event', JSON.stringify(ticketCreated)],
    ['a ticket.status_changed event', JSON.stringify(ticketSolved)],
    ['a trigger body from the README template', triggerBody],
  ])('maps or refuses with a PayloadError %s signed with any one value of another type', async (_name, body) => {
    const cases = typeConfusionCases(parseFuzzJson(body));
    const report = await fuzzTrigger('zendesk.webhook', cases, (c) => deliver(fuzzJson(c.doc)));
    expect(report.failures).toEqual([]);
    expect(report.runs).toBeGreaterThanOrEqual(150);
    expect(report.outcomes.events).toBeGreaterThan(report.runs / 2);
  });
});
