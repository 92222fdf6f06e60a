import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BatchingCustomerStore, CustomerStore, openCustomerStoreDataSource } from '@tributary/customer-store';
import { runNode } from '@tributary/node-sdk';
import { createTestDatabase } from '../../../../test/support/services.js';
import { normalizeNode } from './normalize.node.js';
import { upsertNode } from './upsert.node.js';

// The nodes against the real store on Postgres, as a worker runs them.
describe('customer.normalize → customer.upsert on the real store', () => {
  let ds: Awaited<ReturnType<typeof openCustomerStoreDataSource>>;
  let store: CustomerStore;
  let batching: BatchingCustomerStore;

  beforeAll(async () => {
    ds = await openCustomerStoreDataSource({ url: await createTestDatabase('cc_store'), poolSize: 3 });
    store = new CustomerStore(ds);
    batching = new BatchingCustomerStore(store);
  });
  afterAll(async () => {
    await batching?.flush();
    await ds?.destroy();
  });

  const submit = async (items: Record<string, unknown>[], runId: string) => {
    const normalized = await runNode(normalizeNode, { config: {}, items, runId, nodeId: 'normalize' });
    const saved = await runNode(upsertNode, { config: { source: 'webform' }, items: normalized.out, store: batching, runId, nodeId: 'save' });
    return { out: saved.out ?? [], error: saved.error ?? [], unidentified: normalized.unidentified ?? [] };
  };

  it('files every spelling of one person under one customer, with provenance, once per delivery', async () => {
    const a = await submit([{ 姓名: '周杰', 手机: '139-2345-6780', 公司: '上海云帆科技有限公司', 来源: '官网' }], 'run-1');
    const b = await submit([{ name: '周杰', phone: '+86 139 2345 6780', email: 'Zhou.Jie@Corp.cn', city: '上海' }], 'run-2');
    const retried = await submit([{ name: '周杰', phone: '+86 139 2345 6780', email: 'Zhou.Jie@Corp.cn', city: '上海' }], 'run-2');
    const junk = await submit([{ name: '路人', phone: '13800000000' }], 'run-3');

    expect(a.out[0]).toMatchObject({ created: true });
    expect(b.out[0]).toMatchObject({ customerId: a.out[0]!.customerId, created: false });
    expect(retried.out[0]).toMatchObject({ customerId: a.out[0]!.customerId });
    expect(junk.out).toEqual([]);
    expect(junk.unidentified).toHaveLength(1);

    const view = (await store.getCustomer(a.out[0]!.customerId as string))!;
    expect(view.displayName).toBe('周杰');
    expect(view.identities.map((i) => `${i.type}:${i.value}`)).toEqual(['phone:+8613923456780', 'email:zhou.jie@corp.cn']);
    expect(view.attributes.city).toMatchObject({ value: '上海', source: 'webform', runId: 'run-2', nodeId: 'save', flowId: 'flow-test', flowVersion: 1 });
    expect(view.attributes['来源']).toMatchObject({ value: '官网', runId: 'run-1' });
    expect(view.account).toMatchObject({ name: '上海云帆科技有限公司' });
    expect(view.timeline.map((e) => e.runId)).toEqual(['run-2', 'run-1']);
    expect(await store.countCustomers()).toBe(1);
  });
});
