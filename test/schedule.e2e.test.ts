// core.schedule on BullMQ job schedulers: fires on time, once per tick with two workers,
// and stops when the flow is unpublished.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSystem, type System } from './support/system.js';

describe('schedule trigger', () => {
  let sys: System;

  beforeAll(async () => {
    sys = await startSystem({ label: 'sched', workers: 2 });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('fires every second exactly once per tick across two workers', async () => {
    const started = Date.now();
    await sys.createFlow({
      schemaVersion: 1,
      id: 'ticker',
      name: 'ticker',
      nodes: [
        { id: 'tick', type: 'core.schedule', version: 1, config: { cron: '* * * * * *' } },
        { id: 'stamp', type: 'core.transform', version: 1, config: { expression: '$merge([$, {"stamped": true}])' } },
      ],
      edges: [{ from: 'tick', to: 'stamp' }],
    });
    await sys.waitFor(async () => ((await sys.runCounts()).succeeded ?? 0) >= 3, 20_000, 'three ticks');
    const unpub = await sys.request('POST', '/api/flows/ticker/unpublish');
    expect(unpub.status).toBe(200);
    const elapsedS = (Date.now() - started) / 1000;
    await sys.drain();
    const total = Object.values(await sys.runCounts()).reduce((a, b) => a + b, 0);
    // One run per tick: never more runs than seconds elapsed (two workers, no double firing).
    expect(total).toBeLessThanOrEqual(Math.ceil(elapsedS) + 1);
    const dup = await sys.db.query(`SELECT count(*)::int AS n, count(DISTINCT dedupe_key)::int AS d FROM runs`);
    expect(dup.rows[0].n).toBe(dup.rows[0].d);

    // Unpublished: no more ticks.
    const after = total;
    await new Promise((r) => setTimeout(r, 2500)); // observing that nothing happens needs real time
    await sys.drain();
    const later = Object.values(await sys.runCounts()).reduce((a, b) => a + b, 0);
    expect(later - after).toBeLessThanOrEqual(1);
  });
});
