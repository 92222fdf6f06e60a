import { describe, expect, it } from '@jest/globals';
import { fuzzJson, fuzzTrigger, parseFuzzJson, runWebhookTrigger, typeConfusionCases } from '@tributary/node-sdk';
import { customerCreated, orderUpdatedCompleted, orderWithLines, paymentUpdated, squareBody, squareNotificationUrl, squareSignatureKey } from '../__fixtures__/square-events.js';
import { squareSignature } from '../sign/square-signature.util.js';
import { squareWebhookTrigger } from './square-webhook.trigger.js';

const now = new Date('2025-06-01T08:00:05Z');
// Each mutated body is signed again over the notification URL + body.
const deliver = (body: string, completedOnly: boolean) =>
  runWebhookTrigger(squareWebhookTrigger, {
    config: { connection: 'conn_square', notificationUrl: squareNotificationUrl, completedOnly, memberIdPrefix: 'square:' },
    now,
    secrets: { signatureKey: squareSignatureKey },
    headers: { 'content-type': 'application/json', 'x-square-hmacsha256-signature': squareSignature(squareSignatureKey, squareNotificationUrl, body) },
    body,
  });

describe('square.webhook type confusion', () => {
  it.each([
    ['payment.updated', squareBody(paymentUpdated), true],
    ['order.updated with a summary', squareBody(orderUpdatedCompleted), true],
    ['order.updated with the full order', squareBody(orderWithLines), false],
    ['customer.created', squareBody(customerCreated), true],
  ])('maps or refuses with a PayloadError a signed %s notification with any one value of another type', async (_name, body, completedOnly) => {
    const cases = typeConfusionCases(parseFuzzJson(body));
    const report = await fuzzTrigger('square.webhook', cases, (c) => deliver(fuzzJson(c.doc), completedOnly));
    expect(report.failures).toEqual([]);
    expect(report.runs).toBeGreaterThanOrEqual(150);
    expect(report.outcomes.events).toBeGreaterThan(report.runs / 2);
  });
});
