import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { createNodeRegistry, type Item } from '@tributary/engine';
import { defineNode } from '@tributary/node-sdk';
import { coreNodes } from '@tributary/connector-core';
import { createTestDatabase, testQueuePrefix, testRedisUrl } from '../../../../test/support/services.js';
import { createDataSource, runMigrations } from '../db/data-source.js';
import { sql } from '../db/sql.js';
import { FlowService } from '../flows/flow.service.js';
import { ConnectionService } from '../connections/connection.service.js';
import { RunEnqueuer } from '../queue/run-enqueuer.js';
import { createHttpClient } from '../http/http-client.js';
import { RunStore } from './run.store.js';
import { TriggerRunner } from './trigger-runner.js';

// A vendor API the poll trigger reads page by page; `failNext` simulates an outage.
const vendor = { records: [] as { id: string; at: number }[], failNext: false };

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
      // Overlapping window (>= instead of >): the engine's dedupe keeps this from making a second run.
      const page = vendor.records.filter((r) => r.at >= cursor.after).slice(0, ctx.config.pageSize);
      const last = page[page.length - 1];
      return {
        events: page.map((r) => ({ dedupeKey: r.id, items: [{ id: r.id } as Item] })),
        next: { after: last ? last.at : cursor.after },
        hasMore: page.length === ctx.config.pageSize && vendor.records.some((r) => r.at > (last?.at ?? 0)),
      };
    },
  },
});

describe('TriggerRunner polls (real Postgres and Redis)', () => {
  let ds: DataSource;
  let queue: Queue;
  let runner: TriggerRunner;
  let flows: FlowService;
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
      log,
    });
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
    await expect(runner.handle({ kind: 'poll', flowId: 'poller', nodeId: 'poll' }, 'tick-3', new AbortController().signal)).rejects.toThrow('503');
    const afterError = await cursor();
    expect(afterError!.cursor).toEqual({ after: 50 });
    expect(afterError!.last_error).toMatchObject({ message: 'vendor answered 503' });

    const res = await runner.handle({ kind: 'poll', flowId: 'poller', nodeId: 'poll' }, 'tick-4', new AbortController().signal);
    expect(res.runs).toBe(1);
    const newest = await sql<{ flow_version: number }>(ds, `SELECT flow_version FROM runs WHERE dedupe_key = 'r6'`);
    expect(newest[0]!.flow_version).toBe(2);
    expect((await cursor())!.cursor).toEqual({ after: 60 });
    expect((await cursor())!.last_error).toBeNull();
  });

  it('does nothing for a flow that is no longer published', async () => {
    await flows.unpublish('poller');
    vendor.records.push({ id: 'r7', at: 70 });
    const res = await runner.handle({ kind: 'poll', flowId: 'poller', nodeId: 'poll' }, 'tick-5', new AbortController().signal);
    expect(res.runs).toBe(0);
  });
});
