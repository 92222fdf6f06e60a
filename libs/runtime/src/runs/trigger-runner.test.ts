import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { createNodeRegistry, VendorApiError, type Item } from '@tributary/engine';
import { defineNode, InMemorySharedCache } from '@tributary/node-sdk';
import { coreNodes } from '@tributary/connector-core';
import { createTestDatabase, testQueuePrefix, testRedisUrl } from '../../../../test/support/services.js';
import { createDataSource, runMigrations } from '../db/data-source.js';
import { sql } from '../db/sql.js';
import { FlowService } from '../flows/flow.service.js';
import { ConnectionService } from '../connections/connection.service.js';
import { RunEnqueuer } from '../queue/run-enqueuer.js';
import { createHttpClient } from '../http/http-client.js';
import { RunStore } from './run.store.js';
import { PollStateService, TriggerRunner } from './trigger-runner.js';

// A vendor API the poll trigger reads page by page; `failNext` simulates an outage.
const vendor = { records: [] as { id: string; at: number; note?: string }[], failNext: false, rateLimitNext: false };

const pagesTrigger = defineNode<{ pageSize: number }>({
  id: 'acme.pages',
  version: 1,
  title: 'Pages',
  description: 'Polls records newer than the cursor',
  category: 'trigger',
  inputs: [],
  configSchema: { type: 'object', properties: { pageSize: { type: 'integer', default: 2 } } },
  trigger: {
    kind: 'poll',
    intervalSeconds: 60,
    cursorSchema: { type: 'object', properties: { after: { type: 'integer' } } },
    initialCursor: () => ({ after: 0 }),
    async poll(ctx, cursor: { after: number }) {
      if (vendor.failNext) {
        vendor.failNext = false;
        throw new Error('vendor answered 503');
      }
      if (vendor.rateLimitNext) {
        vendor.rateLimitNext = false;
        throw new VendorApiError('acme', 'acme answered 429', 429, { retryable: true, retryAfterMs: 120_000 });
      }
      // Overlapping window (>= instead of >): the engine's dedupe keeps this from making a second run.
      const page = vendor.records.filter((r) => r.at >= cursor.after).slice(0, ctx.config.pageSize);
      const last = page[page.length - 1];
      return {
        events: page.map((r) => ({ dedupeKey: r.id, items: [(r.note === undefined ? { id: r.id } : { id: r.id, note: r.note }) as Item] })),
        next: { after: last ? last.at : cursor.after },
        hasMore: page.length === ctx.config.pageSize && vendor.records.some((r) => r.at > (last?.at ?? 0)),
      };
    },
    backfillCursor: (from) => ({ after: Math.floor(from.getTime() / 1000) }),
  },
});

