import { describe, expect, it } from '@jest/globals';
import { fuzzJson, fuzzTrigger, parseFuzzJson, runWebhookTrigger, typeConfusionCases } from '@tributary/node-sdk';
import { keruyunAppKey, keruyunDeliveryBody, keruyunMemberBody, keruyunOrderBody, keruyunToken } from '../__fixtures__/keruyun-pushes.js';
import { keruyunSign } from '../sign/keruyun-sign.util.js';
import { keruyunWebhookTrigger } from './keruyun-webhook.trigger.js';

const now = new Date('2025-06-01T04:00:30Z');
const ts = String(Math.floor(now.getTime() / 1000) - 20);
// Signed by rule v2, which covers the body: each mutated body gets its own sign.
const deliver = (body: string, config: Record<string, unknown>) => {
  const q = { appKey: keruyunAppKey, shopIdenty: '810094162', version: '2.0', timestamp: ts };
  return runWebhookTrigger(keruyunWebhookTrigger, { config, now, secrets: { token: keruyunToken }, headers: { 'content-type': 'application/json' }, query: { ...q, sign: keruyunSign(q, keruyunToken, body) }, body });
};

const defaults = { connection: 'conn_keruyun' };
const mapped = { connection: 'conn_keruyun', amountUnit: 'fen', memberIdPrefix: 'keruyun:', fieldMap: { phone: 'customer.mobile', amount: ['trade.receivedAmount', 'tradeAmount'], table: 'tableName', first_dish: 'items.0.dishName' } };

describe('keruyun.webhook type confusion', () => {
  it.each([
    ['an order push', keruyunOrderBody, defaults],
    ['an order push read through a field map, in fen', keruyunOrderBody, mapped],
    ['a delivery-status push', keruyunDeliveryBody, defaults],
    ['a member push', keruyunMemberBody, mapped],
  ])('maps or refuses with a PayloadError %s signed with any one value of another type', async (_name, body, config) => {
    const cases = typeConfusionCases(parseFuzzJson(body));
    const report = await fuzzTrigger('keruyun.webhook', cases, (c) => deliver(fuzzJson(c.doc), config));
    expect(report.failures).toEqual([]);
    expect(report.runs).toBeGreaterThanOrEqual(60);
    expect(report.outcomes.events).toBeGreaterThan(report.runs / 2);
  });
});
