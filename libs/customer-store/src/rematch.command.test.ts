import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../test/support/services.js';
import { openStoreDataSource } from './__fixtures__/store-data-source.js';
import { upsertInput } from './__fixtures__/upsert-input.fixture.js';
import { CustomerStore } from './customer-store.service.js';

// The store resolves each delivery when it arrives, against the candidates its blocking keys
// find then. A customer whose profile is completed later (the company from the next order) is
// never compared again: rematch compares every live customer with every other.
describe('CustomerStore.rematch', () => {
  let ds: DataSource;
  let store: CustomerStore;

  beforeAll(async () => {
    ds = await openStoreDataSource(await createTestDatabase('cs_rematch'));
    store = new CustomerStore(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  /** One person as two customers: a phone with the full profile, then an e-mail whose company and city arrive with a later record. */
  const twoHalves = async (phone: string, email: string, name: string, company: string, city: string) => {
    const [a] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: phone }], attributes: { name, company, city } })]);
    const [b] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: email }], attributes: { name } })]);
    const [b2] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: email }], attributes: { company, city } })]);
    expect(b2!.customerId).toBe(b!.customerId);
    expect(b!.customerId).not.toBe(a!.customerId);
    return { a: a!.customerId, b: b!.customerId };
  };
  const pendingBetween = async (x: string, y: string) =>
    (await ds.query(
      `SELECT id, score, reasons FROM match_reviews WHERE status = 'pending' AND LEAST(customer_id, candidate_id) = LEAST($1::uuid, $2::uuid) AND GREATEST(customer_id, candidate_id) = GREATEST($1::uuid, $2::uuid)`,
      [x, y],
    )) as { id: string; score: number; reasons: { rule: string; detail: string }[] }[];

  it('queues, merges what is certain, respects separations, and repeats nothing when run again', async () => {
    const one = await twoHalves('13924681501', 'mingxuan.oy@yunfan.cn', '欧阳明轩', '云帆网络科技有限公司', '上海');
    const two = await twoHalves('13924681502', 'sun.yq@qiming.cn', '孙雨晴', '启明星咨询有限公司', '杭州');
    // Someone unrelated in the same city: compared, never linked.
    await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924681503' }], attributes: { name: '赵志强', company: '海纳物流有限公司', city: '上海' } })]);

    // Counted only.
    const dry = await store.rematch({ dryRun: true });
    expect(dry).toMatchObject({ customers: 5, links: 2, merged: 2, queued: 0 });
    expect(await pendingBetween(one.a, one.b)).toEqual([]);

    // Reviews only: each pair queued once, with the rules' reasons.
    const queued = await store.rematch({ merge: 'none' });
    expect(queued).toMatchObject({ customers: 5, links: 2, merged: 0, queued: 2, skipped: 0 });
    const [item] = await pendingBetween(one.a, one.b);
    expect(item!.reasons[0]).toMatchObject({ rule: 'rematch', detail: expect.stringContaining('store rematch: fuzzy') });
    expect(item!.reasons.map((r) => r.rule)).toEqual(expect.arrayContaining(['rematch', 'fuzzy']));
    expect(item!.score).toBeGreaterThan(0);
    expect(await store.rematch({ merge: 'none' })).toMatchObject({ links: 2, queued: 0 });

    // The queue shows what the rematch queued on its own.
    const rematched = await store.listReviews({ rule: 'rematch' });
    expect(rematched.items.map((i) => i.id).sort()).toEqual([item!.id, (await pendingBetween(two.a, two.b))[0]!.id].sort());
    expect((await store.listReviews({ rule: 'conflict:email' })).items).toEqual([]);
    await expect(store.listReviews({ rule: "x' OR 1=1" })).rejects.toMatchObject({ code: 'invalid_query' });

    // A person tells the second pair apart (several decisions at once: one that cannot be made says why): never merged, never queued again.
    const [other] = await pendingBetween(two.a, two.b);
    const decided = await store.decideReviews(
      [
        { id: other!.id, decision: 'separate' },
        { id: '00000000-0000-0000-0000-000000000000', decision: 'merge' },
        { id: other!.id, decision: 'merge' },
      ],
      'user:zhou',
    );
    expect(decided.map((d) => (d.ok ? 'ok' : d.error.code))).toEqual(['ok', 'not_found', 'conflict']);
    await expect(store.decideReviews([], 'user:zhou')).rejects.toMatchObject({ code: 'invalid_input' });

    const merged = await store.rematch();
    expect(merged).toMatchObject({ customers: 5, links: 2, merged: 1, queued: 0, skipped: 1 });
    expect(merged.merges).toEqual([{ mergeId: expect.any(String), targetId: one.a, sourceIds: [one.b] }]);
    const view = (await store.getCustomer(one.a))!;
    expect(view.identities.map((i) => i.value).sort()).toEqual(['+8613924681501', 'mingxuan.oy@yunfan.cn']);
    // The merge closed the item it made moot, and is audited as the rematch's.
    expect(await pendingBetween(one.a, one.b)).toEqual([]);
    const [audit] = await ds.query(`SELECT actor, details FROM audit_log WHERE action = 'customer.merged' AND entity_id = $1`, [one.a]);
    expect(audit).toMatchObject({ actor: 'system:rematch', details: { reason: { rule: 'rematch' } } });
    expect((await store.getCustomer(two.b))!.mergedInto ?? null).toBeNull();

    // Again: the merged pair is one record now, the separated one stays apart.
    expect(await store.rematch()).toMatchObject({ customers: 4, links: 1, merged: 0, queued: 0, skipped: 1 });

    // The merge is undoable like any other.
    await store.undoMerge(merged.merges[0]!.mergeId, { actor: 'user:zhou' });
    expect((await store.getCustomer(one.b))!.mergedInto ?? null).toBeNull();
  });

  it('refuses a bad mode', async () => {
    await expect(store.rematch({ merge: 'all' as never })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
