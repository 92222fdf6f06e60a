// A worker killed with SIGKILL in the middle of runs: every accepted delivery still
// completes exactly once (runs resume from their checkpoints on another worker).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSystem, type System } from './support/system.js';
import { startStub, type StubServer } from './support/http-stub.js';

describe('worker crash recovery', () => {
  let sys: System;
  let stub: StubServer;

  beforeAll(async () => {
    stub = await startStub(async () => ({ status: 200, delayMs: 100 }));
    sys = await startSystem({
      label: 'crash',
      workers: 2,
      // Short locks so the dead worker's jobs are taken over within seconds.
      env: { TRIBUTARY_JOB_LOCK_MS: '2000', TRIBUTARY_RECOVERY_STALE_MS: '4000', TRIBUTARY_SWEEP_INTERVAL_MS: '1000', WORKER_CONCURRENCY: '8' },
    });
  });
  afterAll(async () => {
    await sys?.stop();
    await stub?.close();
  });

  it('completes every accepted delivery exactly once after SIGKILL', async () => {
    await sys.createFlow({
      schemaVersion: 1,
      id: 'crashy',
      name: 'crashy',
      nodes: [
        { id: 'hook', type: 'core.webhook', version: 1, config: { auth: 'none' } },
        { id: 'call', type: 'core.http', version: 1, config: { method: 'POST', url: stub.url, body: 'item', allowPrivateNetwork: true } },
        { id: 'shape', type: 'core.transform', version: 1, config: { expression: '{ "phone": $item.phone, "name": $item.name }' } },
        { id: 'save', type: 'customer.upsert', version: 1, config: { source: 'crash-test' } },
      ],
      edges: [
        { from: 'hook', to: 'call' },
        { from: 'call', to: 'shape' },
        { from: 'shape', to: 'save' },
      ],
    });
    // shape reads the original item: core.http keeps the item and adds the response.
    const N = 120;
    const acks = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        sys.request('POST', '/hooks/crashy/hook', { phone: `1395270${String(i).padStart(4, '0')}`, name: `p${i}` }, { 'idempotency-key': `d-${i}` }),
      ),
    );
    expect(acks.every((a) => a.status === 202)).toBe(true);

    // Kill a worker while runs are in flight.
    await sys.waitFor(async () => (await sys.runCounts()).succeeded >= 10, 30_000, 'some runs to finish');
    await sys.stopWorker(0, 'SIGKILL');
    const mid = await sys.runCounts();
    expect(mid.succeeded ?? 0).toBeLessThan(N);
    await sys.startWorker();
    await sys.drain(90_000);

    expect(await sys.runCounts()).toEqual({ succeeded: N });
    const customers = await sys.db.query(`SELECT count(*)::int AS n FROM customers`);
    expect(customers.rows[0].n).toBe(N);
    // One timeline event per run: a step repeated after the crash wrote nothing twice.
    const events = await sys.db.query(`SELECT count(*)::int AS n, count(DISTINCT run_id)::int AS runs FROM customer_events`);
    expect(events.rows[0]).toEqual({ n: N, runs: N });
    // Steps that had finished before the crash were not run again.
    const repeated = await sys.db.query(`SELECT node_id, max(attempts)::int AS a FROM run_steps GROUP BY node_id ORDER BY node_id`);
    const attempts = Object.fromEntries(repeated.rows.map((r: { node_id: string; a: number }) => [r.node_id, r.a]));
    expect(attempts.hook).toBe(1);
    expect(stub.hits).toBeGreaterThanOrEqual(N);
  });
});
