import { describe, expect, it } from '@jest/globals';
import { fuzzJson, fuzzTrigger, parseFuzzJson, runWebhookTrigger, typeConfusionCases } from '@tributary/node-sdk';
import { typeformBody, typeformSecret } from '../__fixtures__/typeform-response.js';
import { typeformSignature, typeformWebhookTrigger } from './typeform-webhook.trigger.js';

const now = new Date('2025-06-01T08:02:00Z');
// Each mutated body is signed again with the webhook secret.
const deliver = (body: string, config: Record<string, unknown>) =>
  runWebhookTrigger(typeformWebhookTrigger, { config, now, secrets: { secret: typeformSecret }, headers: { 'content-type': 'application/json', 'typeform-signature': typeformSignature(typeformSecret, body) }, body });

describe('typeform.webhook type confusion', () => {
  it.each([
    ['without a field map', { connection: 'conn_typeform' }],
    ['with a field map', { connection: 'conn_typeform', fieldMap: { company: 'team_size', segment: 'What do you need?', phone: ['mobile', 'Work email'] } }],
  ])('maps or refuses with a PayloadError a signed form_response %s with any one value of another type', async (_name, config) => {
    // Every answer and field of the response (eight of each): each answer type has its own branch.
    const cases = typeConfusionCases(parseFuzzJson(typeformBody), { maxArrayItems: 8 });
    const report = await fuzzTrigger('typeform.webhook', cases, (c) => deliver(fuzzJson(c.doc), config));
    expect(report.failures).toEqual([]);
    expect(report.runs).toBeGreaterThanOrEqual(1500);
    expect(report.outcomes.events).toBeGreaterThan(report.runs / 2);
  });
});
