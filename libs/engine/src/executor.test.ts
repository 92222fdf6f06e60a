import { describe, expect, it } from '@jest/globals';
import { allTestNodes } from './__fixtures__/test-nodes.js';
import { executeFlow } from './executor.js';
import type { ExecuteOptions, StepRecord } from './executor.types.js';
import { createExpressionEvaluator } from './expression.js';
import type { FlowDocument } from './flow.types.js';
import type { Item, NodeContext, NodeDefinition } from './node.types.js';
import { waitUntil } from './wait.js';
import { createNodeRegistry } from './registry.js';

const registry = createNodeRegistry(allTestNodes);
const clock = () => new Date('2025-03-01T08:00:00.000Z');

function context(node: { id: string; type: string; version: number }, _config: Record<string, unknown>, attempt: number): Omit<NodeContext, 'config'> {
  return {
    node,
    flow: { id: 'f', version: 1, name: 'test' },
    runId: 'run-1',
    attempt,
    http: { request: () => Promise.reject(new Error('no http')) },
    store: { upsert: () => Promise.reject(new Error('no store')) },
    expr: createExpressionEvaluator(),
    log: { debug() {}, info() {}, warn() {}, error() {} },
    signal: new AbortController().signal,
    now: clock,
    idempotencyKey: (s) => `run-1:${node.id}:${s ?? ''}`,
  };
}

function flow(nodes: FlowDocument['nodes'], edges: FlowDocument['edges'], extra: Partial<FlowDocument> = {}): FlowDocument {
  return { schemaVersion: 1, name: 'test', nodes, edges, ...extra };
}

const trigger = { id: 'start', type: 'test.manual', version: 1, config: {} };
const set = (id: string, field: string, value: unknown = true) => ({ id, type: 'test.set', version: 1, config: { field, value } });
const misbehave = (id: string, mode: string) => ({ id, type: 'test.misbehave', version: 1, config: { mode } });

function run(doc: FlowDocument, items: Item[] = [{ n: 1 }], more: Partial<ExecuteOptions> = {}) {
  return executeFlow({ flow: doc, registry, triggerNodeId: 'start', triggerItems: items, context, now: clock, ...more });
}

const byNode = (steps: StepRecord[]) => Object.fromEntries(steps.map((s) => [s.nodeId, s]));

