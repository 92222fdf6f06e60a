// Step retries with backoff, failed runs and manual retry from the checkpoint,
// cancellation, per-flow concurrency, manual runs.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSystem, type System } from './support/system.js';
import { startStub, type StubServer } from './support/http-stub.js';

function httpFlow(id: string, url: string, extra: Record<string, unknown> = {}) {
  return {
    schemaVersion: 1,
    id,
    name: id,
    settings: extra.settings,
    nodes: [
      { id: 'start', type: 'core.manual', version: 1, config: {} },
      { id: 'prep', type: 'core.transform', version: 1, config: { expression: '$merge([$, {"prepared": true}])' } },
      {
        id: 'call',
        type: 'core.http',
        version: 1,
        config: { method: 'POST', url, body: 'item', allowPrivateNetwork: true, timeoutMs: 10000 },
        retry: extra.retry ?? { maxAttempts: 3, backoffMs: 100 },
      },
    ],
    edges: [
      { from: 'start', to: 'prep' },
      { from: 'prep', to: 'call' },
    ],
  };
}

describe('run lifecycle', () => {
  let sys: System;
  const stubs: StubServer[] = [];

  beforeAll(async () => {
    sys = await startSystem({ label: 'lifecycle' });
  });
  afterAll(async () => {
    await sys?.stop();
    await Promise.all(stubs.map((s) => s.close()));
  });

  it('retries a failing step with backoff and resumes after the finished steps', async () => {
    const stub = await startStub(async (_req, _body, n) => ({ status: n <= 2 ? 503 : 200, body: { n } }));
    stubs.push(stub);
    await sys.createFlow(httpFlow('flaky', stub.url));
    const res = await sys.request('POST', '/api/flows/flaky/run', { items: [{ a: 1 }] });
    expect(res.status).toBe(202);
    await sys.drain();
    const run = await sys.request('GET', `/api/runs/${res.body.runId}`);
    expect(run.body.status).toBe('succeeded');
    const steps = Object.fromEntries(run.body.steps.map((s: { nodeId: string }) => [s.nodeId, s]));
    expect(steps.call.attempts).toBe(3);
    expect(steps.prep.attempts).toBe(1); // checkpointed, not repeated
    expect(stub.hits).toBe(3);
  });

  it('fails a run once its attempts are spent, keeps the error, and a retry resumes from the failed step', async () => {
    let healthy = false;
    const stub = await startStub(async () => (healthy ? { status: 200 } : { status: 500, body: { error: 'down' } }));
    stubs.push(stub);
    await sys.createFlow(httpFlow('broken', stub.url, { retry: { maxAttempts: 2, backoffMs: 50 } }));
    const res = await sys.request('POST', '/api/flows/broken/run', { items: [{ a: 1 }] });
    await sys.drain();
    const failed = await sys.request('GET', `/api/runs/${res.body.runId}`);
    expect(failed.body.status).toBe('failed');
    expect(failed.body.error).toMatchObject({ nodeId: 'call', attempts: 2 });
    expect(failed.body.error.message).toMatch(/call/);
    expect(stub.hits).toBe(2);

    healthy = true;
    const retry = await sys.request('POST', `/api/runs/${res.body.runId}/retry`);
    expect(retry.status).toBe(202);
    await sys.drain();
    const ok = await sys.request('GET', `/api/runs/${res.body.runId}`);
    expect(ok.body.status).toBe('succeeded');
    expect(ok.body.retries).toBe(1);
    const prep = ok.body.steps.find((s: { nodeId: string }) => s.nodeId === 'prep');
    expect(prep.attempts).toBe(1);
    expect(stub.hits).toBe(3);

    const again = await sys.request('POST', `/api/runs/${res.body.runId}/retry`);
    expect(again.status).toBe(409);
  });

  it('cancels a queued or running run', async () => {
    const stub = await startStub(async () => ({ status: 200, delayMs: 3000 }));
    stubs.push(stub);
    await sys.createFlow(httpFlow('slow', stub.url));
    const res = await sys.request('POST', '/api/flows/slow/run', { items: [{ a: 1 }] });
    await sys.waitFor(async () => stub.hits > 0, 10_000, 'the slow call to start');
    const cancel = await sys.request('POST', `/api/runs/${res.body.runId}/cancel`);
    expect(cancel.status).toBe(200);
    await sys.drain();
    const run = await sys.request('GET', `/api/runs/${res.body.runId}`);
    expect(run.body.status).toBe('cancelled');
    const list = await sys.request('GET', '/api/runs?status=cancelled&flowId=slow');
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([res.body.runId]);
  });

  it('keeps a flow within its concurrency limit across the worker', async () => {
    const stub = await startStub(async () => ({ status: 200, delayMs: 150 }));
    stubs.push(stub);
    await sys.createFlow(httpFlow('limited', stub.url, { settings: { concurrency: 2 } }));
    const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => sys.request('POST', '/api/flows/limited/run', { items: [{ i }] })));
    await sys.drain();
    expect(stub.hits).toBe(8);
    expect(stub.maxInFlight).toBeLessThanOrEqual(2);
    for (const r of ids) expect((await sys.request('GET', `/api/runs/${r.body.runId}`)).body.status).toBe('succeeded');
  });

  it('validates flows and reports each problem with its node and path', async () => {
    const bad = await sys.request('POST', '/api/flows', {
      schemaVersion: 1,
      name: 'bad',
      nodes: [
        { id: 'a', type: 'core.manual', version: 1, config: {} },
        { id: 'b', type: 'core.transform', version: 1, config: { expression: '$$$ nope (' } },
        { id: 'c', type: 'core.nope', version: 1, config: {} },
        { id: 'd', type: 'core.filter', version: 9, config: {} },
      ],
      edges: [{ from: 'a', to: 'b' }, { from: 'b:missing', to: 'a' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('flow_invalid');
    const problems = bad.body.error.details as { nodeId?: string; path: string; code: string }[];
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ nodeId: 'b', code: 'invalid_expression', path: '/nodes/1/config/expression' }),
        expect.objectContaining({ nodeId: 'c', code: 'unknown_node_type' }),
        expect.objectContaining({ nodeId: 'd', code: 'unknown_node_version' }),
      ]),
    );
    expect(problems.some((p) => p.path.startsWith('/edges/1'))).toBe(true);
  });

  it('saves drafts as new versions and runs the published one', async () => {
    const stub = await startStub(async () => ({ status: 200 }));
    stubs.push(stub);
    const id = await sys.createFlow(httpFlow('versions', stub.url));
    const v2 = await sys.request('PUT', `/api/flows/${id}`, { ...httpFlow('versions', stub.url), name: 'versions v2' });
    expect(v2.body).toEqual({ id, version: 2 });
    const flow = await sys.request('GET', `/api/flows/${id}`);
    expect(flow.body).toMatchObject({ version: 2, publishedVersion: 1, name: 'versions v2' });
    const run = await sys.request('POST', `/api/flows/${id}/run`, { items: [{}] });
    await sys.drain();
    expect((await sys.request('GET', `/api/runs/${run.body.runId}`)).body.flowVersion).toBe(1);
  });
});
