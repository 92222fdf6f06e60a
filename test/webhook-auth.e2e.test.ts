// Signed webhooks with secrets from an encrypted connection; health when no worker runs.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { startSystem, type System } from './support/system.js';

describe('webhook signatures and connections', () => {
  let sys: System;

  beforeAll(async () => {
    // No worker: deliveries are accepted and wait, which is what the health check must notice.
    sys = await startSystem({ label: 'auth', workers: 0, env: { TRIBUTARY_HEALTH_STALL_MS: '1000' } });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('stores connection secrets encrypted and never returns them', async () => {
    const created = await sys.request('POST', '/api/connections', { type: 'core.webhook', name: 'form tool', secrets: { secret: 's3cret-value-123' } });
    expect(created.status).toBe(201);
    const list = await sys.request('GET', '/api/connections');
    expect(JSON.stringify(list.body)).not.toContain('s3cret-value-123');
    expect(list.body.items[0]).toMatchObject({ id: created.body.id, type: 'core.webhook', secretKeys: ['secret'] });
    const row = await sys.db.query(`SELECT secrets FROM connections WHERE id = $1`, [created.body.id]);
    expect(row.rows[0].secrets).toMatch(/^v1:/);
    expect(row.rows[0].secrets).not.toContain('s3cret');
    const check = await sys.request('POST', `/api/connections/${created.body.id}/check`);
    expect(check.body.ok).toBe(true);
    const bad = await sys.request('POST', '/api/connections', { type: 'core.webhook', name: 'x', secrets: { secret: 42 } });
    expect(bad.status).toBe(400);
  });

  it('accepts a correctly signed delivery and rejects bad or missing signatures with 401, storing nothing', async () => {
    const conn = await sys.request('POST', '/api/connections', { type: 'core.webhook', name: 'signed', secrets: { secret: 'hook-secret-xyz' } });
    await sys.createFlow({
      schemaVersion: 1,
      id: 'signed',
      name: 'signed',
      nodes: [
        { id: 'hook', type: 'core.webhook', version: 1, config: { auth: 'hmac', connection: conn.body.id } },
        { id: 'keep', type: 'core.transform', version: 1, config: { expression: '$' } },
      ],
      edges: [{ from: 'hook', to: 'keep' }],
    });
    const body = JSON.stringify({ phone: '13911112222', note: '签名' });
    const sig = 'sha256=' + createHmac('sha256', 'hook-secret-xyz').update(body).digest('hex');

    const ok = await sys.request('POST', '/hooks/signed/hook', body, { 'content-type': 'application/json', 'x-signature-256': sig });
    expect(ok.status).toBe(202);

    const tampered = await sys.request('POST', '/hooks/signed/hook', body.replace('签名', '改了'), { 'content-type': 'application/json', 'x-signature-256': sig });
    expect(tampered.status).toBe(401);
    expect(tampered.body.error.code).toBe('unauthorized');
    expect(tampered.body.error.message).toMatch(/signature/);

    const missing = await sys.request('POST', '/hooks/signed/hook', body, { 'content-type': 'application/json' });
    expect(missing.status).toBe(401);

    const runs = await sys.db.query(`SELECT count(*)::int AS n FROM runs WHERE flow_id = 'signed'`);
    expect(runs.rows[0].n).toBe(1);
  });

  it('reports unhealthy when accepted runs wait and nothing finishes (no worker)', async () => {
    await sys.waitFor(async () => (await sys.request('GET', '/api/health')).status === 503, 15_000, 'health to turn unhealthy');
    const health = await sys.request('GET', '/api/health');
    expect(health.body.status).toBe('unhealthy');
    expect(health.body.checks.progress.detail.reason).toMatch(/workers/);
    // A worker comes: the backlog drains and health recovers.
    await sys.startWorker();
    await sys.drain();
    await sys.waitFor(async () => (await sys.request('GET', '/api/health')).status === 200, 15_000, 'health to recover');
  });
});
