import { describe, expect, it } from '@jest/globals';
import { fuzzJson, fuzzTrigger, parseFuzzJson, runWebhookTrigger, typeConfusionCases } from '@tributary/node-sdk';
import { youzanClientId, youzanClientSecret, youzanCustomerBody, youzanTradeCreateBody, youzanTradePaidBody } from '../__fixtures__/youzan-pushes.js';
import { youzanEventSign } from '../sign/youzan-sign.util.js';
import { youzanWebhookTrigger } from './youzan-webhook.trigger.js';

const now = new Date('2025-06-01T02:18:00Z');
const secrets = { clientId: youzanClientId, clientSecret: youzanClientSecret };
// Each mutated body gets its own Event-Sign.
const deliver = (body: string) =>
  runWebhookTrigger(youzanWebhookTrigger, {
    config: { connection: 'conn_youzan', memberIdPrefix: 'youzan:' },
    now,
    secrets,
    headers: { 'content-type': 'application/json', 'event-sign': youzanEventSign(youzanClientId, body, youzanClientSecret) },
    body,
  });

/** The push body and its msg (URL-encoded JSON), each as a document to mutate. */
function documents(body: string): { push: Record<string, unknown>; msg: unknown } {
  const push = parseFuzzJson(body) as Record<string, unknown>;
  return { push, msg: parseFuzzJson(decodeURIComponent(push.msg as string)) };
}

const pushes: [string, string][] = [
  ['a paid retail trade', youzanTradePaidBody],
  ['an online trade being created', youzanTradeCreateBody],
  ['a customer update', youzanCustomerBody],
];

describe('youzan.webhook type confusion', () => {
  it.each(pushes)('maps or refuses with a PayloadError %s signed with any one body field of another type', async (_name, body) => {
    const cases = typeConfusionCases(documents(body).push);
    const report = await fuzzTrigger('youzan.webhook body', cases, (c) => deliver(fuzzJson(c.doc)));
    expect(report.failures).toEqual([]);
    expect(report.runs).toBeGreaterThanOrEqual(120);
    expect(report.outcomes.events).toBeGreaterThan(report.runs / 2);
  });

  it.each(pushes)('maps or refuses with a PayloadError %s signed with any one value of its msg of another type', async (_name, body) => {
    const { push, msg } = documents(body);
    const cases = typeConfusionCases(msg);
    const report = await fuzzTrigger('youzan.webhook msg', cases, (c) => deliver(fuzzJson({ ...push, msg: encodeURIComponent(fuzzJson(c.doc)) })));
    expect(report.failures).toEqual([]);
    expect(report.runs).toBeGreaterThanOrEqual(50);
    expect(report.outcomes.events).toBeGreaterThan(report.runs / 2);
  });
});
