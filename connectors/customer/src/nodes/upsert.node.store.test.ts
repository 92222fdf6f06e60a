import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BatchingCustomerStore, CustomerStore, openCustomerStoreDataSource } from '@tributary/customer-store';
import { runNode } from '@tributary/node-sdk';
import { createTestDatabase } from '../../../../test/support/services.js';
import { normalizeNode } from './normalize.node.js';
import { resolveNode } from './resolve.node.js';
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

  it('merges the two customers of one person when an item carries both their identifiers, and says so', async () => {
    const a = await submit([{ 姓名: '司马相如', 手机: '139-2468-0301' }], 'run-m1');
    const b = await submit([{ 姓名: '司马相如', email: 'xiangru@corp-mail.cn' }], 'run-m2');
    expect(b.out[0]!.customerId).not.toBe(a.out[0]!.customerId);
    const both = await submit([{ 姓名: '司马相如', 手机: '13924680301', email: 'XiangRu@corp-mail.cn' }], 'run-m3');
    expect(both.out[0]).toMatchObject({ customerId: a.out[0]!.customerId, created: false, mergedCustomers: [{ customerId: b.out[0]!.customerId }] });
    const view = (await store.getCustomer(a.out[0]!.customerId as string))!;
    expect(view.identities.map((i) => i.type).sort()).toEqual(['email', 'phone']);
    expect(view.merges[0]).toMatchObject({ actor: 'system:resolution', sourceIds: [b.out[0]!.customerId] });
  });

  it('hands the store a masked phone beside a usable identity, so the same name and masked number find the customer', async () => {
    const a = await submit([{ 姓名: '诸葛青云', 手机: '139 2468 0401', 城市: '杭州' }], 'run-p1');
    // An e-commerce order: the shop masks the phone, the buyer's openid is usable.
    const order = await submit([{ 姓名: '诸葛青云', 手机: '139****0401', wechat_openid: 'oShop-qy-1', 城市: '杭州市' }], 'run-p2');
    expect(order.out[0]).toMatchObject({ customerId: a.out[0]!.customerId, created: false, ignoredIdentities: [expect.objectContaining({ type: 'phone', reason: 'masked' })] });
    expect((order.out[0]!.resolution as { reasons: { comparator?: string }[] }).reasons).toEqual(expect.arrayContaining([expect.objectContaining({ comparator: 'phone_near' })]));
    // Another name with the same masked number is someone else.
    const other = await submit([{ 姓名: '诸葛亮', 手机: '139****0401', wechat_openid: 'oShop-ql-2', 城市: '杭州' }], 'run-p3');
    expect(other.out[0]!.customerId).not.toBe(a.out[0]!.customerId);
  });

  it('saves an order whose only phone is masked when the name and city recognise the person, and refuses it without them', async () => {
    const a = await submit([{ 姓名: '段誉', 手机: '139 2468 0601', 城市: '大理' }], 'run-q1');
    const order = await submit([{ 姓名: '段誉', 手机: '139****0601', 城市: '大理' }], 'run-q2');
    expect(order.error).toEqual([]);
    expect(order.out[0]).toMatchObject({ customerId: a.out[0]!.customerId, created: false });
    expect(order.out[0]!.resolution).toMatchObject({ reasons: expect.arrayContaining([expect.objectContaining({ rule: 'profile' })]) });
    // Without a name nothing recognises the person: customer.normalize keeps it apart, and
    // customer.upsert on its own sends it to its error port.
    const nameless = await submit([{ 手机: '139****0601', 城市: '大理' }], 'run-q3');
    expect(nameless.out).toEqual([]);
    expect(nameless.unidentified).toHaveLength(1);
    const direct = await runNode(upsertNode, { config: { source: 'webform' }, items: [{ 手机: '139****0601', 城市: '大理' }], store: batching, runId: 'run-q4', nodeId: 'save' });
    expect(direct.out ?? []).toEqual([]);
    expect(direct.error?.[0]).toMatchObject({ error: { code: 'no_usable_identity' } });
  });

  it('customer.resolve sorts items into matched, new and review without writing, as upsert then decides', async () => {
    await submit([{ 姓名: '韩梅梅', 手机: '139-5555-0001', 公司: '南京星河贸易有限公司', 城市: '南京' }], 'run-r1');
    const before = await store.countCustomers();
    const items = [
      { name: '韩梅梅', phone: '+86 139 5555 0001' },
      { 姓名: '韩梅梅', email: 'hmm@xinghe.cn', 公司: '南京星河贸易', 城市: '南京市' },
      { 姓名: '韩梅梅', email: 'meimei@qq.com', 城市: '南京' },
      { name: '李雷', email: 'lilei@qq.com' },
      { name: 'Walk-in', phone: '13800000000' },
    ];
    const r = await runNode(resolveNode, { config: {}, items, store: batching, runId: 'run-r2', nodeId: 'resolve' });
    expect(r.matched?.map((i) => (i.resolution as { reasons: { rule: string }[] }).reasons[0]!.rule)).toEqual(['identifier:phone', 'fuzzy']);
    expect(r.matched?.every((i) => (i.resolution as { customerId: string }).customerId === r.matched![0]!.resolution!['customerId' as never])).toBe(true);
    expect(r.review).toHaveLength(1);
    expect(r.review![0]!.resolution).toMatchObject({ kind: 'review', customerId: r.matched![0]!.resolution!['customerId' as never] });
    expect(r.new?.map((i) => (i.resolution as { reasons: { rule: string }[] }).reasons[0]!.rule)).toEqual(['new', 'no_usable_identity']);
    expect(await store.countCustomers()).toBe(before);
  });

  it('customer.upsert applies its survivorship config and reports the resolution', async () => {
    const save = (items: Record<string, unknown>[], runId: string, source: string) =>
      runNode(upsertNode, {
        config: { source, survivorship: { city: { policy: 'source_priority', sources: ['crm', 'webform'] } } },
        items,
        store: batching,
        runId,
        nodeId: 'save',
      });
    const a = await save([{ name: '赵敏', phone: '13966660001', city: '杭州' }], 'run-s1', 'crm');
    const b = await save([{ name: '赵敏', phone: '13966660001', city: '宁波' }], 'run-s2', 'webform');
    expect(b.out![0]).toMatchObject({ customerId: a.out![0]!.customerId, resolution: { kind: 'matched' } });
    const view = (await store.getCustomer(a.out![0]!.customerId as string))!;
    expect(view.attributes.city).toMatchObject({ value: '杭州', source: 'crm' });
  });
});
