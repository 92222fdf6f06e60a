import { describe, expect, it } from '@jest/globals';
import { fuzzJson, fuzzTrigger, parseFuzzJson, runWebhookTrigger, typeConfusionCases } from '@tributary/node-sdk';
import { accessToken, appSecret, batchNotification, leadgenNotification, sign, verifyToken } from '../__fixtures__/meta.fixtures.js';
import { metaLeadAdsTrigger } from './lead-ads.trigger.js';

// Each mutated body is signed again with the app secret, so it passes verify and reaches decode and map.
const secrets = { verifyToken, appSecret, accessToken };
const deliver = (body: string) =>
  runWebhookTrigger(metaLeadAdsTrigger, { config: { connection: 'conn_meta' }, secrets, headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) }, body });

describe('meta.leadads type confusion', () => {
  it.each([
    ['the documented leadgen notification', leadgenNotification],
    ['a batch with ids past 2^53 and a non-leadgen change', batchNotification],
  ])('maps or refuses with a PayloadError %s signed with any one value of another type', async (_name, body) => {
    const cases = typeConfusionCases(parseFuzzJson(body));
    const report = await fuzzTrigger('meta.leadads', cases, (c) => deliver(fuzzJson(c.doc)));
    expect(report.failures).toEqual([]);
    expect(report.runs).toBeGreaterThanOrEqual(150);
    expect(report.outcomes.events).toBeGreaterThan(report.runs / 3);
  });
});
