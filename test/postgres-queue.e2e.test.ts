// The same spine with no Redis at all: BullMQ's Postgres backend.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, startSystem, type System } from './support/system.js';

describe('queue on Postgres (no Redis)', () => {
  let sys: System;

  beforeAll(async () => {
    sys = await startSystem({ label: 'pgqueue', queue: 'postgres' });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('runs lead-intake end to end and dedupes deliveries', async () => {
    const doc = JSON.parse(readFileSync(join(REPO_ROOT, 'flows/lead-intake.flow.json'), 'utf8'));
    await sys.createFlow(doc);
    const acks = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        sys.request('POST', '/hooks/lead-intake/webhook', { phone: `1375270${String(i % 10).padStart(4, '0')}`, name: `n${i}` }, { 'idempotency-key': `k${i % 20}` }),
      ),
    );
    expect(acks.every((a) => a.status === 202)).toBe(true);
    await sys.drain();
    expect(await sys.runCounts()).toEqual({ succeeded: 20 });
    const c = await sys.db.query(`SELECT count(*)::int AS n FROM customers`);
    expect(c.rows[0].n).toBe(10);
    const health = await sys.request('GET', '/api/health');
    expect(health.body.checks.queue.detail.backend).toBe('postgres');
    const tables = await sys.db.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema LIKE '%_queue'`);
    expect(tables.rows[0].n).toBeGreaterThan(0);
  });
});
