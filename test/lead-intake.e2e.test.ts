// The spine end to end: real API and worker processes, real Postgres and Redis.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../libs/dev-services/src/index.js';
import { REPO_ROOT, startSystem, type System } from './support/system.js';

const leadIntake = JSON.parse(readFileSync(join(REPO_ROOT, 'flows/lead-intake.flow.json'), 'utf8'));

describe('lead intake: webhook → transform → validate → customer.upsert', () => {
  let sys: System;
  let workerMetricsPort: number;

  beforeAll(async () => {
    workerMetricsPort = await freePort();
    sys = await startSystem({ label: 'lead', flowsDir: join(REPO_ROOT, 'flows'), env: { TRIBUTARY_WORKER_METRICS_PORT: String(workerMetricsPort) } });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('imported the example flows as drafts on first start', async () => {
    const res = await sys.request('GET', '/api/flows');
    expect(res.status).toBe(200);
    const lead = res.body.items.find((f: { id: string }) => f.id === 'lead-intake');
    expect(lead).toMatchObject({ id: 'lead-intake', version: 1, publishedVersion: null });
  });

  it('refuses webhooks for a flow that is not published', async () => {
    const res = await sys.request('POST', '/hooks/lead-intake/webhook', { phone: '13800138001', name: 'x' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('stores a customer per person from webhook deliveries, with provenance', async () => {
    const pub = await sys.request('POST', '/api/flows/lead-intake/publish');
    expect(pub.status).toBe(200);
    expect(pub.body.webhooks[0].url).toMatch(/\/hooks\/lead-intake\/webhook$/);

    const deliveries = [
      { phone: '+86 139-2468-1357', email: 'Zhang.San@Example.COM', name: '张三', campaign: 'spring' },
      { phone: '0086 13924681357', name: '张三', campaign: 'summer' }, // same person, other format
      { phone: '13700001111', name: '李四' },
      { email: 'wangwu@corp.cn', name: '王五' },
    ];
    // The first one alone: "latest wins" needs an order, and concurrent deliveries have none.
    const acks = [await sys.request('POST', '/hooks/lead-intake/webhook', deliveries[0])];
    await sys.drain();
    acks.push(...(await Promise.all(deliveries.slice(1).map((d) => sys.request('POST', '/hooks/lead-intake/webhook', d)))));
    for (const a of acks) {
      expect(a.status).toBe(202);
      expect(a.body.runIds).toHaveLength(1);
    }
    await sys.drain();
    expect(await sys.runCounts()).toEqual({ succeeded: 4 });

    const zhang = await sys.request('GET', `/api/customers?phone=${encodeURIComponent('139 2468 1357')}`);
    expect(zhang.status).toBe(200);
    expect(zhang.body.items).toHaveLength(1);
    const detail = await sys.request('GET', `/api/customers/${zhang.body.items[0].id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.identities).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'phone', value: '+8613924681357' })]),
    );
    expect(detail.body.attributes.campaign.value).toBe('summer');
    expect(detail.body.attributes.campaign.source).toBe('web-form');
    expect(detail.body.attributes.campaign.runId).toBe(acks[1]!.body.runIds[0]);
    expect(detail.body.timeline.length).toBeGreaterThanOrEqual(2);

    const all = await sys.request('GET', '/api/customers?limit=50');
    expect(all.body.items).toHaveLength(3);
  });

  it('records every step of a run with its input, output and timings', async () => {
    const ack = await sys.request('POST', '/hooks/lead-intake/webhook', { phone: '13655556666', name: '赵六' });
    await sys.drain();
    const run = await sys.request('GET', `/api/runs/${ack.body.runIds[0]}`);
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ flowId: 'lead-intake', flowVersion: 1, status: 'succeeded' });
    expect(run.body.steps.map((s: { nodeId: string }) => s.nodeId)).toEqual(['webhook', 'map', 'check', 'upsert']);
    for (const s of run.body.steps) {
      expect(s.status).toBe('succeeded');
      expect(s.attempts).toBe(1);
      expect(Date.parse(s.startedAt)).toBeLessThanOrEqual(Date.parse(s.finishedAt));
    }
    expect(run.body.steps[1].output.out[0]).toMatchObject({ phone: '13655556666', name: '赵六', source: 'web-form' });
    expect(run.body.steps[3].output.out[0].customerId).toEqual(expect.any(String));
  });

  it('sends invalid leads to the validate error port with reasons, without failing the run', async () => {
    const ack = await sys.request('POST', '/hooks/lead-intake/webhook', { name: 'no contact details' });
    expect(ack.status).toBe(202);
    await sys.drain();
    const run = await sys.request('GET', `/api/runs/${ack.body.runIds[0]}`);
    expect(run.body.status).toBe('succeeded');
    const check = run.body.steps.find((s: { nodeId: string }) => s.nodeId === 'check');
    expect(check.output.error).toHaveLength(1);
    expect(JSON.stringify(check.output.error[0].error)).toMatch(/phone|email|required/);
    const upsert = run.body.steps.find((s: { nodeId: string }) => s.nodeId === 'upsert');
    expect(upsert.status).toBe('skipped');
  });

  it('makes one run of duplicate deliveries (same idempotency key), even when they arrive together', async () => {
    const body = { phone: '13500001234', name: '重复' };
    const acks = await Promise.all(
      Array.from({ length: 10 }, () => sys.request('POST', '/hooks/lead-intake/webhook', body, { 'idempotency-key': 'evt-42' })),
    );
    for (const a of acks) expect(a.status).toBe(202);
    const runIds = new Set(acks.map((a) => a.body.runIds[0]));
    expect(runIds.size).toBe(1);
    expect(acks.filter((a) => a.body.duplicates === 1)).toHaveLength(9);
    await sys.drain();
    const r = await sys.db.query(`SELECT count(*)::int AS n FROM runs WHERE dedupe_key = 'evt-42'`);
    expect(r.rows[0].n).toBe(1);
  });

  it('answers bad requests with the error shape: 400 malformed, 413 too large, 404 unknown node, 401 without token', async () => {
    await sys.drain();
    const before = await sys.runCounts();
    const malformed = await sys.request('POST', '/hooks/lead-intake/webhook', '{"phone": ', { 'content-type': 'application/json' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ code: 'malformed_body' });
    expect(malformed.body.error.message).toMatch(/JSON/i);

    const big = await sys.request('POST', '/hooks/lead-intake/webhook', JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }), { 'content-type': 'application/json' });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');

    const unknownNode = await sys.request('POST', '/hooks/lead-intake/nope', { a: 1 });
    expect(unknownNode.status).toBe(404);
    const unknownFlow = await sys.request('POST', '/hooks/nope/webhook', { a: 1 });
    expect(unknownFlow.status).toBe(404);

    const noToken = await fetch(`${sys.url}/api/flows`);
    expect(noToken.status).toBe(401);
    expect((await noToken.json()).error.code).toBe('unauthorized');

    const after = await sys.runCounts();
    expect(after).toEqual(before); // rejected requests created no runs
  });

  it('serves the OpenAPI document, health and Prometheus metrics', async () => {
    const docs = await fetch(`${sys.url}/api/docs`);
    expect(docs.status).toBe(200);
    const doc = await docs.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/flows', '/api/runs/{id}', '/api/flows/{id}/run']));

    const health = await sys.request('GET', '/api/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');

    const metrics = await fetch(`${sys.url}/metrics`);
    const text = await metrics.text();
    expect(text).toMatch(/tributary_webhook_deliveries_total\{outcome="202"\} \d+/);
    expect(text).toMatch(/tributary_queue_jobs/);

    // The worker's own metrics: step times by node type, and how its run jobs ended.
    const worker = await (await fetch(`http://127.0.0.1:${workerMetricsPort}/metrics`)).text();
    expect(worker).toMatch(/tributary_step_duration_seconds_count\{node_type="customer.upsert",status="succeeded"\} [1-9]/);
    expect(worker).toMatch(/tributary_step_duration_seconds_count\{node_type="core.transform",status="succeeded"\} [1-9]/);
    expect(worker).toMatch(/tributary_run_executions_total\{outcome="succeeded"\} [1-9]/);
    expect(worker).toMatch(/tributary_worker_process_resident_memory_bytes/);
    expect((await fetch(`http://127.0.0.1:${workerMetricsPort}/other`)).status).toBe(404);
  });
});
