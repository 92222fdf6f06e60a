import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createExpressionEvaluator } from '@tributary/engine';
import { defineNode } from '@tributary/node-sdk';
import { CustomerStore } from '@tributary/customer-store';
import { createTestDatabase } from '../../../../test/support/services.js';
import { createDataSource, runMigrations } from '../db/data-source.js';
import { sql } from '../db/sql.js';
import { createCatalog } from '../registry/catalog.js';
import { createHttpClient } from '../http/http-client.js';
import { PgSharedCache } from '../cache/pg-shared-cache.js';
import { ConnectionService } from '../connections/connection.service.js';
import { AppError } from '../errors.js';
import { StepTester, type StepTestRequest } from './step-tester.js';

// Two nodes only a test needs: one that never finishes, one that echoes its connection's secret.
const hang = defineNode({
  id: 'probe.hang',
  version: 1,
  title: 'Hang',
  description: 'Never finishes.',
  category: 'transform',
  configSchema: { type: 'object', properties: {}, additionalProperties: false },
  run: () => new Promise(() => undefined),
});
const echoSecret = defineNode<{ connection: string }>({
  id: 'probe.echo',
  version: 1,
  title: 'Echo secret',
  description: 'Puts its connection secret into the item.',
  category: 'transform',
  connection: { type: 'probe', required: true },
  configSchema: { type: 'object', required: ['connection'], properties: { connection: { type: 'string' } }, additionalProperties: false },
  async run(ctx, items) {
    return { out: items.map((i) => ({ ...i, said: `token is ${ctx.secrets?.apiKey}` })) };
  },
});

const manual = { id: 'start', type: 'core.manual', version: 1, config: {} };
const tidy = { id: 'tidy', type: 'core.transform', version: 1, config: { expression: '{ "email": $lowercase(email), "name": name }' } };
const flow = (nodes: object[], edges: { from: string; to: string }[]) => ({ schemaVersion: 1, id: 'steptest', name: 'step test', nodes, edges });

