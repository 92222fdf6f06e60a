import { describe, expect, it } from '@jest/globals';
import { fuzzJson, fuzzTrigger, parseFuzzJson, runWebhookTrigger, typeConfusionCases } from '@tributary/node-sdk';
import { jdyCreateBody, jdyCreatePush, jdyDeliverId, jdyNonce, jdySecret, jdyTimestamp, jdyWidgets } from '../__fixtures__/jiandaoyun-push.js';
import { jiandaoyunSignature, jiandaoyunWebhookTrigger } from './jiandaoyun-webhook.trigger.js';

const now = new Date('2025-06-01T08:01:00Z');
// Each mutated body is signed again (sha1 of nonce:body:secret:timestamp); without X-JDY-DeliverId the key comes from the record.
const deliver = (body: string, config: Record<string, unknown>, deliverId?: string) =>
  runWebhookTrigger(jiandaoyunWebhookTrigger, {
    config,
    now,
    secrets: { secret: jdySecret },
    query: { timestamp: jdyTimestamp, nonce: jdyNonce },
    headers: { 'content-type': 'application/json', 'x-jdy-signature': jiandaoyunSignature(jdyNonce, body, jdySecret, jdyTimestamp), ...(deliverId ? { 'x-jdy-deliverid': deliverId } : {}) },
    body,
  });

const update = JSON.stringify({ ...jdyCreatePush, op: 'data_update', data: { ...jdyCreatePush.data, updateTime: '2025-06-01T08:00:30.000Z' } });

describe('jiandaoyun.webhook type confusion', () => {
  it.each([
    ['data_create with the widget labels', jdyCreateBody, { connection: 'conn_jdy', widgets: jdyWidgets }, jdyDeliverId],
    ['data_update with a field map and no deliver id', update, { connection: 'conn_jdy', fieldMap: { name: '_widget_1616600963783', phone: '_widget_1616600963790' } }, undefined],
  ])('maps or refuses with a PayloadError a signed %s with any one value of another type', async (_name, body, config, deliverId) => {
    const cases = typeConfusionCases(parseFuzzJson(body));
    const report = await fuzzTrigger('jiandaoyun.webhook', cases, (c) => deliver(fuzzJson(c.doc), config, deliverId));
    expect(report.failures).toEqual([]);
    expect(report.runs).toBeGreaterThanOrEqual(400);
    expect(report.outcomes.events).toBeGreaterThan(report.runs / 2);
  });
});
