import { describe, expect, it } from '@jest/globals';
import { InMemoryCustomerStore, runNode, type CustomerStorePort, type CustomerUpsertInput, type ErrorItem } from '@tributary/node-sdk';
import { upsertNode } from './upsert.node.js';

/** Records what the node hands to the store. */
class RecordingStore implements CustomerStorePort {
  readonly calls: CustomerUpsertInput[][] = [];
  private readonly inner = new InMemoryCustomerStore();
  upsert(inputs: CustomerUpsertInput[]) {
    this.calls.push(inputs);
    return this.inner.upsert(inputs);
  }
}

const now = new Date('2026-03-01T08:00:00.000Z');

describe('customer.upsert', () => {
  it('writes all usable items in one call, with provenance and one idempotency key per item', async () => {
    const store = new RecordingStore();
    const { out, error } = await runNode(upsertNode, {
      config: { source: 'webform' },
      items: [
        { 姓名: '张三', 手机: '139 1234 5670', email: 'ZhangSan@QQ.com', 公司: '云帆科技', budget: 5000, vip: true, nested: { a: 1 } },
        { name: 'Walk-in', phone: '13800000000' },
        { name: '李四', mobile: '+86 139 1234 5671' },
      ],
      store,
      runId: 'run-7',
      nodeId: 'save',
      now,
    });
    expect(store.calls).toHaveLength(1);
    const [first, second] = store.calls[0]!;
    expect(first).toEqual({
      identities: [
        { type: 'phone', value: '+8613912345670' },
        { type: 'email', value: 'zhangsan@qq.com' },
      ],
      attributes: { name: '张三', company: '云帆科技', budget: 5000, vip: true },
      event: {
        type: 'form_submitted',
        payload: { 姓名: '张三', 手机: '139 1234 5670', email: 'ZhangSan@QQ.com', 公司: '云帆科技', budget: 5000, vip: true, nested: { a: 1 } },
      },
      provenance: { source: 'webform', flowId: 'flow-test', flowVersion: 1, runId: 'run-7', nodeId: 'save' },
      idempotencyKey: 'run-7:save:0',
    });
    expect(second!.idempotencyKey).toBe('run-7:save:2');
    expect(out.map((i) => [i.name ?? i['姓名'], i.customerId, i.created])).toEqual([
      ['张三', 'cus_1', true],
      ['李四', 'cus_2', true],
    ]);
    expect(error).toEqual([
      {
        item: { name: 'Walk-in', phone: '13800000000' },
        error: {
          code: 'no_usable_identity',
          message: 'no usable identity: phone "13800000000" (field phone) is junk',
          details: { rejected: [{ type: 'phone', field: 'phone', value: '13800000000', reason: 'junk' }] },
        },
      },
    ]);
  });

  it('uses identities from customer.normalize and the configured fields', async () => {
    const store = new RecordingStore();
    await runNode(upsertNode, {
      config: { identityFields: { phone: ['contact'], wecom_external_userid: ['wecom'] }, attributeFields: ['姓名', 'stage'], source: 'wecom' },
      items: [
        {
          contact: '13912345670',
          wecom: 'wmExt123',
          姓名: '王五',
          stage: 'trial',
          ignored: 'x',
          identities: [{ type: 'email', value: 'wangwu@corp.cn' }],
          normalized: { name: '王五' },
        },
      ],
      store,
    });
    const [input] = store.calls[0]!;
    expect(input!.identities).toEqual([
      { type: 'phone', value: '+8613912345670' },
      { type: 'email', value: 'wangwu@corp.cn' },
      { type: 'wecom_external_userid', value: 'wmExt123' },
    ]);
    expect(input!.attributes).toEqual({ name: '王五', stage: 'trial' });
  });

  it('takes the event time from a field and refuses items whose time does not parse', async () => {
    const store = new RecordingStore();
    const { out, error } = await runNode(upsertNode, {
      config: { event: { type: 'order_paid', occurredAtField: 'paidAt', includeItem: false }, tags: ['buyer'] },
      items: [
        { phone: '13912345670', paidAt: '2026-02-01T10:00:00+08:00' },
        { phone: '13912345671', paidAt: 1767225600 },
        { phone: '13912345672', paidAt: 'last tuesday' },
      ],
      store,
    });
    const inputs = store.calls[0]! as (CustomerUpsertInput & { tags?: string[] })[];
    expect(inputs.map((i) => i.event)).toEqual([
      { type: 'order_paid', occurredAt: '2026-02-01T02:00:00.000Z' },
      { type: 'order_paid', occurredAt: '2026-01-01T00:00:00.000Z' },
    ]);
    expect(inputs.map((i) => i.tags)).toEqual([['buyer'], ['buyer']]);
    expect(inputs[0]!.attributes).toEqual({});
    // No source configured and no trigger (a step tested alone): `flow`.
    expect(inputs[0]!.provenance.source).toBe('flow');
    expect(out).toHaveLength(2);
    expect(error[0]!.error).toMatchObject({ code: 'invalid_time' });
  });

  it('records the trigger that started the run as the source when none is configured', async () => {
    const store = new RecordingStore();
    await runNode(upsertNode, { config: {}, items: [{ phone: '13924681357' }], store, trigger: { nodeId: 'lead', type: 'meta.leadads' } });
    expect(store.calls[0]![0]!.provenance.source).toBe('meta.leadads');
  });

  it('does not call the store when no item identifies anyone', async () => {
    const store = new RecordingStore();
    const { out, error } = await runNode(upsertNode, { config: {}, items: [{ name: 'x' }], store });
    expect(store.calls).toEqual([]);
    expect(out).toEqual([]);
    expect((error[0] as ErrorItem).error.message).toBe('no usable identity: no phone, e-mail or other identity field found');
  });

  it('answers a retried step with the same customers', async () => {
    const store = new InMemoryCustomerStore();
    const opts = { config: {}, items: [{ phone: '13912345670' }], store, runId: 'run-9' };
    const first = await runNode(upsertNode, opts);
    const again = await runNode(upsertNode, { ...opts, attempt: 2 });
    expect(again.out).toEqual(first.out);
    expect(store.all()).toHaveLength(1);
  });
});
