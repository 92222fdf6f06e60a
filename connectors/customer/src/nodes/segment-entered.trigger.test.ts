import { describe, expect, it } from '@jest/globals';
import { checkNodeConfig } from '@tributary/engine';
import { describeNodeContract, runNode } from '@tributary/node-sdk';
import { segmentEnteredTrigger } from './segment-entered.trigger.js';

await describeNodeContract(segmentEnteredTrigger, { now: new Date('2026-11-22T08:00:00Z') });

describe('customer.segment-entered', () => {
  it('is a trigger the runtime starts (no HTTP hook, no input)', () => {
    expect(segmentEnteredTrigger.category).toBe('trigger');
    expect(segmentEnteredTrigger.inputs).toEqual([]);
    expect(segmentEnteredTrigger.trigger?.kind).toBe('manual');
  });

  it('needs a segment id and defaults to entries', () => {
    const ok = checkNodeConfig(segmentEnteredTrigger, { segmentId: 'dormant-90d' });
    expect(ok.schemaIssues).toEqual([]);
    expect(ok.config).toEqual({ segmentId: 'dormant-90d', change: 'entered' });
    expect(checkNodeConfig(segmentEnteredTrigger, {}).schemaIssues).toContainEqual(expect.objectContaining({ path: '/segmentId' }));
    expect(checkNodeConfig(segmentEnteredTrigger, { segmentId: 'Bad Id; --' }).schemaIssues).toContainEqual(expect.objectContaining({ path: '/segmentId' }));
    expect(checkNodeConfig(segmentEnteredTrigger, { segmentId: 'x', change: 'stayed' }).schemaIssues).toContainEqual(expect.objectContaining({ path: '/change' }));
  });

  it('passes the dispatcher’s items through unchanged', async () => {
    const items = segmentEnteredTrigger.sample!.input!;
    const out = await runNode(segmentEnteredTrigger, { config: { segmentId: 'dormant-90d', change: 'both' }, items });
    expect(out).toEqual({ out: items });
  });
});
