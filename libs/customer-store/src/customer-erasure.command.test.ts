import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../test/support/services.js';
import { openStoreDataSource } from './__fixtures__/store-data-source.js';
import { upsertInput } from './__fixtures__/upsert-input.fixture.js';
import { CustomerStore } from './customer-store.service.js';

describe('CustomerStore.eraseCustomer', () => {
  let ds: DataSource;
  let store: CustomerStore;

  beforeAll(async () => {
    ds = await openStoreDataSource(await createTestDatabase('cs_erasure'));
    store = new CustomerStore(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  it('removes personal data everywhere and keeps an audit entry without it', async () => {
    const [r] = await store.upsert([
      {
        ...upsertInput({
          identities: [
            { type: 'phone', value: '13911112222' },
            { type: 'email', value: 'erase.me@corp.cn' },
          ],
          attributes: { name: '陈静', company: '某某贸易有限公司' },
          event: { type: 'form_submitted', payload: { message: '请联系我 13911112222' } },
        }),
        tags: ['vip'],
      },
    ]);
    const id = r!.customerId;
    // A customer merged into this one holds the same person's data.
    const [merged] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'old.address@corp.cn' }], attributes: { name: '陈静' } })]);
    await ds.query(`UPDATE customers SET merged_into = $1 WHERE id = $2`, [id, merged!.customerId]);
    await ds.query(`INSERT INTO customer_merges (target_id, source_ids, snapshot, reason) VALUES ($1, ARRAY[$2::uuid], '{"name":"陈静"}', '{"rule":"email"}')`, [id, merged!.customerId]);

    await ds.query(`INSERT INTO tasks (customer_id, owner_id, title, description, idempotency_key) VALUES ($1, 'o1', '回访 陈静', '电话 13911112222', 'task-erase')`, [id]);
    await ds.query(`INSERT INTO assignments (customer_id, owner_id, strategy, reason, idempotency_key) VALUES ($1, 'o1', 'round_robin', '{"matched":"陈静"}', 'assign-erase')`, [id]);

    const result = await store.eraseCustomer(id, 'admin@tributary');
    expect(result).toMatchObject({ customerIds: expect.arrayContaining([id, merged!.customerId]), identitiesDeleted: 3, eventsScrubbed: 2 });

    const view = (await store.getCustomer(id))!;
    expect(view).toMatchObject({ displayName: null, attributes: {}, identities: [], tags: [], account: null, erasedAt: expect.any(String) });
    expect(view.timeline).toEqual([expect.objectContaining({ type: 'form_submitted', payload: null })]);
    expect(view.merges[0]).toMatchObject({ reason: {} });
    const [{ snapshot }] = await ds.query(`SELECT snapshot FROM customer_merges WHERE target_id = $1`, [id]);
    expect(snapshot).toBeNull();

    const dump = JSON.stringify(await ds.query(`SELECT c.*, (SELECT json_agg(e) FROM customer_events e WHERE e.customer_id = c.id) AS events FROM customers c WHERE c.id = ANY($1::uuid[])`, [[id, merged!.customerId]]));
    for (const personal of ['陈静', '13911112222', 'erase.me', 'old.address', 'vip']) expect(dump).not.toContain(personal);
    const rest = JSON.stringify(await ds.query(`SELECT t.title, t.description, t.status, a.reason FROM tasks t, assignments a WHERE t.customer_id = $1 AND a.customer_id = $1`, [id]));
    expect(rest).toContain('cancelled');
    for (const personal of ['陈静', '13911112222']) expect(rest).not.toContain(personal);

    const audit = await ds.query(`SELECT actor, action, entity, entity_id, details FROM audit_log WHERE entity_id = $1`, [id]);
    expect(audit).toEqual([
      { actor: 'admin@tributary', action: 'customer.erased', entity: 'customer', entity_id: id, details: { customerIds: expect.any(Array), identitiesDeleted: 3, eventsScrubbed: 2 } },
    ]);

    // Erased customers are gone from search, and the same phone later starts a new customer.
    expect((await store.searchCustomers({ phone: '13911112222' })).items).toEqual([]);
    const [again] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13911112222' }] })]);
    expect(again).toMatchObject({ created: true });
    expect(again!.customerId).not.toBe(id);
  });

  it('answers undefined for an unknown customer', async () => {
    expect(await store.eraseCustomer('00000000-0000-0000-0000-000000000000', 'admin')).toBeUndefined();
    expect(await store.eraseCustomer('nope', 'admin')).toBeUndefined();
  });
});
