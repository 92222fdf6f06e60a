import { describe, expect, it } from '@jest/globals';
import { checkNodeConfig } from '@tributary/engine';
import { describeNodeContract, runNodeResult } from '@tributary/node-sdk';
import { delayNode } from './delay.node.js';

await describeNodeContract(delayNode);

const now = new Date('2026-11-22T08:00:00.000Z');

describe('core.delay', () => {
  it('pauses for a duration and passes the items on unchanged', async () => {
    const r = await runNodeResult(delayNode, { config: { amount: 3, unit: 'days' }, items: [{ id: 1 }], now });
    expect(r.waitUntil).toBe('2026-11-25T08:00:00.000Z');
    expect(r.output).toEqual({ out: [{ id: 1 }] });
  });

  it('waits until the latest time found in the items; items without a time go to error', async () => {
    const r = await runNodeResult(delayNode, {
      config: { mode: 'until', untilField: 'follow.dueAt' },
      items: [{ follow: { dueAt: '2026-11-23T01:00:00Z' } }, { follow: { dueAt: '2026-11-24T01:00:00+08:00' } }, { follow: {} }],
      now,
    });
    expect(r.waitUntil).toBe('2026-11-23T17:00:00.000Z');
    expect(r.output.out).toHaveLength(2);
    expect(r.output.error).toEqual([expect.objectContaining({ error: expect.objectContaining({ code: 'invalid_time' }) })]);
  });

  it('does not pause for a time already past, and refuses absurd delays', async () => {
    const r = await runNodeResult(delayNode, { config: { mode: 'until', untilField: 'at' }, items: [{ at: '2020-01-01T00:00:00Z' }], now });
    expect(r.waitUntil).toBe(now.toISOString());
    expect(checkNodeConfig(delayNode, { amount: 400, unit: 'days' }).checkIssues).toEqual([expect.objectContaining({ path: '/amount' })]);
    expect(checkNodeConfig(delayNode, { mode: 'until' }).schemaIssues.length).toBeGreaterThan(0);
  });
});
