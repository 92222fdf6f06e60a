import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { fuzzJson, fuzzTrigger, parseFuzzJson, runWebhookTrigger, typeConfusionCases } from '@tributary/node-sdk';
import { javaUrlEncode, tradePush, youzanApp } from '../__fixtures__/youzan-payloads.js';
import { youzanOrdersNode } from './youzan-orders.trigger.js';

const now = new Date('2026-03-02T10:00:00Z');
/** Event-Sign over the mutated body: md5(client_id + raw body + client_secret). */
const sign = (body: string) => createHash('md5').update(`${youzanApp.clientId}${body}${youzanApp.clientSecret}`).digest('hex');
const deliver = (body: string) =>
  runWebhookTrigger(youzanOrdersNode, { config: { connection: 'conn_youzan' }, secrets: youzanApp, now, body, headers: { 'content-type': 'application/json', 'event-sign': sign(body) } });

/** The push body and its msg (URL-encoded JSON of the trade), each as a document to mutate. */
function documents(body: string): { push: Record<string, unknown>; msg: unknown } {
  const push = parseFuzzJson(body) as Record<string, unknown>;
  return { push, msg: parseFuzzJson(decodeURIComponent((push.msg as string).replace(/\+/g, ' '))) };
}

const pushes: [string, string][] = [
  ['trade_TradeCreate', tradePush('trade_TradeCreate', 'WAIT_BUYER_PAY').body],
  ['trade_TradePaid', tradePush('trade_TradePaid', 'WAIT_SELLER_SEND_GOODS', { payTime: '2026-03-02 17:58:30' }).body],
  ['trade_TradeSuccess', tradePush('trade_TradeSuccess', 'TRADE_SUCCESS').body],
];

describe('youzan.orders type confusion', () => {
  it.each(pushes)('maps or refuses with a PayloadError a signed %s push with any one body field of another type', async (type, body) => {
    const cases = typeConfusionCases(documents(body).push);
    const report = await fuzzTrigger(`youzan.orders ${type} body`, cases, (c) => deliver(fuzzJson(c.doc)));
    expect(report.failures).toEqual([]);
    expect(report.runs).toBeGreaterThanOrEqual(150);
    expect(report.outcomes.events).toBeGreaterThan(report.runs / 2);
  });

  it.each(pushes)('maps or refuses with a PayloadError a signed %s push with any one value of its msg of another type', async (type, body) => {
    const { push, msg } = documents(body);
    const cases = typeConfusionCases(msg);
    const report = await fuzzTrigger(`youzan.orders ${type} msg`, cases, (c) => deliver(fuzzJson({ ...push, msg: javaUrlEncode(fuzzJson(c.doc)) })));
    expect(report.failures).toEqual([]);
    expect(report.runs).toBeGreaterThanOrEqual(500);
    expect(report.outcomes.events).toBeGreaterThan(report.runs / 2);
  });
});
