import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BatchingCustomerStore, CustomerStore, openCustomerStoreDataSource } from '@tributary/customer-store';
import { runNode } from '@tributary/node-sdk';
import { createTestDatabase } from '../../../../test/support/services.js';
import { rematchNode } from './rematch.node.js';

// customer.rematch against the real store, as a scheduled flow's worker runs it.
describe('customer.rematch on the real store', () => {
  let ds: Awaited<ReturnType<typeof openCustomerStoreDataSource>>;
  let store: CustomerStore;

  beforeAll(async () => {
    ds = await openCustomerStoreDataSource({ url: await createTestDatabase('cc_rematch'), poolSize: 3 });
    store = new CustomerStore(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  it('merges the halves of one person the deliveries left apart, says so on out and merged, and is refused by a store without rematch', async () => {
    const [a] = await store.upsert([
      { identities: [{ type: 'phone', value: '13924681601' }], attributes: { name: '上官婉清', company: '星河数据有限公司', city: '苏州' }, provenance: { source: 'pos', flowId: 'f', flowVersion: 1, runId: 'r1', nodeId: 'n' }, idempotencyKey: 'k1' },
    ]);
    const [b] = await store.upsert([
      { identities: [{ type: 'email', value: 'wanqing@xinghe.cn' }], attributes: { name: '上官婉清' }, provenance: { source: 'helpdesk', flowId: 'f', flowVersion: 1, runId: 'r2', nodeId: 'n' }, idempotencyKey: 'k2' },
    ]);
    await store.upsert([
      { identities: [{ type: 'email', value: 'wanqing@xinghe.cn' }], attributes: { company: '星河数据有限公司', city: '苏州' }, provenance: { source: 'helpdesk', flowId: 'f', flowVersion: 1, runId: 'r3', nodeId: 'n' }, idempotencyKey: 'k3' },
    ]);
    expect(b!.customerId).not.toBe(a!.customerId);

    const store_ = new BatchingCustomerStore(store);
    const dry = await runNode(rematchNode, { config: { dryRun: true }, items: [{ firedAt: '2026-03-01T02:00:00Z' }], store: store_ });
    expect(dry.out).toEqual([expect.objectContaining({ customers: 2, links: 1, merged: 1, queued: 0 })]);
    expect((await store.getCustomer(b!.customerId))!.mergedInto ?? null).toBeNull();

    const run = await runNode(rematchNode, { config: {}, items: [{ firedAt: '2026-03-01T02:00:00Z' }], store: store_, nodeId: 'rematch' });
    expect(run.out).toEqual([expect.objectContaining({ customers: 2, links: 1, merged: 1, queued: 0, skipped: 0, mergedTruncated: false })]);
    expect(run.merged).toEqual([{ mergeId: expect.any(String), targetId: a!.customerId, sourceIds: [b!.customerId] }]);
    expect(run.error).toEqual([]);
    const [audit] = await ds.query(`SELECT actor FROM audit_log WHERE action = 'customer.merged' AND entity_id = $1`, [a!.customerId]);
    expect(audit.actor).toBe('system:rematch:flow-test/rematch');

    // Scope changed: the watermark is the node's (flow/node); its first run compares all, the next only what changed since.
    const first = await runNode(rematchNode, { config: { scope: 'changed' }, items: [{ firedAt: '2026-03-02T02:00:00Z' }], store: store_, nodeId: 'nightly' });
    expect(first.out).toEqual([expect.objectContaining({ scope: 'all', customers: 1, links: 0 })]);
    // (Every run that is not a dry run moves its node's watermark, whatever its scope.)
    expect((await ds.query(`SELECT key FROM rematch_watermarks ORDER BY key`)).map((r: { key: string }) => r.key)).toEqual(['flow-test/nightly', 'flow-test/rematch']);
    const logged: [string, Record<string, unknown> | undefined][] = [];
    const log = { debug() {}, warn() {}, error() {}, info: (msg: string, fields?: Record<string, unknown>) => void logged.push([msg, fields]) };
    const next = await runNode(rematchNode, { config: { scope: 'changed' }, items: [{ firedAt: '2026-03-03T02:00:00Z' }], store: store_, nodeId: 'nightly', log });
    expect(next.out).toEqual([expect.objectContaining({ scope: 'changed', changedSince: expect.any(String), customers: 1, links: 0, merged: 0 })]);
    // A paged run says how far it is after each page (the merged customer changed, one page).
    expect(logged).toEqual([['rematch page applied', { customers: 1, links: 0, merged: 0, queued: 0, skipped: 0 }]]);

    const refused = await runNode(rematchNode, { config: {}, items: [{ firedAt: 'x' }], store: { upsert: async () => [] } });
    expect(refused.error).toEqual([expect.objectContaining({ error: expect.objectContaining({ code: 'store_unsupported' }) })]);
  });
});
