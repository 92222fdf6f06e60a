// core.delay: a run pauses without holding a worker, survives the worker dying while it waits,
// goes on after the delay from its checkpoint, and a waiting run can be cancelled.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSystem, type System } from './support/system.js';

describe('core.delay (real API and worker)', () => {
  let sys: System;

  beforeAll(async () => {
    // One worker slot: if a waiting run held it, the second delivery could not finish meanwhile.
    sys = await startSystem({ label: 'delay', env: { WORKER_CONCURRENCY: '1' } });
    await sys.createFlow({
      schemaVersion: 1,
      id: 'later',
      name: 'later',
      nodes: [
        { id: 'hook', type: 'core.webhook', version: 1, config: { auth: 'none', dedupe: 'none' } },
        { id: 'wait', type: 'core.delay', version: 1, config: { amount: 3, unit: 'seconds' } },
        { id: 'after', type: 'core.transform', version: 1, config: { expression: '$merge([$, {"after": true}])' } },
      ],
      edges: [
        { from: 'hook', to: 'wait' },
        { from: 'wait', to: 'after' },
      ],
    });
    await sys.createFlow({
      schemaVersion: 1,
      id: 'now',
      name: 'now',
      nodes: [
        { id: 'hook', type: 'core.webhook', version: 1, config: { auth: 'none', dedupe: 'none' } },
        { id: 'map', type: 'core.transform', version: 1, config: { expression: '$' } },
      ],
      edges: [{ from: 'hook', to: 'map' }],
    });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  const run = async (id: string) => (await sys.request('GET', `/api/runs/${id}`)).body;
  const statusOf = async (id: string) => (await run(id)).status as string;

  it('waits without holding the worker, survives a worker restart, then goes on from its checkpoint', async () => {
    const ack = await sys.request('POST', '/hooks/later/hook', { n: 1 });
    expect(ack.status).toBe(202);
    const runId = ack.body.runIds[0];
    await sys.waitFor(async () => (await statusOf(runId)) === 'waiting', 20_000, 'the run to wait');
    const waiting = await run(runId);
    expect(Date.parse(waiting.resumeAt)).toBeGreaterThan(Date.now());
    expect(waiting.steps.find((s: { nodeId: string }) => s.nodeId === 'wait')).toMatchObject({ status: 'waiting', resumeAt: waiting.resumeAt });

    // The only worker slot is free: another flow's run finishes while the first one waits.
    const other = await sys.request('POST', '/hooks/now/hook', { n: 2 });
    await sys.waitFor(async () => (await statusOf(other.body.runIds[0])) === 'succeeded', 20_000, 'the other run');
    expect(await statusOf(runId)).toBe('waiting');

    // The worker dies while the run waits; a new one takes over.
    await sys.stopWorker(0, 'SIGKILL');
    await sys.startWorker();
    await sys.waitFor(async () => (await statusOf(runId)) === 'succeeded', 40_000, 'the waiting run to go on');
    const done = await run(runId);
    const after = done.steps.find((s: { nodeId: string }) => s.nodeId === 'after');
    expect(after.output.out).toEqual([{ n: 1, after: true }]);
    expect(Date.parse(after.startedAt)).toBeGreaterThanOrEqual(Date.parse(waiting.resumeAt));
    expect(done.steps.find((s: { nodeId: string }) => s.nodeId === 'wait')).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('cancels a waiting run: it never goes on', async () => {
    const ack = await sys.request('POST', '/hooks/later/hook', { n: 3 });
    const runId = ack.body.runIds[0];
    await sys.waitFor(async () => (await statusOf(runId)) === 'waiting', 20_000, 'the run to wait');
    expect((await sys.request('GET', '/api/runs?status=waiting')).body.items.map((r: { id: string }) => r.id)).toContain(runId);
    expect((await sys.request('POST', `/api/runs/${runId}/cancel`)).status).toBe(200);
    // Past the resume time, the delayed job comes and finds the run cancelled.
    await new Promise((r) => setTimeout(r, 3500));
    await sys.drain();
    const r = await run(runId);
    expect(r.status).toBe('cancelled');
    expect(r.steps.find((s: { nodeId: string }) => s.nodeId === 'after')).toBeUndefined();
  });
});