describe('executeFlow', () => {
  it('tells nodes which trigger started the run, and nothing when a step runs on its own', async () => {
    const seen: unknown[] = [];
    const probe: NodeDefinition = {
      ...allTestNodes.find((n) => n.id === 'test.set')!,
      id: 'test.probe',
      configSchema: { type: 'object', properties: {} },
      async run(ctx, items) {
        seen.push(ctx.trigger);
        return { out: items };
      },
    };
    const withProbe = createNodeRegistry([...allTestNodes, probe]);
    const doc = flow([trigger, { id: 'p', type: 'test.probe', version: 1, config: {} }], [{ from: 'start', to: 'p' }]);
    await run(doc, [{ n: 1 }], { registry: withProbe });
    // The editor's "test this step" starts at the node itself: no trigger started that run.
    await run(doc, [{ n: 1 }], { registry: withProbe, triggerNodeId: 'p', untilNodeId: 'p' });
    expect(seen).toEqual([{ nodeId: 'start', type: 'test.manual' }, undefined]);
  });

  it('runs a chain in topological order, passing items along, with ISO UTC step times', async () => {
    // Document order deliberately differs from execution order.
    const doc = flow([set('b', 'second'), trigger, set('a', 'first')], [
      { from: 'a', to: 'b' },
      { from: 'start', to: 'a' },
    ]);
    const res = await run(doc, [{ n: 1 }, { n: 2 }]);
    expect(res.status).toBe('succeeded');
    expect(res.steps.map((s) => s.nodeId)).toEqual(['start', 'a', 'b']);
    expect(byNode(res.steps).b!.output).toEqual({ out: [{ n: 1, first: true, second: true }, { n: 2, first: true, second: true }] });
    expect(byNode(res.steps).start!.output).toEqual({ out: [{ n: 1 }, { n: 2 }] });
    for (const s of res.steps) {
      expect(s.startedAt).toBe('2025-03-01T08:00:00.000Z');
      expect(s.finishedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(s.attempts).toBe(1);
    }
  });

  it('hands the next step text Postgres can hold: a NUL left out, half a surrogate pair as U+FFFD', async () => {
    // A vendor's answer (an HTTP node's output) may carry either; a store write after it would fail.
    const doc = flow([trigger, set('a', 'note', 'x\u0000y\uD800'), set('b', 'seen')], [
      { from: 'start', to: 'a' },
      { from: 'a', to: 'b' },
    ]);
    const res = await run(doc, [{ n: 1 }]);
    expect(res.status).toBe('succeeded');
    expect(byNode(res.steps).a!.output).toEqual({ out: [{ n: 1, note: 'xy\uFFFD' }] });
    expect(byNode(res.steps).b!.input).toEqual([{ n: 1, note: 'xy\uFFFD' }]);
  });

  it('runs a trigger that has a run function instead of passing items through', async () => {
    const doc = flow([{ id: 'start', type: 'test.stamp', version: 1, config: {} }, set('a', 'x')], [{ from: 'start', to: 'a' }]);
    const res = await run(doc);
    expect(byNode(res.steps).a!.output).toEqual({ out: [{ n: 1, triggered: true, x: true }] });
  });

  it('concatenates items from several edges in edge order and routes by port', async () => {
    const doc = flow(
      [trigger, { id: 'r', type: 'test.router', version: 1, config: { ports: ['vip', 'lead'] } }, set('v', 'vip'), set('l', 'lead'), set('join', 'joined'), set('e', 'other')],
      [
        { from: 'start', to: 'r' },
        { from: 'r:vip', to: 'v' },
        { from: 'r:lead', to: 'l' },
        { from: 'r:else', to: 'e' },
        // `l` first: edge order, not node order, decides the concatenation.
        { from: 'l', to: 'join' },
        { from: 'v', to: 'join' },
      ],
    );
    const res = await run(doc, [
      { id: 1, kind: 'vip' },
      { id: 2, kind: 'lead' },
      { id: 3, kind: 'vip' },
    ]);
    expect(res.status).toBe('succeeded');
    const steps = byNode(res.steps);
    expect(steps.join!.input.map((i) => i.id)).toEqual([2, 1, 3]);
    expect(steps.join!.output!.out!.every((i) => i.joined === true)).toBe(true);
    // Nothing went to `else`: that node is skipped, not run.
    expect(steps.e!.status).toBe('skipped');
    expect(steps.e!.attempts).toBe(0);
    expect(steps.e!.output).toBeNull();
  });

  it('skips disabled nodes and everything that only they feed', async () => {
    const doc = flow([trigger, { ...set('a', 'a'), disabled: true }, set('b', 'b')], [
      { from: 'start', to: 'a' },
      { from: 'a', to: 'b' },
    ]);
    const finished: StepRecord[] = [];
    const res = await run(doc, [{ n: 1 }], { onStepFinish: (r) => void finished.push(r) });
    expect(res.status).toBe('succeeded');
    expect(res.steps.map((s) => [s.nodeId, s.status])).toEqual([
      ['start', 'succeeded'],
      ['a', 'skipped'],
      ['b', 'skipped'],
    ]);
    expect(finished.map((r) => r.status)).toEqual(['succeeded', 'skipped', 'skipped']);
  });

  it('ignores nodes that only another trigger reaches', async () => {
    const doc = flow([trigger, { id: 'other', type: 'test.manual', version: 1, config: {} }, set('a', 'a'), set('b', 'b')], [
      { from: 'start', to: 'a' },
      { from: 'other', to: 'b' },
    ]);
    const res = await run(doc);
    expect(res.steps.map((s) => s.nodeId)).toEqual(['start', 'a']);
  });

  it('calls onStepStart before and onStepFinish after each step that runs', async () => {
    const events: string[] = [];
    const doc = flow([trigger, set('a', 'a')], [{ from: 'start', to: 'a' }]);
    await run(doc, [{ n: 1 }], {
      onStepStart: (r) => void events.push(`start:${r.nodeId}:${r.status}:${r.attempts}`),
      onStepFinish: (r) => void events.push(`finish:${r.nodeId}:${r.status}`),
    });
    expect(events).toEqual(['start:start:running:1', 'finish:start:succeeded', 'start:a:running:1', 'finish:a:succeeded']);
  });

  it('reuses succeeded and skipped checkpoints and counts attempts after a failure', async () => {
    const doc = flow([trigger, set('a', 'fresh'), set('b', 'b')], [
      { from: 'start', to: 'a' },
      { from: 'a', to: 'b' },
    ]);
    const done = (nodeId: string, output: StepRecord['output']): StepRecord => ({
      nodeId,
      status: 'succeeded',
      attempts: 1,
      input: [],
      output,
      error: null,
      startedAt: 'x',
      finishedAt: 'x',
    });
    const checkpoints = new Map<string, StepRecord>([
      ['start', done('start', { out: [{ n: 1 }] })],
      // Output from the earlier attempt; the node must not run again (it would set `fresh`).
      ['a', done('a', { out: [{ n: 1, fromCheckpoint: true }] })],
      ['b', { ...done('b', null), status: 'failed', attempts: 2, error: { code: 'x', message: 'x', retryable: true } }],
    ]);
    const started: string[] = [];
    const res = await run(doc, [{ n: 1 }], { checkpoints, onStepStart: (r) => void started.push(r.nodeId) });
    expect(res.status).toBe('succeeded');
    expect(started).toEqual(['b']);
    const b = byNode(res.steps).b!;
    expect(b.attempts).toBe(3);
    expect(b.input).toEqual([{ n: 1, fromCheckpoint: true }]);
    expect(b.output).toEqual({ out: [{ n: 1, fromCheckpoint: true, b: true }] });
  });

  it('stops at the first failure and records a retryable NodeError with its details', async () => {
    const doc = flow([trigger, misbehave('m', 'node-error'), set('after', 'x')], [
      { from: 'start', to: 'm' },
      { from: 'm', to: 'after' },
    ]);
    const res = await run(doc);
    expect(res.status).toBe('failed');
    expect(res.failedStep?.nodeId).toBe('m');
    expect(res.failedStep?.error).toEqual({ code: 'upstream_down', message: 'the vendor is down', details: { status: 503 }, retryable: true });
    expect(res.steps.map((s) => s.nodeId)).toEqual(['start', 'm']);
    // The node declares maxAttempts 4, backoff 100: attempt 2 comes after 100 ms.
    expect(res.retryDelayMs).toBe(100);
  });

  it('doubles the backoff and stops offering retries when attempts run out', async () => {
    const doc = flow([trigger, misbehave('m', 'plain-error')], [{ from: 'start', to: 'm' }]);
    const failedAt = (attempts: number) =>
      new Map<string, StepRecord>([['m', { nodeId: 'm', status: 'failed', attempts, input: [], output: null, error: null, startedAt: null, finishedAt: null }]]);
    expect((await run(doc, [{ n: 1 }], { checkpoints: failedAt(2) })).retryDelayMs).toBe(400);
    const last = await run(doc, [{ n: 1 }], { checkpoints: failedAt(3) });
    expect(last.failedStep?.attempts).toBe(4);
    expect(last.retryDelayMs).toBeUndefined();
    // The flow node's own retry overrides the definition's.
    const strict = flow([trigger, { ...misbehave('m', 'plain-error'), retry: { maxAttempts: 1 } }], [{ from: 'start', to: 'm' }]);
    expect((await run(strict)).retryDelayMs).toBeUndefined();
  });

  it.each([
    ['fatal-node-error', 'bad_data', false],
    ['plain-error', 'node_failed', true],
    ['flagged-error', 'http_blocked', false],
    ['undeclared-port', 'undeclared_port', false],
    ['date', 'invalid_output', false],
    ['not-array', 'invalid_output', false],
  ])('classifies %s as %s (retryable %s)', async (mode, code, retryable) => {
    const res = await run(flow([trigger, misbehave('m', mode)], [{ from: 'start', to: 'm' }]));
    expect(res.status).toBe('failed');
    expect(res.failedStep?.error?.code).toBe(code);
    expect(res.failedStep?.error?.retryable).toBe(retryable);
  });

  it('fails on an invalid config and on an expression error without retry', async () => {
    const badConfig = await run(flow([trigger, { id: 'm', type: 'test.misbehave', version: 1, config: { mode: 'nope' } }], [{ from: 'start', to: 'm' }]));
    expect(badConfig.failedStep?.error).toMatchObject({ code: 'invalid_config', retryable: false });
    expect(badConfig.retryDelayMs).toBeUndefined();
    const badExpr = await run(flow([trigger, { id: 'x', type: 'test.expr', version: 1, config: { expression: '"a" + 1' } }], [{ from: 'start', to: 'x' }]));
    expect(badExpr.failedStep?.error).toMatchObject({ code: 'expression_runtime', retryable: false, details: { position: 5 } });
  });

  it('fails a node whose type is not installed', async () => {
    const res = await run(flow([trigger, { id: 'g', type: 'ghost.node', version: 1, config: {} }], [{ from: 'start', to: 'g' }]));
    expect(res.failedStep?.error).toMatchObject({ code: 'unknown_node_type', retryable: false });
  });

  it('hands each node its own copy of the items', async () => {
    const doc = flow([trigger, misbehave('m', 'mutate'), set('s', 's')], [
      { from: 'start', to: 'm' },
      { from: 'start', to: 's' },
    ]);
    const items = [{ n: 1 }];
    const res = await run(doc, items);
    expect(byNode(res.steps).m!.output!.out).toEqual([{ n: 1, mutated: true }]);
    expect(byNode(res.steps).s!.output!.out).toEqual([{ n: 1, s: true }]);
    expect(byNode(res.steps).start!.output!.out).toEqual([{ n: 1 }]);
    expect(items).toEqual([{ n: 1 }]);
  });

  it('stops between steps when the signal is aborted', async () => {
    const ac = new AbortController();
    const doc = flow([trigger, set('a', 'a'), set('b', 'b')], [
      { from: 'start', to: 'a' },
      { from: 'a', to: 'b' },
    ]);
    const res = await run(doc, [{ n: 1 }], { signal: ac.signal, onStepFinish: (r) => void (r.nodeId === 'a' && ac.abort()) });
    expect(res.status).toBe('cancelled');
    expect(res.steps.map((s) => s.nodeId)).toEqual(['start', 'a']);
  });

  it('runs only the nodes leading to untilNodeId', async () => {
    const doc = flow([trigger, set('a', 'a'), set('b', 'b'), set('side', 'side')], [
      { from: 'start', to: 'a' },
      { from: 'a', to: 'b' },
      { from: 'start', to: 'side' },
    ]);
    const res = await run(doc, [{ n: 1 }], { untilNodeId: 'a' });
    expect(res.status).toBe('succeeded');
    expect(res.steps.map((s) => s.nodeId)).toEqual(['start', 'a']);
    await expect(run(doc, [{ n: 1 }], { untilNodeId: 'nowhere' })).rejects.toThrow(/cannot be reached/);
  });

  it('refuses an unknown trigger node id', async () => {
    await expect(run(flow([trigger], []), [], { triggerNodeId: 'nope' })).rejects.toThrow(/no node "nope"/);
  });
});

describe('executeFlow with a paused step (waitUntil)', () => {
  const pause: NodeDefinition = {
    id: 'test.pause',
    version: 1,
    title: 'Pause',
    description: 'Waits until the configured time, then passes its items on',
    category: 'logic',
    configSchema: { type: 'object', properties: { until: { type: 'string' } } },
    async run(ctx, items) {
      ranPause++;
      return waitUntil(new Date(String(ctx.config.until)), { out: items.map((i) => ({ ...i, paused: true })) });
    },
  };
  let ranPause = 0;
  const reg = createNodeRegistry([...allTestNodes, pause]);
  const doc = flow([trigger, { id: 'wait', type: 'test.pause', version: 1, config: { until: '2025-03-04T08:00:00.000Z' } }, set('after', 'done')], [
    { from: 'start', to: 'wait' },
    { from: 'wait', to: 'after' },
  ]);
  const exec = (now: Date, checkpoints?: Map<string, StepRecord>) =>
    executeFlow({ flow: doc, registry: reg, triggerNodeId: 'start', triggerItems: [{ n: 1 }], context, now: () => now, checkpoints });

  it('stops at the paused step with its output and resume time, and goes on from the checkpoint once the time has come', async () => {
    const first = await exec(new Date('2025-03-01T08:00:00.000Z'));
    expect(first.status).toBe('waiting');
    expect(first.resumeAt).toBe('2025-03-04T08:00:00.000Z');
    const waiting = byNode(first.steps).wait!;
    expect(waiting).toMatchObject({ status: 'waiting', resumeAt: '2025-03-04T08:00:00.000Z', finishedAt: null, output: { out: [{ n: 1, paused: true }] } });
    expect(byNode(first.steps).after).toBeUndefined();

    const checkpoints = new Map(first.steps.map((s) => [s.nodeId, s]));
    // Delivered early (a recovered job): still waiting, the node is not run again.
    const early = await exec(new Date('2025-03-02T08:00:00.000Z'), checkpoints);
    expect(early.status).toBe('waiting');
    expect(ranPause).toBe(1);

    const later = await exec(new Date('2025-03-04T08:00:01.000Z'), checkpoints);
    expect(later.status).toBe('succeeded');
    expect(ranPause).toBe(1);
    expect(byNode(later.steps).wait).toMatchObject({ status: 'succeeded', finishedAt: '2025-03-04T08:00:01.000Z' });
    expect(byNode(later.steps).after!.output).toEqual({ out: [{ n: 1, paused: true, done: true }] });
  });

  it('does not pause for a time already past', async () => {
    const res = await exec(new Date('2025-03-05T00:00:00.000Z'));
    expect(res.status).toBe('succeeded');
    expect(byNode(res.steps).after!.output).toEqual({ out: [{ n: 1, paused: true, done: true }] });
  });
});
