import { describe, expect, it } from '@jest/globals';
import { fuzzJson, fuzzTrigger, parseFuzzJson, runWebhookTrigger, typeConfusionCases } from '@tributary/node-sdk';
import { clue, pushToken } from '../__fixtures__/feiyu.fixtures.js';
import { oceanenginePushTrigger } from './push.trigger.js';

// Feiyu signs nothing: the push token rides in the URL, so a mutated body needs no new signature.
const secrets = { accessToken: 'x', signatureKey: 'y', pushToken };
const deliver = (body: string, mode: 'hint' | 'lead') =>
  runWebhookTrigger(oceanenginePushTrigger, { config: { connection: 'conn_oe', mode }, secrets, headers: { 'content-type': 'application/json' }, query: { token: pushToken }, body });

const deliveries: [string, string][] = [
  ['a single clue', JSON.stringify(clue('7001', 1717236600))],
  ['a batch of two clues under data', JSON.stringify({ data: [clue('7001', 1717236600), clue('7002', 1717236660)] })],
];

describe('oceanengine.push type confusion', () => {
  for (const mode of ['lead', 'hint'] as const) {
    it.each(deliveries)(`maps or refuses with a PayloadError ${mode} mode's %s with any one value of another type`, async (_name, body) => {
      const cases = typeConfusionCases(parseFuzzJson(body));
      const report = await fuzzTrigger(`oceanengine.push (${mode})`, cases, (c) => deliver(fuzzJson(c.doc), mode));
      expect(report.failures).toEqual([]);
      expect(report.runs).toBeGreaterThanOrEqual(450);
      if (mode === 'lead') expect(report.outcomes.events).toBeGreaterThan(report.runs / 2);
    });
  }
});