describe('TriggerRunner polls (real Postgres and Redis)', () => {
  let ds: DataSource;
  let queue: Queue;
  let runner: TriggerRunner;
  let flows: FlowService;
  let state: PollStateService;
  const cache = new InMemorySharedCache();
  // The runner's clock: moved forward to leave a backoff.
  let clock = Date.parse('2026-11-22T10:00:00Z');
  const now = () => new Date(clock);
  const log = { debug() {}, info() {}, warn() {}, error() {} };
  const doc = (name: string) => ({
    schemaVersion: 1,
    id: 'poller',
    name,
    nodes: [
      { id: 'poll', type: 'acme.pages', version: 1, config: {} },
      { id: 'keep', type: 'core.transform', version: 1, config: { expression: '$' } },
    ],
    edges: [{ from: 'poll', to: 'keep' }],
  });
  const runCount = async () => (await sql<{ n: number }>(ds, `SELECT count(*)::int AS n FROM runs WHERE flow_id = 'poller'`))[0]!.n;
  const cursor = async () => (await sql<{ cursor: unknown; last_error: unknown }>(ds, `SELECT cursor, last_error FROM trigger_state WHERE flow_id = 'poller'`))[0];

  beforeAll(async () => {
    ds = createDataSource({ url: await createTestDatabase('poll'), poolSize: 4 });
    await ds.initialize();
    await runMigrations(ds);
    const registry = createNodeRegistry([...coreNodes, pagesTrigger]);
    const u = new URL(testRedisUrl());
    queue = new Queue('runs', { connection: { host: u.hostname, port: Number(u.port) }, prefix: testQueuePrefix('poll') });
    const http = createHttpClient();
    flows = new FlowService(ds, registry, { publishedTtlMs: 0 });
    const runs = new RunStore(ds);
    runner = new TriggerRunner({
      ds,
      flows,
      registry,
      connections: new ConnectionService(ds, Buffer.alloc(32, 1), [], http),
      runs,
      enqueuer: new RunEnqueuer(queue, log),
      http,
      cache,
      log,
      now,
    });
    state = new PollStateService({ ds, flows, registry, log, now });
    await flows.create(doc('v1'));
    await flows.publish('poller');
  });
  afterAll(async () => {
    await queue.close();
    await ds.destroy();
  });

  it('turns every page of new records into runs and stores the cursor with them', async () => {
    vendor.records = [1, 2, 3, 4, 5].map((n) => ({ id: `r${n}`, at: n * 10 }));
    const res = await runner.handle({ kind: 'poll', flowId: 'poller', nodeId: 'poll' }, 'tick-1', new AbortController().signal);
    expect(res.runs).toBe(5);
    expect(await runCount()).toBe(5);
    expect((await cursor())!.cursor).toEqual({ after: 50 });
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 5 });
  });

  it('makes no second run for a record seen again through an overlapping window', async () => {
    const res = await runner.handle({ kind: 'poll', flowId: 'poller', nodeId: 'poll' }, 'tick-2', new AbortController().signal);
    expect(res.runs).toBe(0); // r5 comes back (at >= 50) but is a duplicate
    expect(await runCount()).toBe(5);
  });

  it('keeps the cursor when the flow is republished, and after a vendor error', async () => {
    await flows.update('poller', doc('v2'));
    await flows.publish('poller');
    vendor.records.push({ id: 'r6', at: 60 });
    vendor.failNext = true;
    expect(await runner.handle({ kind: 'poll', flowId: 'poller', nodeId: 'poll' }, 'tick-3', new AbortController().signal)).toEqual({ runs: 0 });
    const afterError = await cursor();
    expect(afterError!.cursor).toEqual({ after: 50 });
    expect(afterError!.last_error).toMatchObject({ message: 'vendor answered 503', retryInMs: 60_000 });
    // Backing off: a tick within the interval does not call the vendor.
    expect((await state.get('poller', 'poll')).consecutiveErrors).toBe(1);
    clock += 30_000;
    expect(await runner.handle({ kind: 'poll', flowId: 'poller', nodeId: 'poll' }, 'tick-3b', new AbortController().signal)).toEqual({ runs: 0 });
    clock += 31_000;

    const res = await runner.handle({ kind: 'poll', flowId: 'poller', nodeId: 'poll' }, 'tick-4', new AbortController().signal);
    expect(res.runs).toBe(1);
    const newest = await sql<{ flow_version: number }>(ds, `SELECT flow_version FROM runs WHERE dedupe_key = 'r6'`);
    expect(newest[0]!.flow_version).toBe(2);
    expect((await cursor())!.cursor).toEqual({ after: 60 });
    expect((await cursor())!.last_error).toBeNull();
  });

  it('waits as long as a 429 asks before polling again', async () => {
    vendor.rateLimitNext = true;
    vendor.records.push({ id: 'r6b', at: 65 });
    await runner.handle({ kind: 'poll', flowId: 'poller', nodeId: 'poll' }, 'tick-rl', new AbortController().signal);
    const s = await state.get('poller', 'poll');
    expect(s.nextPollAt).toBe(new Date(clock + 120_000).toISOString());
    clock += 119_000;
    expect(await runner.handle({ kind: 'poll', flowId: 'poller', nodeId: 'poll' }, 'tick-rl2', new AbortController().signal)).toEqual({ runs: 0 });
    clock += 2_000;
    expect(await runner.handle({ kind: 'poll', flowId: 'poller', nodeId: 'poll' }, 'tick-rl3', new AbortController().signal)).toEqual({ runs: 1 });
    expect((await state.get('poller', 'poll')).consecutiveErrors).toBe(0);
  });

  it('backfills from a chosen time: the cursor moves back and records already run are not run again', async () => {
    const before = await runCount();
    const s = await state.backfill('poller', 'poll', new Date(25_000));
    expect(s.cursor).toEqual({ after: 25 });
    vendor.records.push({ id: 'r6c', at: 66 });
    await runner.handle({ kind: 'poll', flowId: 'poller', nodeId: 'poll' }, 'tick-bf', new AbortController().signal);
    // r3…r6b come back and are duplicates; only r6c is new.
    expect(await runCount()).toBe(before + 1);
    await expect(state.backfill('poller', 'keep', new Date(0))).rejects.toMatchObject({ status: 409 });
    await expect(state.backfill('poller', 'poll', new Date(clock + 60_000))).rejects.toMatchObject({ status: 400 });
  });

  it('skips a poll while another poll of the same trigger is under way', async () => {
    await cache.setIfAbsent('poll-lock:poller:poll', 'other-tick', 60);
    vendor.records.push({ id: 'r6d', at: 67 });
    expect(await runner.handle({ kind: 'poll', flowId: 'poller', nodeId: 'poll' }, 'tick-overlap', new AbortController().signal)).toEqual({ runs: 0 });
    await cache.delete('poll-lock:poller:poll');
    expect(await runner.handle({ kind: 'poll', flowId: 'poller', nodeId: 'poll' }, 'tick-after', new AbortController().signal)).toEqual({ runs: 1 });
  });

  it('stores a record whose text Postgres cannot hold (a NUL from the vendor) cleaned, and moves on', async () => {
    // Before, the poll's transaction failed on every attempt and the cursor never moved past it.
    vendor.records.push({ id: 'r6e', at: 68, note: 'a\u0000b\uD800' });
    expect(await runner.handle({ kind: 'poll', flowId: 'poller', nodeId: 'poll' }, 'tick-nul', new AbortController().signal)).toEqual({ runs: 1 });
    const [run] = await sql<{ input: unknown }>(ds, `SELECT input FROM runs WHERE dedupe_key = 'r6e'`);
    expect(run!.input).toEqual([{ id: 'r6e', note: 'ab\uFFFD' }]);
    expect((await cursor())!.cursor).toEqual({ after: 68 });
  });

  it('does nothing for a flow that is no longer published', async () => {
    await flows.unpublish('poller');
    vendor.records.push({ id: 'r7', at: 70 });
    const res = await runner.handle({ kind: 'poll', flowId: 'poller', nodeId: 'poll' }, 'tick-5', new AbortController().signal);
    expect(res.runs).toBe(0);
  });
});
