import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../test/support/services.js';
import { openStoreDataSource } from './__fixtures__/store-data-source.js';
import { upsertInput } from './__fixtures__/upsert-input.fixture.js';
import { CustomerStore } from './customer-store.service.js';
import type { CustomerView } from './customer-store.types.js';

describe('CustomerStore merge and undo', () => {
  let ds: DataSource;
  let store: CustomerStore;
  let clock = new Date('2026-05-01T08:00:00.000Z');
  const tick = (ms = 1000) => {
    clock = new Date(clock.getTime() + ms);
  };

  beforeAll(async () => {
    ds = await openStoreDataSource(await createTestDatabase('cs_merge'));
    store = new CustomerStore(ds, { now: () => clock });
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  /** Three customers with identities, attributes, tags, accounts and a few events each. */
  const threeCustomers = async (n: number) => {
    const ids: string[] = [];
    const people = [
      { name: '陈静', phone: `139660${n}${n}001`, email: `chen${n}@a.cn`, company: `甲${n}科技有限公司`, city: '上海', tag: 'vip' },
      { name: '陈静', phone: `139771${n}${n}002`, email: `chen${n}@b.cn`, company: undefined, city: '上海', tag: 'trial' },
      { name: 'Chen Jing', phone: `139882${n}${n}003`, email: `chen${n}@c.cn`, company: undefined, city: undefined, tag: 'wechat' },
    ];
    for (const p of people) {
      tick();
      const [r] = await store.upsert([
        upsertInput({
          identities: [{ type: 'phone', value: p.phone }, { type: 'email', value: p.email }, { type: 'device_id', value: `dev-${p.phone}` }],
          attributes: { name: p.name, company: p.company, city: p.city, note: `from ${p.tag}` },
          tags: [p.tag],
          event: { type: 'form_submitted', payload: { form: p.tag } },
        }),
      ]);
      tick();
      await store.upsert([upsertInput({ identities: [{ type: 'phone', value: p.phone }], event: { type: 'order_placed', payload: { total: 100 } } })]);
      ids.push(r!.customerId);
    }
    return ids;
  };
  const strip = (v: CustomerView | undefined) => {
    const { merges: _m, ...rest } = v!;
    return rest;
  };

  it('merges three customers and undo restores each one exactly', async () => {
    const [a, b, c] = await threeCustomers(1);
    const before = await Promise.all([a, b, c].map((id) => store.getCustomer(id!)));
    const keysOf = async () =>
      (await ds.query(`SELECT customer_id::text || ' ' || key AS k FROM customer_match_keys WHERE customer_id = ANY($1::uuid[]) ORDER BY 1`, [[a, b, c]])).map((r: { k: string }) => r.k);
    const keysBefore = await keysOf();
    tick();
    const merged = await store.mergeCustomers(a!, [b!, c!], { actor: 'user:li', reason: 'same person' });
    expect(merged).toMatchObject({ targetId: a, sourceIds: [b, c].sort() });

    const target = (await store.getCustomer(a!))!;
    expect(target.identities).toHaveLength(9);
    expect(target.timeline).toHaveLength(6);
    expect(new Set(target.tags)).toEqual(new Set(['vip', 'trial', 'wechat']));
    // Latest wins by default: the last customer's note.
    expect(target.attributes.note!.value).toBe('from wechat');
    expect(target.merges[0]).toMatchObject({ id: merged.mergeId, targetId: a, actor: 'user:li', undoneAt: null });
    const tomb = (await store.getCustomer(b!))!;
    expect(tomb.mergedInto).toBe(a);
    expect(await store.countCustomers()).toBe(1);
    // An upsert through a merged customer's identity lands on the target.
    const [via] = await store.resolve([{ identities: [{ type: 'email', value: 'chen1@c.cn' }] }]);
    expect(via).toMatchObject({ kind: 'matched', targetId: a });

    tick();
    const undone = await store.undoMerge(merged.mergeId, { actor: 'user:li' });
    expect(undone).toMatchObject({ mergeId: merged.mergeId, targetId: a, restoredIds: [b, c].sort() });
    const after = await Promise.all([a, b, c].map((id) => store.getCustomer(id!)));
    expect(after.map(strip)).toEqual(before.map(strip));
    expect(after[0]!.merges[0]).toMatchObject({ id: merged.mergeId, undoneAt: clock.toISOString() });
    expect(await store.countCustomers()).toBe(3);
    await expect(store.undoMerge(merged.mergeId, { actor: 'user:li' })).rejects.toMatchObject({ code: 'conflict' });

    const audit: { action: string }[] = await ds.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [a]);
    expect(audit.map((x) => x.action)).toEqual(['customer.merged', 'customer.merge_undone']);
    // The blocking keys are back as they were.
    expect(await keysOf()).toEqual(keysBefore);
  });

  it('keeps what arrived after the merge with the target when undone', async () => {
    const [a, b, c] = await threeCustomers(2);
    const before = await Promise.all([b, c].map((id) => store.getCustomer(id!)));
    tick();
    const { mergeId } = await store.mergeCustomers(a!, [b!, c!], { actor: 'system:test' });
    tick();
    // After the merge: an event through b's phone and a new identity, both on the target.
    const [late] = await store.upsert([
      upsertInput({ identities: [{ type: 'phone', value: '13977122002' }, { type: 'wechat_unionid', value: 'oLateUnion' }], event: { type: 'wecom_contact_added' } }),
    ]);
    expect(late!.customerId).toBe(a);
    tick();
    await store.undoMerge(mergeId, { actor: 'system:test' });
    const target = (await store.getCustomer(a!))!;
    expect(target.timeline.map((e) => e.type)).toContain('wecom_contact_added');
    expect(target.identities.map((i) => i.value)).toContain('oLateUnion');
    expect(target.identities).toHaveLength(4);
    const restoredB = (await store.getCustomer(b!))!;
    expect(restoredB.mergedInto).toBeNull();
    expect(restoredB.timeline).toEqual(before[0]!.timeline);
    expect(restoredB.attributes).toEqual(before[0]!.attributes);
    // b's phone was seen after the merge: the identity is b's again, as it was.
    expect(restoredB.identities).toEqual(before[0]!.identities);
    expect(strip(await store.getCustomer(c!))).toEqual(strip(before[1]));
  });

  it('moves tasks, assignments and the first channel with the merge, and back with the undo', async () => {
    const base = { provenance: { source: 'webform', flowId: 'flow-1', flowVersion: 1, runId: 'r', nodeId: 'upsert' } };
    tick();
    const [older] = await store.upsert([upsertInput({ ...base, identities: [{ type: 'phone', value: '13924681001' }], attributes: { name: '韩梅' } })]);
    tick(60_000);
    const [newer] = await store.upsert([
      upsertInput({ identities: [{ type: 'email', value: 'hanmei@corp-mail.cn' }], provenance: { ...base.provenance, source: 'wecom' }, event: { type: 'wecom_contact_added' } }),
    ]);
    const a = newer!.customerId;
    const b = older!.customerId;
    await ds.query(`UPDATE customers SET owner_id = 'owner-wang', assigned_at = $2 WHERE id = $1`, [b, clock.toISOString()]);
    const [task] = await ds.query(`INSERT INTO tasks (customer_id, owner_id, title, idempotency_key) VALUES ($1, 'owner-wang', 'Call back', $2) RETURNING id`, [b, `t-${b}`]);
    const [assignment] = await ds.query(
      `INSERT INTO assignments (customer_id, owner_id, strategy, reason, idempotency_key) VALUES ($1, 'owner-wang', 'round_robin', '{}', $2) RETURNING id`,
      [b, `a-${b}`],
    );
    const columns = async (id: string) =>
      (await ds.query(`SELECT first_channel, last_interaction_at, owner_id, assigned_at FROM customers WHERE id = $1`, [id]))[0] as {
        first_channel: string;
        last_interaction_at: Date;
        owner_id: string | null;
        assigned_at: Date | null;
      };
    const targetBefore = await columns(a);
    const sourceBefore = await columns(b);
    expect(targetBefore.first_channel).toBe('wecom');

    tick();
    const { mergeId } = await store.mergeCustomers(a, [b], { actor: 'user:li' });
    const merged = await columns(a);
    // The person first came through the web form (b is older); their latest contact and owner stay.
    expect(merged.first_channel).toBe('webform');
    expect(merged.last_interaction_at.getTime()).toBe(Math.max(targetBefore.last_interaction_at.getTime(), sourceBefore.last_interaction_at.getTime()));
    expect(merged.owner_id).toBe('owner-wang');
    expect(merged.assigned_at?.getTime()).toBe(sourceBefore.assigned_at!.getTime());
    const ownerOf = async (table: 'tasks' | 'assignments', id: string) => (await ds.query(`SELECT customer_id FROM ${table} WHERE id = $1`, [id]))[0].customer_id;
    expect(await ownerOf('tasks', task.id)).toBe(a);
    expect(await ownerOf('assignments', assignment.id)).toBe(a);

    tick();
    await store.undoMerge(mergeId, { actor: 'user:li' });
    expect(await ownerOf('tasks', task.id)).toBe(b);
    expect(await ownerOf('assignments', assignment.id)).toBe(b);
    expect(await columns(a)).toEqual(targetBefore);
    expect(await columns(b)).toEqual(sourceBefore);
  });

  it('merges through the review queue, and erasure still covers merged customers', async () => {
    const [a] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13977770001' }], attributes: { name: '冯敏', city: '南京' } })]);
    const [b] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'feng@corp.cn' }], attributes: { name: '冯敏', city: '南京' } })]);
    expect(b!.resolution.kind).toBe('review');
    const page = await store.listReviews();
    const item = page.items.find((i) => i.customer?.id === b!.customerId)!;
    expect(item).toMatchObject({ candidate: { id: a!.customerId }, status: 'pending' });
    expect(item.score).toBeGreaterThan(0);
    const decided = await store.decideReview(item.id, 'merge', 'user:zhou');
    expect(decided.merge).toMatchObject({ targetId: a!.customerId, sourceIds: [b!.customerId] });
    expect(decided.review).toMatchObject({ status: 'merged', mergeId: decided.merge!.mergeId, customer: { id: a!.customerId } });
    expect((await store.listReviews()).items.find((i) => i.id === item.id)).toBeUndefined();
    expect((await store.listReviews({ status: 'merged' })).items.map((i) => i.id)).toContain(item.id);
    await expect(store.listReviews({ status: 'bogus' })).rejects.toMatchObject({ code: 'invalid_query' });

    const erased = (await store.eraseCustomer(a!.customerId, 'dpo'))!;
    expect(erased.customerIds.sort()).toEqual([a!.customerId, b!.customerId].sort());
    const view = (await store.getCustomer(a!.customerId))!;
    expect(view.identities).toEqual([]);
    expect(view.timeline.every((e) => e.payload === null && e.resolution === null)).toBe(true);
    const [{ n }] = await ds.query(
      `SELECT (SELECT count(*) FROM match_reviews WHERE customer_id = ANY($1::uuid[]) OR candidate_id = ANY($1::uuid[]))
            + (SELECT count(*) FROM customer_match_keys WHERE customer_id = ANY($1::uuid[]))
            + (SELECT count(*) FROM customer_identity_shares WHERE customer_id = ANY($1::uuid[])) AS n`,
      [[a!.customerId, b!.customerId]],
    );
    expect(Number(n)).toBe(0);
    await expect(store.undoMerge(decided.merge!.mergeId, { actor: 'user:zhou' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('closes a review whose two customers end up in one, also when they got there by separate merges; undo decides it or reopens it', async () => {
    const [a] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13977770101' }], attributes: { name: '龚雪', city: '南京' } })]);
    const [b] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'gongxue@corp.cn' }], attributes: { name: '龚雪', city: '南京' } })]);
    const [c] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13977770102' }], attributes: { name: 'Gong Xue' } })]);
    const [d] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13977770103' }], attributes: { name: '龚小雪' } })]);
    expect(b!.resolution).toMatchObject({ kind: 'review', targetId: a!.customerId });
    const pending = async () => (await store.listReviews()).items.filter((i) => [a, b, c, d].some((x) => x!.customerId === i.customerId || x!.customerId === i.candidateId));
    expect(await pending()).toHaveLength(1);
    // a into d, d into c, then b into c: the a–b item has no pair left to decide.
    await store.mergeCustomers(d!.customerId, [a!.customerId], { actor: 'user:zhou' });
    await store.mergeCustomers(c!.customerId, [d!.customerId], { actor: 'user:zhou' });
    expect(await pending()).toHaveLength(1);
    const second = await store.mergeCustomers(c!.customerId, [b!.customerId], { actor: 'user:zhou' });
    expect(await pending()).toEqual([]);
    const closed = (await store.listReviews({ status: 'merged' })).items.find((i) => i.customerId === c!.customerId && i.candidateId === c!.customerId)!;
    expect(closed).toMatchObject({ decidedBy: 'user:zhou', mergeId: second.mergeId });
    // Undoing the merge that closed it, without keeping the two apart, brings the question back.
    const undone = await store.undoMerge(second.mergeId, { actor: 'user:zhou', separate: false });
    expect(undone.separated).toBe(false);
    expect(await pending()).toHaveLength(1);
    // Merged again and undone as usual: b is kept apart from c, which a is in now, so the a–b item is decided.
    const third = await store.mergeCustomers(c!.customerId, [b!.customerId], { actor: 'user:zhou' });
    expect(await pending()).toEqual([]);
    tick();
    expect(await store.undoMerge(third.mergeId, { actor: 'user:zhou' })).toMatchObject({ separated: true });
    expect(await pending()).toEqual([]);
    // (The queue shows each side's survivor: a is in c.)
    const decided = (await store.listReviews({ status: 'separated' })).items.find((i) => i.customerId === b!.customerId || i.candidateId === b!.customerId)!;
    expect(decided).toMatchObject({ decidedBy: 'user:zhou', decidedAt: clock.toISOString() });
  });

  it('keeps the customers of an undone merge apart: neither a record bridging them nor a rematch merges them again', async () => {
    /** One person as two customers the rematch merges: the e-mail's company and city came with a later record. */
    const halves = async (phone: string, email: string, name: string, company: string, city: string) => {
      const [a] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: phone }], attributes: { name, company, city } })]);
      tick();
      const [b] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: email }], attributes: { name } })]);
      await store.upsert([upsertInput({ identities: [{ type: 'email', value: email }], attributes: { company, city } })]);
      expect(b!.created).toBe(true);
      tick();
      const merged = await store.mergeCustomers(a!.customerId, [b!.customerId], { actor: 'user:li' });
      return { a: a!.customerId, b: b!.customerId, mergeId: merged.mergeId };
    };
    const kept = await halves('13977770201', 'baiyunshu@yuanshan.cn', '柏云舒', '远山茶业有限公司', '杭州');
    const loose = await halves('13977770202', 'qiu.muyan@lanting.cn', '裘慕言', '兰亭文化传媒有限公司', '绍兴');
    tick();
    const undone = await store.undoMerge(kept.mergeId, { actor: 'user:li' });
    expect(undone).toMatchObject({ targetId: kept.a, restoredIds: [kept.b], separated: true });
    expect(await store.undoMerge(loose.mergeId, { actor: 'user:li', separate: false })).toMatchObject({ separated: false });
    const separation = (x: string, y: string) =>
      ds.query(`SELECT actor, review_id FROM customer_separations WHERE customer_a = LEAST($1::uuid, $2::uuid) AND customer_b = GREATEST($1::uuid, $2::uuid)`, [x, y]);
    expect(await separation(kept.a, kept.b)).toEqual([{ actor: 'user:li', review_id: null }]);
    expect(await separation(loose.a, loose.b)).toEqual([]);
    const [audit] = await ds.query(`SELECT details FROM audit_log WHERE action = 'customer.merge_undone' AND entity_id = $1`, [kept.a]);
    expect(audit.details).toMatchObject({ separated: true });

    // A record carrying both identifiers would merge them as its bridge: not a pair kept apart.
    tick();
    const [r] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13977770201' }, { type: 'email', value: 'baiyunshu@yuanshan.cn' }], attributes: { name: '柏云舒' } })]);
    expect(r).toMatchObject({ customerId: kept.a, conflicts: [{ type: 'email', customerId: kept.b }] });
    expect(r!.merged).toBeUndefined();
    // The rematch merges the pair undone without separating, and leaves the other apart.
    const rematched = await store.rematch();
    const mergedIds = rematched.merges.flatMap((m) => [m.targetId, ...m.sourceIds]);
    expect(mergedIds).toEqual(expect.arrayContaining([loose.a, loose.b]));
    expect(mergedIds).not.toContain(kept.b);
    expect((await store.getCustomer(kept.b))!.mergedInto ?? null).toBeNull();
    // A person can still merge them.
    await expect(store.mergeCustomers(kept.a, [kept.b], { actor: 'user:li' })).resolves.toMatchObject({ sourceIds: [kept.b] });
    await expect(store.undoMerge(kept.mergeId, { actor: 'user:li', separate: 'yes' as never })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('refuses bad merges', async () => {
    const [a] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13988880001' }] })]);
    await expect(store.mergeCustomers(a!.customerId, [a!.customerId], { actor: 'x' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(store.mergeCustomers(a!.customerId, ['019a0000-0000-7000-8000-000000000000'], { actor: 'x' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(store.mergeCustomers(a!.customerId, ['nope'], { actor: 'x' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(store.undoMerge('019a0000-0000-7000-8000-000000000000', { actor: 'x' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