describe('StepTester (real Postgres)', () => {
  let ds: DataSource;
  let tester: StepTester;
  let deps: ConstructorParameters<typeof StepTester>[0];
  let connections: ConnectionService;
  const test = (req: Omit<StepTestRequest, 'flowRef'>) => tester.test({ ...req, flowRef: { id: 'steptest', version: 3 } });
  const rejection = async (p: Promise<unknown>) => {
    const err = await p.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  };

  beforeAll(async () => {
    ds = createDataSource({ url: await createTestDatabase('steptest'), poolSize: 4 });
    await ds.initialize();
    await runMigrations(ds);
    const catalog = createCatalog([{ id: 'probe', title: 'Probe', description: 'test nodes', nodes: [hang, echoSecret] }]);
    const http = createHttpClient();
    connections = new ConnectionService(ds, Buffer.alloc(32, 7), catalog.connectors, http);
    deps = {
      registry: catalog.registry,
      connections,
      store: new CustomerStore(ds),
      http,
      cache: new PgSharedCache(ds),
      expr: createExpressionEvaluator(),
      log: { debug() {}, info() {}, warn() {}, error() {} },
      limits: { timeoutMs: 500, maxItems: 5 },
    };
    tester = new StepTester(deps);
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  it('runs one node on the given items, and writes no run', async () => {
    const doc = flow([manual, tidy], [{ from: 'start', to: 'tidy' }]);
    const res = await test({ flow: doc, nodeId: 'tidy', mode: 'node', items: [{ email: 'Li.Na@Corp-Mail.cn', name: '李娜' }, { email: 'WANG@corp-mail.cn' }] });
    expect(res).toMatchObject({ status: 'succeeded', mode: 'node', startNodeId: 'tidy', itemsFrom: 'request', truncated: false });
    expect(res.testId).toMatch(/^test:[0-9a-f-]{36}$/);
    expect(res.steps).toHaveLength(1);
    expect(res.steps[0]).toMatchObject({
      nodeId: 'tidy',
      status: 'succeeded',
      attempts: 1,
      output: { out: [{ email: 'li.na@corp-mail.cn', name: '李娜' }, { email: 'wang@corp-mail.cn' }], error: [] },
      itemCounts: { input: 2, output: { out: 2, error: 0 } },
    });
    const [{ n }] = await sql<{ n: number }>(ds, `SELECT count(*)::int AS n FROM runs`);
    expect(n).toBe(0);
  });

  it('runs from the trigger sample up to the node and no further', async () => {
    const after = { id: 'after', type: 'core.transform', version: 1, config: { expression: '$' } };
    const doc = flow([manual, tidy, after], [{ from: 'start', to: 'tidy' }, { from: 'tidy', to: 'after' }]);
    const res = await test({ flow: doc, nodeId: 'tidy', mode: 'until' });
    expect(res).toMatchObject({ status: 'succeeded', startNodeId: 'start', itemsFrom: 'sample' });
    expect(res.steps.map((s) => s.nodeId)).toEqual(['start', 'tidy']);
    // core.manual's declared sample input.
    expect(res.steps[1]!.output!.out).toEqual([{ email: 'ada@example.com', name: 'Ada Lovelace' }]);
  });

  it('goes straight on past a delay, which a real run would wait at', async () => {
    const wait = { id: 'wait', type: 'core.delay', version: 1, config: { mode: 'duration', amount: 2, unit: 'days' } };
    const doc = flow([manual, wait, tidy], [{ from: 'start', to: 'wait' }, { from: 'wait', to: 'tidy' }]);
    const res = await test({ flow: doc, nodeId: 'tidy', mode: 'until', items: [{ email: 'A@corp-mail.cn' }] });
    expect(res.status).toBe('succeeded');
    const delay = res.steps.find((s) => s.nodeId === 'wait')!;
    expect(delay.status).toBe('succeeded');
    expect(Date.parse(delay.resumeAt!) - Date.now()).toBeGreaterThan(47 * 3600_000);
    expect(res.steps.find((s) => s.nodeId === 'tidy')!.output!.out).toEqual([{ email: 'a@corp-mail.cn' }]);
  });

  it('returns the failed step with its error', async () => {
    const bad = { id: 'bad', type: 'core.transform', version: 1, config: { expression: '$count($)', mode: 'all' } };
    const res = await test({ flow: flow([manual, bad], [{ from: 'start', to: 'bad' }]), nodeId: 'bad', mode: 'node', items: [{ a: 1 }] });
    expect(res.status).toBe('failed');
    expect(res.error).toMatchObject({ code: 'invalid_result', nodeId: 'bad' });
    expect(res.steps[0]).toMatchObject({ status: 'failed', output: null, error: { code: 'invalid_result' } });
  });

  it('tests a node of a half-built draft, but not a node with problems', async () => {
    // `loose` is not connected and `broken` has no expression: neither is in the test of `tidy`.
    const loose = { id: 'loose', type: 'core.transform', version: 1, config: { expression: '$' } };
    const broken = { id: 'broken', type: 'core.transform', version: 1, config: {} };
    const doc = flow([manual, tidy, loose, broken], [{ from: 'start', to: 'tidy' }, { from: 'tidy', to: 'broken' }]);
    expect((await test({ flow: doc, nodeId: 'tidy', mode: 'until' })).status).toBe('succeeded');
    expect((await test({ flow: doc, nodeId: 'loose', mode: 'node', items: [{ x: 1 }] })).steps[0]!.output!.out).toEqual([{ x: 1 }]);
    const err = await rejection(test({ flow: doc, nodeId: 'broken', mode: 'node', items: [{ x: 1 }] }));
    expect(err).toMatchObject({ status: 400, code: 'flow_invalid' });
    expect(err.details).toEqual([expect.objectContaining({ code: 'invalid_config', nodeId: 'broken' })]);
  });

  it('answers 400 for an unknown node, a node no trigger reaches, bad or too many items, and missing items', async () => {
    const doc = flow([manual, tidy, { id: 'loose', type: 'core.transform', version: 1, config: { expression: '$' } }], [{ from: 'start', to: 'tidy' }]);
    expect(await rejection(test({ flow: doc, nodeId: 'nope', mode: 'node', items: [] }))).toMatchObject({ status: 400, code: 'unknown_node' });
    expect(await rejection(test({ flow: doc, nodeId: 'loose', mode: 'until' }))).toMatchObject({ status: 400, code: 'node_not_reachable' });
    expect(await rejection(test({ flow: doc, nodeId: 'tidy', mode: 'until', triggerNodeId: 'loose' }))).toMatchObject({ status: 400, code: 'node_not_reachable' });
    expect(await rejection(test({ flow: doc, nodeId: 'tidy', mode: 'node', items: [1, 2] }))).toMatchObject({ status: 400, code: 'invalid_items' });
    const six = Array.from({ length: 6 }, (_, i) => ({ i }));
    expect(await rejection(test({ flow: doc, nodeId: 'tidy', mode: 'node', items: six }))).toMatchObject({ status: 400, code: 'too_many_items' });
    // A node alone with no items runs on its declared sample input; the probe node declares none.
    expect(await rejection(test({ flow: flow([manual, { id: 'h', type: 'probe.hang', version: 1, config: {} }], [{ from: 'start', to: 'h' }]), nodeId: 'h', mode: 'node' }))).toMatchObject({ status: 400, code: 'items_required' });
    expect(await rejection(test({ flow: doc, nodeId: 'tidy', mode: 'sideways' as 'node' }))).toMatchObject({ status: 400, code: 'invalid_mode' });
    expect(await rejection(test({ flow: 'not a flow', nodeId: 'tidy', mode: 'node' }))).toMatchObject({ status: 400, code: 'flow_invalid' });
  });

  it('stops a step that runs over the time limit, and keeps the steps before it', async () => {
    const doc = flow([manual, { id: 'h', type: 'probe.hang', version: 1, config: {} }], [{ from: 'start', to: 'h' }]);
    const t0 = Date.now();
    const res = await test({ flow: doc, nodeId: 'h', mode: 'until' });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(res.status).toBe('failed');
    expect(res.error).toMatchObject({ code: 'test_timeout', nodeId: 'h' });
    expect(res.steps.map((s) => [s.nodeId, s.status])).toEqual([['start', 'succeeded'], ['h', 'failed']]);
  });

  it('keeps connection secrets out of the answer', async () => {
    const { id } = await connections.create({ type: 'probe', name: 'probe', secrets: { apiKey: 'sk-live-93f2a71c' } });
    const doc = flow([manual, { id: 'echo', type: 'probe.echo', version: 1, config: { connection: id } }], [{ from: 'start', to: 'echo' }]);
    const res = await test({ flow: doc, nodeId: 'echo', mode: 'node', items: [{ a: 1 }] });
    expect(res.steps[0]!.output!.out).toEqual([{ a: 1, said: 'token is [redacted]' }]);
    const gone = flow([manual, { id: 'echo', type: 'probe.echo', version: 1, config: { connection: '5b0c1f7e-0000-4000-8000-000000000000' } }], []);
    expect(await rejection(test({ flow: gone, nodeId: 'echo', mode: 'node', items: [{}] }))).toMatchObject({ status: 400, code: 'connection_not_found' });
  });

  it('writes for real through customer nodes, with test: idempotency keys', async () => {
    const upsert = { id: 'save', type: 'customer.upsert', version: 1, config: { source: 'webform' } };
    const res = await test({ flow: flow([manual, upsert], [{ from: 'start', to: 'save' }]), nodeId: 'save', mode: 'node', items: [{ name: '周敏', phone: '13924681357', email: 'zhou.min@corp-mail.cn' }] });
    expect(res.status).toBe('succeeded');
    const rows = await sql<{ run_id: string }>(ds, `SELECT run_id FROM customer_events WHERE run_id IS NOT NULL`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.run_id === res.testId)).toBe(true);
  });

  it('cuts item lists to keep the answer under the size limit, keeping the counts', async () => {
    const small = new StepTester({ ...deps, limits: { maxResponseBytes: 3000 } });
    const items = Array.from({ length: 40 }, (_, i) => ({ i, text: 'x'.repeat(100) }));
    const res = await small.test({ flow: flow([manual, tidy], []), nodeId: 'tidy', mode: 'node', items: items.map((i) => ({ email: i.text, name: String(i.i) })) });
    expect(res.truncated).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(res.steps))).toBeLessThanOrEqual(3000);
    expect(res.steps[0]!.itemCounts).toEqual({ input: 40, output: { out: 40, error: 0 } });
    expect(res.steps[0]!.input.length).toBeLessThan(40);
    expect(res.steps[0]!.truncated).toBe(true);
  });
});
