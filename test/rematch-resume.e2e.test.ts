// A worker killed with SIGKILL in the middle of a paged customer.rematch: the run's retry on
// another worker goes on after the last page the dead one applied and wrote down, instead of
// resolving the whole store again, and the store ends as an unbroken run leaves it (every pair
// merged once, no place left behind, the watermark moved).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { CustomerStore, openCustomerStoreDataSource, type StoreUpsertInput } from '../libs/customer-store/src/index.js';
import { REPO_ROOT, startSystem, type System } from './support/system.js';

const PAIRS = 1_000;
const SURNAMES = ['欧阳', '司马', '上官', '诸葛', '慕容'];
const GIVEN = '明轩思远雨晴婉清嘉怡子墨书瑶一诺梓涵浩然若溪'.split('');
const BRANDS = '华信达通远腾云帆星辰恒泰瑞博创智新盛宏鼎安航卓越联众'.split('');
const CITIES = ['成都', '杭州', '南京', '武汉', '西安', '苏州', '长沙', '青岛'];

describe('customer.rematch after a worker dies in it', () => {
  let sys: System;
  let ds: DataSource;

  beforeAll(async () => {
    sys = await startSystem({
      label: 'rematchresume',
      // Short job locks: the dead worker's run is taken over within seconds.
      env: { TRIBUTARY_JOB_LOCK_MS: '2000', TRIBUTARY_RECOVERY_STALE_MS: '4000', TRIBUTARY_SWEEP_INTERVAL_MS: '1000' },
    });
    await sys.createFlow(JSON.parse(readFileSync(join(REPO_ROOT, 'flows', 'nightly-rematch.flow.json'), 'utf8')));
    ds = await openCustomerStoreDataSource({ url: sys.dbUrl, poolSize: 4 });
  }, 60_000);
  afterAll(async () => {
    await ds?.destroy();
    await sys?.stop();
  });

  const runRematch = async (): Promise<string> => {
    const started = await sys.request('POST', '/api/flows/nightly-rematch/run', { items: [{}] });
    expect(started.status).toBe(202);
    return started.body.runId;
  };
  const rematchOutput = async (runId: string) => {
    const run = (await sys.request('GET', `/api/runs/${runId}`)).body;
    expect(run.status).toBe('succeeded');
    return run.steps.find((s: { nodeId: string }) => s.nodeId === 'rematch').output.out[0];
  };

  it('goes on from the last page written down and merges every pair once', async () => {
    // The first run of the node: an empty store, compared whole; it sets the watermark.
    await rematchOutput(await runRematch().then(async (id) => (await sys.drain(), id)));

    // PAIRS people, each two customers the deliveries left apart: a phone with the profile, then
    // an e-mail whose company and city came with a later record. All changed since the watermark.
    const store = new CustomerStore(ds);
    const people: { a: string; b: string }[] = [];
    let seq = 0;
    const input = (identity: { type: string; value: string }, attributes: Record<string, string>): StoreUpsertInput => ({
      identities: [identity],
      attributes,
      provenance: { source: 'seed', flowId: 'seed', flowVersion: 1, runId: `seed-${++seq}`, nodeId: 'seed' },
      idempotencyKey: `seed-${seq}`,
    });
    for (let start = 0; start < PAIRS; start += 250) {
      const batch = Array.from({ length: Math.min(250, PAIRS - start) }, (_, k) => {
        const i = start + k;
        const name = SURNAMES[i % SURNAMES.length]! + GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]! + GIVEN[Math.floor(i / (SURNAMES.length * GIVEN.length)) % GIVEN.length]!;
        const company = `${BRANDS[i % BRANDS.length]}${BRANDS[Math.floor(i / BRANDS.length) % BRANDS.length]}${BRANDS[Math.floor(i / BRANDS.length ** 2) % BRANDS.length]}科技有限公司`;
        return { i, name, company, city: CITIES[i % CITIES.length]! };
      });
      const phones = await store.upsert(batch.map((p) => input({ type: 'phone', value: `1392470${String(p.i).padStart(4, '0')}` }, { name: p.name, company: p.company, city: p.city })));
      const emails = await store.upsert(batch.map((p) => input({ type: 'email', value: `p${p.i}@resume.example.cn` }, { name: p.name })));
      await store.upsert(batch.map((p) => input({ type: 'email', value: `p${p.i}@resume.example.cn` }, { company: p.company, city: p.city })));
      batch.forEach((_, k) => people.push({ a: phones[k]!.customerId, b: emails[k]!.customerId }));
    }
    expect(new Set(people.flatMap((p) => [p.a, p.b])).size).toBe(2 * PAIRS);

    // The nightly run, killed once it has applied and written down at least one page of 500.
    const runId = await runRematch();
    let place: { customers: number; merged: number } | undefined;
    await sys.waitFor(async () => {
      const r = await sys.db.query(`SELECT counts FROM rematch_progress WHERE key = 'nightly-rematch/rematch'`);
      place = r.rows[0]?.counts;
      return place !== undefined;
    }, 60_000, 'the rematch to write down its first page');
    await sys.stopWorker(0, 'SIGKILL');
    const [atDeath] = (await sys.db.query(`SELECT counts FROM rematch_progress WHERE key = 'nightly-rematch/rematch'`)).rows;
    expect(atDeath.counts.customers).toBeGreaterThanOrEqual(500);
    expect(atDeath.counts.customers).toBeLessThan(2 * PAIRS);

    await sys.startWorker();
    await sys.drain(120_000);
    const out = await rematchOutput(runId);
    // The retry continued where the dead worker's last page ended.
    expect(out).toMatchObject({ scope: 'changed', resumed: { startedAt: expect.any(String), customers: atDeath.counts.customers }, merged: PAIRS, links: PAIRS, queued: 0 });
    expect(out.customers).toBeGreaterThanOrEqual(2 * PAIRS);

    // Every pair merged, once: the older customer survives.
    const merged = await sys.db.query(`SELECT id, merged_into FROM customers WHERE merged_into IS NOT NULL`);
    expect(new Map(merged.rows.map((r: { id: string; merged_into: string }) => [r.id, r.merged_into]))).toEqual(new Map(people.map((p) => [p.b, p.a])));
    const merges = await sys.db.query(`SELECT count(*)::int AS n FROM customer_merges`);
    expect(merges.rows[0].n).toBe(PAIRS);
    expect((await sys.db.query(`SELECT key FROM rematch_progress`)).rows).toEqual([]);
    const mark = await sys.db.query(`SELECT changed_since FROM rematch_watermarks WHERE key = 'nightly-rematch/rematch'`);
    expect(new Date(mark.rows[0].changed_since).getTime()).toBeGreaterThan(Date.parse(out.resumed.startedAt));
  }, 240_000);
});
