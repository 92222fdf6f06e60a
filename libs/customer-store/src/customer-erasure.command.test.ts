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

  it('erases every customer merged into the survivor, however many merges ago, also when asked by a merged id', async () => {
    // a into b, then b into c: a's tombstone still names b, not c, and keeps the name it had.
    const mk = async (phone: string, name: string) => {
      const input = upsertInput({ identities: [{ type: 'phone', value: phone }], attributes: { name }, event: { type: 'form_submitted', payload: { phone } } });
      const [r] = await store.upsert([input]);
      return { customerId: r!.customerId, runId: input.provenance.runId };
    };
    const a = await mk('13924680101', '欧阳子豪');
    const b = await mk('13924680202', '欧阳子豪');
    const c = await mk('13924680303', 'Ouyang Zihao');
    await store.mergeCustomers(b.customerId, [a.customerId], { actor: 'ops', reason: { reasons: [{ rule: 'fuzzy', detail: 'name 欧阳子豪 equal' }] } });
    await store.mergeCustomers(c.customerId, [b.customerId], { actor: 'ops', reason: { reasons: [{ rule: 'identifier:phone', detail: 'phone +8613924680202 equal' }] } });
    const [{ merged_into }] = await ds.query(`SELECT merged_into FROM customers WHERE id = $1`, [a.customerId]);
    expect(merged_into).toBe(b.customerId);

    // Asked by the oldest tombstone's id: the person is the survivor and everything in it.
    const result = (await store.eraseCustomer(a.customerId, 'dpo'))!;
    expect(result.customerIds[0]).toBe(c.customerId);
    expect([...result.customerIds].sort()).toEqual([a.customerId, b.customerId, c.customerId].sort());
    expect(result.identitiesDeleted).toBe(3);
    expect([...result.runIds].sort()).toEqual([a, b, c].map((r) => r.runId).sort());

    const ids = [a.customerId, b.customerId, c.customerId];
    const rows: { erased_at: string | null }[] = await ds.query(`SELECT erased_at FROM customers WHERE id = ANY($1::uuid[])`, [ids]);
    expect(rows.every((r) => r.erased_at)).toBe(true);
    const dump = JSON.stringify([
      await ds.query(`SELECT * FROM customers WHERE id = ANY($1::uuid[])`, [ids]),
      await ds.query(`SELECT * FROM customer_merges WHERE target_id = ANY($1::uuid[])`, [ids]),
      await ds.query(`SELECT * FROM audit_log WHERE entity_id = ANY($1::text[])`, [ids]),
      await ds.query(`SELECT * FROM customer_events WHERE customer_id = ANY($1::uuid[])`, [ids]),
    ]);
    for (const personal of ['欧阳子豪', 'Ouyang', '13924680', '8613924680']) expect(dump).not.toContain(personal);
    // The merges' audit entries stay, without the reasons that quoted the values.
    const merges = await ds.query(`SELECT details FROM audit_log WHERE action = 'customer.merged' AND entity_id = ANY($1::text[]) ORDER BY id`, [ids]);
    expect(merges.map((m: { details: { reason: unknown; sourceIds: string[] } }) => [m.details.reason, m.details.sourceIds])).toEqual([
      [{}, [a.customerId]],
      [{}, [b.customerId]],
    ]);
    // Nothing is left to undo: the snapshots are gone.
    const [{ id: mergeId }] = await ds.query(`SELECT id FROM customer_merges WHERE target_id = $1`, [c.customerId]);
    await expect(store.undoMerge(mergeId, { actor: 'ops' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('answers undefined for an unknown customer', async () => {
    expect(await store.eraseCustomer('00000000-0000-0000-0000-000000000000', 'admin')).toBeUndefined();
    expect(await store.eraseCustomer('nope', 'admin')).toBeUndefined();
  });
});
