import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../test/support/services.js';
import { openStoreDataSource } from './__fixtures__/store-data-source.js';
import { upsertInput } from './__fixtures__/upsert-input.fixture.js';
import { CustomerStore } from './customer-store.service.js';
import { DEFAULT_MATCH_CONFIG, type MatchConfig } from './matching/index.js';

// Resolution on the real store: identifier priority and limits, conflicts to review, fuzzy
// matches, separations, and survivorship.
describe('identity resolution in CustomerStore.upsert', () => {
  let ds: DataSource;
  let store: CustomerStore;
  let family: CustomerStore;
  let clock = new Date('2026-04-01T08:00:00.000Z');
  const tick = (ms = 1000) => {
    clock = new Date(clock.getTime() + ms);
  };

  // A family-phone config: one e-mail per person, a phone held by two customers stops linking.
  const familyConfig: MatchConfig = {
    ...DEFAULT_MATCH_CONFIG,
    identifiers: [
      { type: 'phone', priority: 1, maxCustomersPerValue: 2 },
      { type: 'wechat_unionid', priority: 2, maxPerCustomer: 1 },
      { type: 'email', priority: 4, maxPerCustomer: 1 },
    ],
  };

  beforeAll(async () => {
    ds = await openStoreDataSource(await createTestDatabase('cs_resolution'));
    store = new CustomerStore(ds, { now: () => clock });
    family = new CustomerStore(ds, { now: () => clock, matchConfig: familyConfig });
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  const reviewsOf = async (id: string) =>
    (await ds.query(`SELECT customer_id, candidate_id, status, reasons FROM match_reviews WHERE customer_id = $1 OR candidate_id = $1`, [id])) as {
      customer_id: string;
      candidate_id: string;
      status: string;
      reasons: { rule: string }[];
    }[];

  it('links by the highest-priority identifier, leaves the other identity where it is and queues the pair for review', async () => {
    const [a] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13911110001' }], attributes: { name: '钱多多' } })]);
    const [b] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'qian@corp.cn' }], attributes: { name: '钱多' } })]);
    expect(a!.customerId).not.toBe(b!.customerId);

    // The e-mail comes first in the input: the phone still decides.
    const [r] = await store.upsert([
      upsertInput({ identities: [{ type: 'email', value: 'qian@corp.cn' }, { type: 'phone', value: '139 1111 0001' }], attributes: { name: '钱多多' } }),
    ]);
    expect(r).toMatchObject({ customerId: a!.customerId, created: false, conflicts: [{ type: 'email', value: 'qian@corp.cn', customerId: b!.customerId }] });
    expect(r!.resolution.kind).toBe('matched');
    expect(r!.resolution.reasons.map((x) => x.rule)).toEqual(expect.arrayContaining(['identifier:phone', 'conflict:email']));

    const [{ owner }] = await ds.query(`SELECT customer_id AS owner FROM customer_identities WHERE type = 'email' AND value = 'qian@corp.cn'`);
    expect(owner).toBe(b!.customerId);
    const reviews = await reviewsOf(a!.customerId);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ customer_id: a!.customerId, candidate_id: b!.customerId, status: 'pending' });
    expect(reviews[0]!.reasons[0]!.rule).toBe('conflict:email');

    // The same conflict again queues nothing more: one pending item per pair.
    await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13911110001' }, { type: 'email', value: 'qian@corp.cn' }] })]);
    expect(await reviewsOf(a!.customerId)).toHaveLength(1);

    // The decision is on the timeline event, and in the review queue with both customers.
    const view = (await store.getCustomer(a!.customerId))!;
    expect(view.timeline[0]!.resolution).toMatchObject({ kind: 'matched', targetId: a!.customerId });
    const page = await store.listReviews();
    const item = page.items.find((i) => i.customer?.id === a!.customerId)!;
    expect(item).toMatchObject({ status: 'pending', customerId: a!.customerId, candidateId: b!.customerId, candidate: { id: b!.customerId } });
    expect(item.customer!.identities).toEqual([{ type: 'phone', value: '+8613911110001' }]);
  });

  it('orders identifiers phone > wechat_unionid > pos_member_id > email > device_id', async () => {
    const [byDevice] = await store.upsert([upsertInput({ identities: [{ type: 'device_id', value: 'dev-prio-1' }] })]);
    const [byEmail] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'prio@corp.cn' }] })]);
    const [byPos] = await store.upsert([upsertInput({ identities: [{ type: 'pos_member_id', value: 'POS-PRIO-1' }] })]);
    const [byUnion] = await store.upsert([upsertInput({ identities: [{ type: 'wechat_unionid', value: 'oUnionPrio1' }] })]);
    const all = [
      { type: 'device_id', value: 'dev-prio-1' },
      { type: 'email', value: 'prio@corp.cn' },
      { type: 'pos_member_id', value: 'POS-PRIO-1' },
      { type: 'wechat_unionid', value: 'oUnionPrio1' },
    ];
    const [r1] = await store.resolve([{ identities: all }]);
    expect(r1).toMatchObject({ kind: 'matched', targetId: byUnion!.customerId });
    const [r2] = await store.resolve([{ identities: all.slice(0, 3) }]);
    expect(r2).toMatchObject({ kind: 'matched', targetId: byPos!.customerId });
    const [r3] = await store.resolve([{ identities: all.slice(0, 2) }]);
    expect(r3).toMatchObject({ kind: 'matched', targetId: byEmail!.customerId });
    const [r4] = await store.resolve([{ identities: all.slice(0, 1) }]);
    expect(r4).toMatchObject({ kind: 'matched', targetId: byDevice!.customerId });
    // resolve wrote nothing.
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM match_reviews WHERE customer_id = ANY($1::uuid[]) OR candidate_id = ANY($1::uuid[])`, [
      [byDevice!.customerId, byEmail!.customerId, byPos!.customerId, byUnion!.customerId],
    ]);
    expect(n).toBe(0);
  });

  it('stops linking through a shared family phone beyond its limit, and never loses the value', async () => {
    const P = '13922220001';
    const [mom] = await family.upsert([upsertInput({ identities: [{ type: 'phone', value: P }, { type: 'email', value: 'mom@family.cn' }], attributes: { name: '王芳' } })]);
    // Another e-mail on the same phone: this customer holds at most one e-mail, so it is someone else.
    const [dad] = await family.upsert([upsertInput({ identities: [{ type: 'phone', value: P }, { type: 'email', value: 'dad@family.cn' }], attributes: { name: '李强' } })]);
    expect(dad!.created).toBe(true);
    expect(dad!.resolution.kind).toBe('review');
    expect(dad!.conflicts).toEqual([{ type: 'phone', value: '+8613922220001', customerId: mom!.customerId }]);
    // Two customers now hold the phone: it no longer links anyone, not even a record with nothing else.
    const [grandma] = await family.upsert([upsertInput({ identities: [{ type: 'phone', value: P }], attributes: { name: '张秀英' } })]);
    expect(grandma!.created).toBe(true);
    expect(grandma!.resolution.reasons[0]).toMatchObject({ rule: 'limit:phone' });
    // Mom is still found by her e-mail.
    const [momAgain] = await family.upsert([upsertInput({ identities: [{ type: 'phone', value: P }, { type: 'email', value: 'mom@family.cn' }] })]);
    expect(momAgain).toMatchObject({ customerId: mom!.customerId, created: false });

    const holders: { customer_id: string }[] = await ds.query(
      `SELECT customer_id FROM customer_identity_shares WHERE type = 'phone' AND value = '+8613922220001' ORDER BY customer_id`,
    );
    expect(holders.map((h) => h.customer_id).sort()).toEqual([dad!.customerId, grandma!.customerId].sort());
    // The default rules would have linked grandma to mom.
    const [wouldBe] = await store.resolve([{ identities: [{ type: 'phone', value: '+8613922220099' }] }]);
    expect(wouldBe!.kind).toBe('new');
  });

  it('finds a customer through a phone it holds as a share: the family member whose name agrees, not a new customer each time', async () => {
    const P = '13924681901';
    const [mom] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: P }], attributes: { name: '陈秀兰', city: '成都' } })]);
    tick();
    // Her son gives the family phone: not her (the names disagree), so a customer of his own holding it as a share.
    const [son] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: P }], attributes: { name: '陈浩然' } })]);
    expect(son).toMatchObject({ created: true, conflicts: [{ type: 'phone', value: '+8613924681901', customerId: mom!.customerId }] });
    const queued = (await reviewsOf(son!.customerId)).length;
    tick();
    // He comes back with the phone alone: he is found through his share, the one whose name agrees.
    const [again] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: P }], attributes: { name: '陈浩然', city: '成都' } })]);
    expect(again).toMatchObject({ customerId: son!.customerId, created: false });
    expect(again!.resolution).toMatchObject({ kind: 'matched', reasons: expect.arrayContaining([expect.objectContaining({ rule: 'identifier:phone' })]) });
    expect(again!.resolution.reasons).toContainEqual(expect.objectContaining({ rule: 'conflict:phone', detail: expect.stringContaining('this customer holds it as a share') }));
    // Nothing new to review: he and his mother are not one person.
    expect((await reviewsOf(son!.customerId)).length).toBe(queued);
    // His mother is still hers.
    const [her] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: P }], attributes: { name: '陈秀兰' } })]);
    expect(her!.customerId).toBe(mom!.customerId);
    // A third name on the phone is neither: the phone says nothing about who it is.
    const [other] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: P }], attributes: { name: '陈建国' } })]);
    expect(other!.created).toBe(true);
    expect(other!.resolution.kind).toBe('review');
  });

  it('matches without identifiers by fuzzy score: automatic above the threshold, review between, new below', async () => {
    const [a] = await store.upsert([
      upsertInput({ identities: [{ type: 'phone', value: '13933330001' }], attributes: { name: '欧阳娜娜', company: '杭州云帆科技有限公司', city: '杭州' } }),
    ]);
    tick();
    // Same name, company (another spelling) and city: automatic.
    const [auto] = await store.upsert([
      upsertInput({ identities: [{ type: 'email', value: 'nana@yunfan.cn' }], attributes: { name: '歐陽娜娜', company: '杭州云帆科技', city: '杭州市' } }),
    ]);
    expect(auto).toMatchObject({ customerId: a!.customerId, created: false });
    expect(auto!.resolution.kind).toBe('matched');
    expect(auto!.resolution.reasons[0]!.rule).toBe('fuzzy');
    tick();
    // Same name and city only: a new customer, and a review item with the reasons.
    const [maybe] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'nana@other.cn' }], attributes: { name: '欧阳娜娜', city: '杭州' } })]);
    expect(maybe!.created).toBe(true);
    expect(maybe!.resolution).toMatchObject({ kind: 'review', targetId: a!.customerId });
    const reviews = await reviewsOf(maybe!.customerId);
    expect(reviews).toEqual([expect.objectContaining({ customer_id: maybe!.customerId, candidate_id: a!.customerId, status: 'pending' })]);
    expect(reviews[0]!.reasons.some((x) => (x as { field?: string }).field === 'name')).toBe(true);
    tick();
    // A different name in the same city: nothing.
    const [other] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'other@corp.cn' }], attributes: { name: '欧阳峰', city: '杭州' } })]);
    expect(other!.resolution.kind).toBe('new');
    expect(await reviewsOf(other!.customerId)).toEqual([]);
  });

  it('links a mistyped or masked phone with the same name and city, and only then', async () => {
    const [a] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924680135' }], attributes: { name: '诸葛明轩', city: '成都' } })]);
    tick();
    // Two neighbouring digits swapped on a web form: not another phone, and the name agrees.
    const [slip] = await store.upsert([
      upsertInput({ identities: [{ type: 'phone', value: '139 2468 1035' }, { type: 'email', value: 'mx@corp-mail.cn' }], attributes: { name: '諸葛明軒', city: '成都市' } }),
    ]);
    expect(slip).toMatchObject({ customerId: a!.customerId, created: false });
    expect(slip!.resolution.reasons).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'phone', comparator: 'phone_near', weight: 4 })]));
    expect(slip!.resolution.reasons.some((x) => x.detail.startsWith('phone differs'))).toBe(false);
    tick();
    // A lead platform's masked number beside an openid: the visible digits agree.
    const [masked] = await store.upsert([
      upsertInput({ identities: [{ type: 'phone', value: '139****0135' }, { type: 'wechat_openid', value: 'oMX-lead-1' }], attributes: { name: '诸葛明轩', city: '成都' } }),
    ]);
    expect(masked).toMatchObject({ customerId: a!.customerId, created: false });
    expect(masked!.ignoredIdentities).toEqual([expect.objectContaining({ type: 'phone', reason: 'masked' })]);
    tick();
    // The same masked ends with another name: not this customer.
    const [stranger] = await store.upsert([
      upsertInput({ identities: [{ type: 'phone', value: '139****0135' }, { type: 'wechat_openid', value: 'oMX-lead-2' }], attributes: { name: '诸葛亮', city: '成都' } }),
    ]);
    expect(stranger!.customerId).not.toBe(a!.customerId);
  });

  it('links an e-mail one slip away with the same name, and only then', async () => {
    const [a] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'ximen.chuixue@corp-mail.cn' }], attributes: { name: '西门吹雪', city: '杭州' } })]);
    tick();
    // A letter dropped on a web form, beside a WeCom id: found by name and city, and the
    // e-mail one slip away says it is this customer.
    const [slip] = await store.upsert([
      upsertInput({ identities: [{ type: 'email', value: 'ximen.chuxue@corp-mail.cn' }, { type: 'wecom_external_userid', value: 'wmXM-1' }], attributes: { name: '西门吹雪', city: '杭州市' } }),
    ]);
    expect(slip).toMatchObject({ customerId: a!.customerId, created: false });
    expect(slip!.resolution.reasons).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'email', comparator: 'email_near', weight: 4 })]));
    tick();
    // The same slip with another name is someone else.
    const [stranger] = await store.upsert([
      upsertInput({ identities: [{ type: 'email', value: 'ximen.chuixu@corp-mail.cn' }, { type: 'wecom_external_userid', value: 'wmXM-2' }], attributes: { name: '西门庆', city: '杭州' } }),
    ]);
    expect(stranger!.customerId).not.toBe(a!.customerId);
  });

  it('links the aliases of one mailbox, keeps each form as written, and queues another customer holding one', async () => {
    const [a] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'Zhou.Yun@gmail.com' }], attributes: { name: '周云' } })]);
    const [b] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'zhouyun+shop@googlemail.com' }] })]);
    const [c] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'zhou.yun@gmial.com' }] })]);
    expect(b).toMatchObject({ customerId: a!.customerId, created: false });
    expect(c).toMatchObject({ customerId: a!.customerId, created: false });
    expect(b!.resolution.reasons[0]).toMatchObject({ rule: 'identifier:email' });
    const rows: { value: string; customer_id: string }[] = await ds.query(
      `SELECT value, customer_id FROM customer_identities WHERE match_key = 'zhouyun@gmail.com' OR value = 'zhou.yun@gmail.com' ORDER BY value`,
    );
    expect(rows.map((r) => r.value)).toEqual(['zhou.yun@gmail.com', 'zhou.yun@gmial.com', 'zhouyun+shop@googlemail.com']);
    for (const r of rows) expect(r.customer_id).toBe(a!.customerId);

    // A provider's domain mistyped (163.con) is the same mailbox too.
    const [d] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'sunli@163.con' }], attributes: { name: '孙丽' } })]);
    const [e] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'sunli@163.com' }], attributes: { name: '孙丽' } })]);
    expect(e).toMatchObject({ customerId: d!.customerId, created: false });

    // A phone links elsewhere while another customer holds another form of the e-mail: the
    // form is written where the phone went, and the pair is queued.
    const [f] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924680101' }], attributes: { name: '周云' } })]);
    const [g] = await store.upsert([
      upsertInput({ identities: [{ type: 'phone', value: '13924680101' }, { type: 'email', value: 'zhouyun@gmail.com' }], attributes: { name: '周云' } }),
    ]);
    expect(g).toMatchObject({ customerId: f!.customerId, created: false });
    expect(g!.resolution.reasons.map((r) => r.rule)).toEqual(expect.arrayContaining(['identifier:phone', 'conflict:email']));
    const reviews = await reviewsOf(f!.customerId);
    expect(reviews.some((r) => [r.customer_id, r.candidate_id].includes(a!.customerId) && r.status === 'pending')).toBe(true);
  });

  it('does not pick between two namesakes that fit a record equally: a review naming both', async () => {
    const [a] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924681901' }], attributes: { name: '张伟', company: '华为技术有限公司', city: '深圳' } })]);
    const [b] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '15800001901' }], attributes: { name: '张伟', company: '华为技术有限公司', city: '深圳' } })]);
    expect(b!.customerId).not.toBe(a!.customerId);
    // An e-mail alone, same name, company and city: either of them.
    const [c] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'zhangwei@huawei-mail.cn' }], attributes: { name: '张伟', company: '华为技术有限公司', city: '深圳' } })]);
    expect(c).toMatchObject({ created: true, resolution: { kind: 'review' } });
    expect([a!.customerId, b!.customerId]).not.toContain(c!.customerId);
    expect(c!.resolution.reasons.map((r) => r.rule)).toContain('ambiguous');
    expect(c!.resolution.candidates!.map((x) => x.id).sort()).toEqual([a!.customerId, b!.customerId].sort());
  });

  it('keys every number and address a field lists, so either finds the customer later', async () => {
    const [a] = await store.upsert([
      upsertInput({
        identities: [
          { type: 'phone', value: '13924680411 / 13924680422' },
          { type: 'email', value: 'ouyang.ming@corp.cn; om@163.com' },
        ],
        attributes: { name: '欧阳明' },
      }),
    ]);
    const held: { type: string; value: string; raw_value: string }[] = await ds.query(
      `SELECT type, value, raw_value FROM customer_identities WHERE customer_id = $1 ORDER BY type, value`,
      [a!.customerId],
    );
    expect(held.map((i) => [i.type, i.value, i.raw_value])).toEqual([
      ['email', 'om@163.com', 'om@163.com'],
      ['email', 'ouyang.ming@corp.cn', 'ouyang.ming@corp.cn'],
      ['phone', '+8613924680411', '13924680411'],
      ['phone', '+8613924680422', '13924680422'],
    ]);
    const [b] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '139 2468 0422' }] })]);
    const [c] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'OM@163.com' }] })]);
    expect(b).toMatchObject({ customerId: a!.customerId, created: false });
    expect(c).toMatchObject({ customerId: a!.customerId, created: false });
    // A junk or masked number beside a real one is ignored, with its reason; the real one still keys.
    const [d] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13800000000，13924680433' }], attributes: { name: '钟离' } })]);
    expect(d).toMatchObject({ created: true, ignoredIdentities: [{ type: 'phone', value: '13800000000', reason: 'junk' }] });
  });

  it('merges the customer holding another identifier of the record when it agrees, undoably, and only then', async () => {
    // One person, two customers so far: a phone from a lead form, an e-mail from the helpdesk.
    const [a] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924680201' }], attributes: { name: '欧阳明轩', city: '成都' } })]);
    const [b] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'mx.ouyang@corp-mail.cn' }], attributes: { name: '欧阳明轩', title: 'CTO' } })]);
    expect(b!.customerId).not.toBe(a!.customerId);
    tick();
    // A web form carries both: it is the bridge.
    const [r] = await store.upsert([
      upsertInput({ identities: [{ type: 'phone', value: '139 2468 0201' }, { type: 'email', value: 'mx.ouyang@corp-mail.cn' }], attributes: { name: '欧阳明轩' } }),
    ]);
    expect(r).toMatchObject({ customerId: a!.customerId, created: false, conflicts: [], merged: [{ customerId: b!.customerId }] });
    expect(r!.resolution.reasons.map((x) => x.rule)).toEqual(expect.arrayContaining(['identifier:phone', 'merge:email']));
    const view = (await store.getCustomer(a!.customerId))!;
    expect(view.identities.map((x) => x.type).sort()).toEqual(['email', 'phone']);
    expect(view.attributes.title).toMatchObject({ value: 'CTO' });
    expect(view.merges[0]).toMatchObject({ targetId: a!.customerId, sourceIds: [b!.customerId], actor: 'system:resolution' });
    expect(await reviewsOf(a!.customerId)).toEqual([]);
    // Undone like any merge: both customers as they were.
    await store.undoMerge(r!.merged![0]!.mergeId!, { actor: 'user:wu' });
    expect((await store.getCustomer(b!.customerId))!.identities).toEqual([expect.objectContaining({ type: 'email', value: 'mx.ouyang@corp-mail.cn' })]);

    // A nickname agrees with nothing: the pair goes to review instead.
    const [c] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'boss.hu@corp-mail.cn' }], attributes: { name: '胡总' } })]);
    const [d] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924680202' }], attributes: { name: '胡一菲' } })]);
    const [e] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924680202' }, { type: 'email', value: 'boss.hu@corp-mail.cn' }], attributes: { name: '胡一菲' } })]);
    expect(e).toMatchObject({ customerId: d!.customerId, conflicts: [{ type: 'email', customerId: c!.customerId }] });
    expect(e!.merged).toBeUndefined();
    expect((await reviewsOf(d!.customerId)).map((x) => x.status)).toEqual(['pending']);

    // Same name, but the e-mail's customer has another phone: a shared family mailbox, not a bridge.
    const [f] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924680203' }], attributes: { name: '林芳' } })]);
    const [g] = await store.upsert([
      upsertInput({ identities: [{ type: 'email', value: 'lin.home@corp-mail.cn' }, { type: 'phone', value: '13924687765' }], attributes: { name: '林芳' } }),
    ]);
    const [h] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924680203' }, { type: 'email', value: 'lin.home@corp-mail.cn' }], attributes: { name: '林芳' } })]);
    expect(h).toMatchObject({ customerId: f!.customerId, conflicts: [{ type: 'email', customerId: g!.customerId }] });
    expect(h!.merged).toBeUndefined();
  });

  it('recognises an input without a usable identity by its name, masked phone and city, and only with all three', async () => {
    const [a] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924680501' }], attributes: { name: '慕容复', city: '苏州' } })]);
    // A shop's order: the phone masked, nothing else to key on.
    const [order] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '139****0501' }], attributes: { name: '慕容复', city: '苏州市' } })]);
    expect(order).toMatchObject({ customerId: a!.customerId, created: false, ignoredIdentities: [expect.objectContaining({ reason: 'masked' })] });
    expect(order!.resolution.reasons[0]).toMatchObject({ rule: 'profile', field: 'phone' });

    // Someone the store has not seen: a customer without identities, keeping the masked phone,
    // which the next order finds, and the full number later completes.
    const [first] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '186****7731' }], attributes: { name: '王语嫣', city: '苏州' } })]);
    expect(first!.created).toBe(true);
    const view = (await store.getCustomer(first!.customerId))!;
    expect(view.identities).toEqual([]);
    expect(view.attributes.phone).toMatchObject({ value: '186****7731' });
    const [second] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '186 **** 7731' }], attributes: { name: '王语嫣', city: '苏州' } })]);
    expect(second).toMatchObject({ customerId: first!.customerId, created: false });
    const [full] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '18612347731' }], attributes: { name: '王语嫣', city: '苏州' } })]);
    expect(full).toMatchObject({ customerId: first!.customerId, created: false });
    expect((await store.getCustomer(first!.customerId))!.identities).toEqual([expect.objectContaining({ type: 'phone', value: '+8618612347731' })]);

    // Without a city or company (nothing finds it again), or with a nickname, it identifies nobody.
    for (const attributes of [{ name: '王语嫣' }, { name: '小王', city: '苏州' }, { name: '王先生', company: '曼陀山庄' }]) {
      await expect(store.upsert([upsertInput({ identities: [{ type: 'phone', value: '186****7731' }], attributes })])).rejects.toMatchObject({ code: 'no_usable_identity' });
      await expect(store.upsert([upsertInput({ identities: [], attributes })])).rejects.toMatchObject({ code: 'no_usable_identity' });
    }
  });

  it('keeps a lead without any identifier by its name and city or company: the customer it matches, or one of its own', async () => {
    const [a] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924680601' }], attributes: { name: '段誉', company: '大理段氏茶业有限公司', city: '大理' } })]);
    // A form with no phone and no e-mail: the same name, company and city is the customer (9 points).
    const [form] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'n/a' }], attributes: { name: '段誉', company: '大理段氏茶业', city: '大理市', title: '总经理' } })]);
    expect(form).toMatchObject({ customerId: a!.customerId, created: false, ignoredIdentities: [expect.objectContaining({ reason: 'junk' })] });
    expect(form!.resolution.reasons[0]).toMatchObject({ rule: 'profile', field: 'city', detail: 'no usable identity: resolved by name and city 大理市' });
    expect((await store.getCustomer(a!.customerId))!.attributes.title).toMatchObject({ value: '总经理' });

    // Someone the store has not seen: a customer without identities, not a lead lost; the record
    // that brings a phone later finds it by name and company.
    const [lead] = await store.upsert([upsertInput({ identities: [], attributes: { name: '钟灵', company: '万劫谷文旅有限公司' } })]);
    expect(lead).toMatchObject({ created: true, resolution: { kind: 'new' } });
    expect(lead!.resolution.reasons[0]).toMatchObject({ rule: 'profile', field: 'company' });
    expect((await store.getCustomer(lead!.customerId))!.identities).toEqual([]);
    const [call] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924680602' }], attributes: { name: '钟灵', company: '万劫谷文旅', city: '大理' } })]);
    expect(call).toMatchObject({ customerId: lead!.customerId, created: false });
    // A namesake in the same city with nothing else agreeing is a review, never a merge.
    const [namesake] = await store.upsert([upsertInput({ identities: [], attributes: { name: '钟灵', city: '大理' } })]);
    expect(namesake!.resolution.kind).not.toBe('matched');
  });

  it('does not guess whose e-mail a record without a phone is once two namesakes hold it', async () => {
    const [a] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924680171' }, { type: 'email', value: 'liwei@163.com' }], attributes: { name: '李伟' } })]);
    // A second 李伟 with another phone typed the same mailbox: a conflict, and the value is kept as a share.
    const [b] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924685390' }, { type: 'email', value: 'liwei@163.com' }], attributes: { name: '李伟' } })]);
    expect(b!.customerId).not.toBe(a!.customerId);
    const [c] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'LiWei@163.com' }], attributes: { name: '李伟' } })]);
    expect(c!.created).toBe(true);
    expect(c!.resolution.kind).toBe('review');
    expect(c!.resolution.reasons[0]!.detail).toMatch(/held by 2 customers and the record has no phone/);
  });

  it('respects a separation: a pair a human told apart is never queued again', async () => {
    const [a] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13944440001' }], attributes: { name: '孙悦' } })]);
    const [b] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'sun@corp.cn' }], attributes: { name: '孙月' } })]);
    await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13944440001' }, { type: 'email', value: 'sun@corp.cn' }] })]);
    const page = await store.listReviews({ limit: 200 });
    const item = page.items.find((i) => [i.customer?.id, i.candidate?.id].includes(a!.customerId))!;
    const decided = await store.decideReview(item.id, 'separate', 'user:li');
    expect(decided.review).toMatchObject({ status: 'separated', decidedBy: 'user:li' });
    await expect(store.decideReview(item.id, 'merge', 'user:li')).rejects.toMatchObject({ code: 'conflict' });

    tick();
    const [again] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13944440001' }, { type: 'email', value: 'sun@corp.cn' }] })]);
    expect(again!.customerId).toBe(a!.customerId);
    expect(again!.resolution.reasons.find((r) => r.rule === 'conflict:email')!.detail).toMatch(/separated/);
    const pending = (await reviewsOf(a!.customerId)).filter((r) => r.status === 'pending');
    expect(pending).toEqual([]);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM customer_separations WHERE customer_a = LEAST($1::uuid, $2::uuid) AND customer_b = GREATEST($1::uuid, $2::uuid)`, [
      a!.customerId,
      b!.customerId,
    ]);
    expect(n).toBe(1);
    expect(b!.customerId).not.toBe(a!.customerId);

    // Merged into another customer, b's separation from a carries over to the survivor.
    const [c] = await store.upsert([upsertInput({ identities: [{ type: 'wechat_unionid', value: 'oSunUnion' }] })]);
    await store.mergeCustomers(c!.customerId, [b!.customerId], { actor: 'user:li' });
    tick();
    const [third] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13944440001' }, { type: 'email', value: 'sun@corp.cn' }] })]);
    expect(third!.conflicts).toEqual([{ type: 'email', value: 'sun@corp.cn', customerId: c!.customerId }]);
    expect((await reviewsOf(c!.customerId)).filter((r) => r.status === 'pending')).toEqual([]);
  });

  it('never merges a pair a human separated, even when a record bridges them', async () => {
    const [a] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924680701' }], attributes: { name: '东方白', city: '北京' } })]);
    // Same name and city, nothing else: a fuzzy review, which a person decides as two people.
    const [b] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'dongfang.bai@corp-mail.cn' }], attributes: { name: '东方白', city: '北京' } })]);
    expect(b).toMatchObject({ created: true, resolution: { kind: 'review', targetId: a!.customerId } });
    const item = (await store.listReviews({ limit: 200 })).items.find((i) => [i.customer?.id, i.candidate?.id].includes(b!.customerId))!;
    await store.decideReview(item.id, 'separate', 'user:li');
    tick();
    // A record carrying both identifiers and the same name would merge them; not a separated pair.
    const [r] = await store.upsert([
      upsertInput({ identities: [{ type: 'phone', value: '13924680701' }, { type: 'email', value: 'dongfang.bai@corp-mail.cn' }], attributes: { name: '东方白' } }),
    ]);
    expect(r).toMatchObject({ customerId: a!.customerId, conflicts: [{ type: 'email', customerId: b!.customerId }] });
    expect(r!.merged).toBeUndefined();
    expect((await reviewsOf(a!.customerId)).filter((x) => x.status === 'pending')).toEqual([]);
  });

  it('applies survivorship per field and records the policy with the value', async () => {
    const phone = [{ type: 'phone', value: '13955550001' }];
    const survivorship = {
      city: { policy: 'source_priority' as const, sources: ['crm', 'webform'] },
      name: { policy: 'first' as const },
      address: { policy: 'longest' as const },
      title: { policy: 'manual' as const },
    };
    const at = (source: string, occurredAt: string, attributes: Record<string, unknown>) =>
      upsertInput({
        identities: phone,
        attributes,
        survivorship,
        event: { type: 'seen', occurredAt },
        provenance: { source, flowId: 'f', flowVersion: 1, runId: `r-${occurredAt}`, nodeId: 'n' },
      });
    const [r] = await store.upsert([at('crm', '2026-04-01T01:00:00Z', { city: '上海', name: '周杰伦', address: '杭州市西湖区文三路 1 号', title: 'Engineer', stage: 'lead' })]);
    await store.upsert([at('webform', '2026-04-01T02:00:00Z', { city: '北京', name: '周杰论', address: '杭州', title: 'Manager', stage: 'trial' })]);
    // A later flow without the config: the policy recorded on the value still holds.
    await store.upsert([upsertInput({ identities: phone, attributes: { city: '广州' }, event: { type: 'seen', occurredAt: '2026-04-01T03:00:00Z' } })]);
    const view = (await store.getCustomer(r!.customerId))!;
    expect(view.attributes.city).toMatchObject({ value: '上海', source: 'crm' });
    expect(view.attributes.name).toMatchObject({ value: '周杰伦' });
    expect(view.attributes.address).toMatchObject({ value: '杭州市西湖区文三路 1 号' });
    // title is manual-protected only once a person set it; until then latest wins.
    expect(view.attributes.title).toMatchObject({ value: 'Manager' });
    expect(view.attributes.stage).toMatchObject({ value: 'trial' });

    // An older observation arriving late: `first` takes it, latest does not.
    await store.upsert([at('webform', '2026-03-01T00:00:00Z', { name: '周 杰 伦', stage: 'old' })]);
    let v2 = (await store.getCustomer(r!.customerId))!;
    expect(v2.attributes.name).toMatchObject({ value: '周 杰 伦' });
    expect(v2.attributes.stage).toMatchObject({ value: 'trial' });

    // A manual edit wins now, and flows do not overwrite it under `manual`.
    await store.updateAttributes(r!.customerId, { title: 'CTO' }, { actor: 'user:wu' });
    await store.upsert([at('webform', '2026-04-02T00:00:00Z', { title: 'Intern' })]);
    v2 = (await store.getCustomer(r!.customerId))!;
    expect(v2.attributes.title).toMatchObject({ value: 'CTO', source: 'manual' });

    const [{ attributes }] = await ds.query(`SELECT attributes FROM customers WHERE id = $1`, [r!.customerId]);
    expect(attributes.city.policy).toEqual({ policy: 'source_priority', sources: ['crm', 'webform'] });
    expect(attributes.title.manual).toBe(true);
    // Every source identifier is kept.
    expect(v2.identities.map((i) => i.value)).toEqual(['+8613955550001']);
  });

  it('rejects an unknown survivorship policy before writing', async () => {
    await expect(
      store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13955550002' }], survivorship: { city: { policy: 'loudest' as never } } })]),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('pages through the review queue with a cursor', async () => {
    const all = (await store.listReviews({ limit: 200 })).items.map((i) => i.id);
    expect(all.length).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listReviews({ limit: 1, cursor });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all);
    await expect(store.listReviews({ cursor: 'garbage' })).rejects.toMatchObject({ code: 'invalid_cursor' });

    // Highest score first, ties by id, paged the same way.
    const byScore = (await store.listReviews({ limit: 200, order: 'score' })).items;
    expect(byScore.map((i) => i.id).sort()).toEqual([...all].sort());
    const want = [...byScore].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).map((i) => i.id);
    expect(byScore.map((i) => i.id)).toEqual(want);
    const paged: string[] = [];
    cursor = undefined;
    do {
      const page = await store.listReviews({ limit: 2, cursor, order: 'score' });
      paged.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual(want);
    await expect(store.listReviews({ order: 'newest' })).rejects.toMatchObject({ code: 'invalid_query' });
    // A cursor of the other order is refused, not misread.
    const firstOldest = await store.listReviews({ limit: 1 });
    await expect(store.listReviews({ order: 'score', cursor: firstOldest.nextCursor! })).rejects.toMatchObject({ code: 'invalid_cursor' });
  });
});
