import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createNodeRegistry } from '@tributary/engine';
import { coreNodes } from '@tributary/connector-core';
import { customerNodes } from '@tributary/connector-customer';
import { CustomerStore, SegmentService } from '@tributary/customer-store';
import { createTestDatabase } from '../../../../test/support/services.js';
import { createDataSource, runMigrations } from '../db/data-source.js';
import { sql } from '../db/sql.js';
import { FlowService } from '../flows/flow.service.js';
import { SegmentTriggerDispatcher } from './segment-trigger.dispatcher.js';

const log = { debug() {}, info() {}, warn() {}, error() {} };
let phoneSeq = 0;
const nextPhone = () => `+86139${String(31_000_000 + 7919 * ++phoneSeq).padStart(8, '0')}`;

describe('SegmentTriggerDispatcher (real Postgres)', () => {
  let ds: DataSource;
  let flows: FlowService;
  let store: CustomerStore;
  let segments: SegmentService;
  const registry = createNodeRegistry([...coreNodes, ...customerNodes]);
  const enqueued: string[] = [];
  const enqueuer = { enqueue: async (runId: string) => (enqueued.push(runId), true) };
  const dispatcher = () => new SegmentTriggerDispatcher({ ds, flows, registry, enqueuer, log, batchSize: 4 });

  const flowDoc = (id: string, segmentId: string, change = 'entered') => ({
    schemaVersion: 1,
    id,
    name: id,
    nodes: [
      { id: 'seg', type: 'customer.segment-entered', version: 1, config: { segmentId, change } },
      { id: 'keep', type: 'core.transform', version: 1, config: { expression: '$' } },
    ],
    edges: [{ from: 'seg', to: 'keep' }],
  });
  const publish = async (id: string, segmentId: string, change = 'entered') => {
    await flows.create(flowDoc(id, segmentId, change));
    await flows.publish(id);
  };
  const customer = async (attributes: Record<string, unknown> = {}) => {
    const [r] = await store.upsert([
      {
        identities: [{ type: 'phone', value: nextPhone() }, { type: 'email', value: `c${phoneSeq}@corp-mail.cn` }],
        attributes,
        provenance: { source: 'test', flowId: 'f', flowVersion: 1, runId: 'r', nodeId: 'n' },
        idempotencyKey: `k${phoneSeq}-${Math.random()}`,
      },
    ]);
    return r!.customerId;
  };
  const setScore = (id: string, score: number) => sql(ds, `UPDATE customers SET score = $2, updated_at = clock_timestamp() WHERE id = $1`, [id, score]);
  const evaluate = async () => {
    for (let i = 0; i < 20; i++) if (!(await segments.evaluator.evaluateChanges()).more) return;
  };
  const runsOf = (flowId: string) =>
    sql<{ id: string; dedupe_key: string; trigger_kind: string; input: Record<string, unknown>[]; status: string; flow_version: number }>(
      ds,
      `SELECT id, dedupe_key, trigger_kind, input, status, flow_version FROM runs WHERE flow_id = $1 ORDER BY created_at, dedupe_key`,
      [flowId],
    );
  const cursorOf = async (flowId: string) => (await sql<{ cursor: { changeId: string } }>(ds, `SELECT cursor FROM trigger_state WHERE flow_id = $1 AND node_id = 'seg'`, [flowId]))[0]?.cursor;

  beforeAll(async () => {
    ds = createDataSource({ url: await createTestDatabase('seg_dispatch'), poolSize: 8 });
    await ds.initialize();
    await runMigrations(ds);
    flows = new FlowService(ds, registry, { publishedTtlMs: 0 });
    store = new CustomerStore(ds);
    segments = new SegmentService(ds);
    await segments.create({ id: 'hot', name: 'Hot', definition: { field: 'score', op: 'gte', value: 50 } });
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  it('starts exactly one run per customer entering, with the customer in the item', async () => {
    // Entered before the flow was published: not its business.
    const early = await customer();
    await setScore(early, 90);
    await evaluate();
    await publish('welcome', 'hot');
    const d = dispatcher();
    expect(await d.dispatchOnce()).toMatchObject({ triggers: 1, runs: 0 });

    const ids = [await customer({ name: '王芳' }), await customer(), await customer(), await customer(), await customer()];
    for (const id of ids) await setScore(id, 70);
    await evaluate();
    const first = await d.dispatchOnce();
    expect(first.runs).toBe(5);
    const runs = await runsOf('welcome');
    expect(runs).toHaveLength(5);
    const changes = await sql<{ id: string; customer_id: string }>(ds, `SELECT id::text AS id, customer_id FROM segment_changes WHERE segment_id = 'hot' AND customer_id = ANY($1::uuid[]) ORDER BY id`, [ids]);
    expect(runs.map((r) => r.dedupe_key).sort()).toEqual(changes.map((c) => `segment:hot:${c.id}`).sort());
    expect(runs.every((r) => r.trigger_kind === 'segment' && r.status === 'queued' && r.flow_version === 1)).toBe(true);
    expect(enqueued).toEqual(expect.arrayContaining(runs.map((r) => r.id)));
    const item = runs.map((r) => r.input[0]!).find((i) => i.customerId === ids[0])!;
    expect(item).toMatchObject({
      customerId: ids[0],
      segmentId: 'hot',
      segmentName: 'Hot',
      change: 'entered',
      displayName: '王芳',
      score: 70,
      stage: 'lead',
      phone: expect.stringMatching(/^\+86139/),
      email: expect.stringMatching(/@corp-mail\.cn$/),
      identities: expect.arrayContaining([expect.objectContaining({ type: 'phone' })]),
    });
    expect(typeof item.changeId).toBe('string');
    expect(new Date(item.at as string).toISOString()).toBe(item.at);
    // Nothing new: nothing more.
    expect((await d.dispatchOnce()).runs).toBe(0);
    expect((await cursorOf('welcome'))!.changeId).toBe(changes[changes.length - 1]!.id);
  });

  it('keeps its cursor across restarts and never runs a change twice, even from an older cursor', async () => {
    const before = (await runsOf('welcome')).length;
    const cursor = (await cursorOf('welcome'))!.changeId;
    const id = await customer();
    await setScore(id, 80);
    await evaluate();
    // A new dispatcher (a restarted worker) goes on from the stored cursor.
    expect((await dispatcher().dispatchOnce()).runs).toBe(1);
    // A cursor set back (restored backup, manual reset): the dedupe keys hold.
    await sql(ds, `UPDATE trigger_state SET cursor = $1 WHERE flow_id = 'welcome'`, [JSON.stringify({ changeId: cursor })]);
    expect((await dispatcher().dispatchOnce()).runs).toBe(0);
    expect(await runsOf('welcome')).toHaveLength(before + 1);
  });

  it('follows the configured change: left, or both', async () => {
    await publish('goodbye', 'hot', 'left');
    await publish('either', 'hot', 'both');
    const d = dispatcher();
    await d.dispatchOnce();
    const id = await customer();
    await setScore(id, 99);
    await evaluate();
    await setScore(id, 1);
    await evaluate();
    await d.dispatchOnce();
    expect((await runsOf('goodbye')).map((r) => [r.input[0]!.customerId, r.input[0]!.change])).toEqual([[id, 'left']]);
    expect((await runsOf('either')).map((r) => r.input[0]!.change)).toEqual(['entered', 'left']);
  });

  it('starts nothing for erased customers or for records merged into another', async () => {
    const a = await customer();
    const b = await customer();
    const c = await customer();
    await publish('exits', 'hot', 'left');
    await dispatcher().dispatchOnce();
    for (const id of [a, b, c]) await setScore(id, 75);
    await evaluate();
    await store.mergeCustomers(a, [b], { actor: 'test' });
    await store.eraseCustomer(c, 'test');
    await evaluate();
    const left = await sql<{ n: number }>(ds, `SELECT count(*)::int AS n FROM segment_changes WHERE change = 'left' AND customer_id = ANY($1::uuid[])`, [[b, c]]);
    expect(left[0]!.n).toBe(2);
    await dispatcher().dispatchOnce();
    expect(await runsOf('exits')).toEqual([]);
  });

  it('lets several workers dispatch at once without a second run for any change', async () => {
    await publish('busy', 'hot', 'both');
    await dispatcher().dispatchOnce();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await customer());
    for (const id of ids) await setScore(id, 66);
    await evaluate();
    for (const id of ids.slice(0, 6)) await setScore(id, 6);
    await evaluate();
    const total = async () => (await sql<{ n: number }>(ds, `SELECT count(*)::int AS n FROM runs`))[0]!.n;
    const before = await total();
    const results = await Promise.all([dispatcher(), dispatcher(), dispatcher()].map((d) => d.dispatchOnce()));
    // A worker that found a cursor locked skipped it; whatever is left, the next pass takes.
    results.push(await dispatcher().dispatchOnce());
    const runs = await runsOf('busy');
    expect(runs).toHaveLength(18);
    expect(new Set(runs.map((r) => r.dedupe_key)).size).toBe(18);
    // Every run a worker reported is a run of its own: none was attempted twice.
    expect(results.reduce((n, r) => n + r.runs, 0)).toBe((await total()) - before);
  });

  it('pauses while unpublished and resumes where it stopped', async () => {
    await publish('paused', 'hot');
    await dispatcher().dispatchOnce();
    await flows.unpublish('paused');
    const id = await customer();
    await setScore(id, 88);
    await evaluate();
    expect((await dispatcher().triggers()).map((t) => t.flowId)).not.toContain('paused');
    await flows.publish('paused');
    await dispatcher().dispatchOnce();
    expect((await runsOf('paused')).map((r) => r.input[0]!.customerId)).toEqual([id]);
  });
});
