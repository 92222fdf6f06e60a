// The durable inbox: deliveries acknowledged while Redis is down are not lost; they
// are enqueued by the recovery sweep once Redis is back.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRedisServer, freePort, startRedisServer, type RedisServerHandle } from '../libs/dev-services/src/index.js';
import { startSystem, type System } from './support/system.js';

describe('queue outage', () => {
  let sys: System;
  let redis: RedisServerHandle;
  let port: number;
  const dir = mkdtempSync(join(tmpdir(), 'tributary-redis-outage-'));

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedisServer({ bin: findRedisServer()!, port, dir, persistent: false });
    sys = await startSystem({
      label: 'outage',
      redisUrl: redis.url,
      env: { TRIBUTARY_RECOVERY_STALE_MS: '1000', TRIBUTARY_SWEEP_INTERVAL_MS: '500' },
    });
  });
  afterAll(async () => {
    await sys?.stop();
    await redis?.stop();
  });

  it('acknowledges deliveries while Redis is down and runs them when it returns', async () => {
    await sys.createFlow({
      schemaVersion: 1,
      id: 'outage',
      name: 'outage',
      nodes: [
        { id: 'hook', type: 'core.webhook', version: 1, config: { auth: 'none' } },
        { id: 'save', type: 'customer.upsert', version: 1, config: { source: 'outage-test' } },
      ],
      edges: [{ from: 'hook', to: 'save' }],
    });
    const first = await sys.request('POST', '/hooks/outage/hook', { phone: '13811112222' });
    expect(first.status).toBe(202);
    await sys.drain();

    await redis.stop();
    const acks = await Promise.all(Array.from({ length: 20 }, (_, i) => sys.request('POST', '/hooks/outage/hook', { phone: `1381111${String(i).padStart(4, '0')}` })));
    expect(acks.map((a) => a.status)).toEqual(Array(20).fill(202));
    expect((await sys.runCounts()).queued).toBe(20);

    redis = await startRedisServer({ bin: findRedisServer()!, port, dir, persistent: false });
    await sys.drain(60_000);
    expect(await sys.runCounts()).toEqual({ succeeded: 21 });
  });
});
