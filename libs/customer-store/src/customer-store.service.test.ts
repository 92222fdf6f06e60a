import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../test/support/services.js';
import { openStoreDataSource } from './__fixtures__/store-data-source.js';
import { upsertInput } from './__fixtures__/upsert-input.fixture.js';
import { CustomerStoreError } from './customer-store.errors.js';
import { CustomerStore } from './customer-store.service.js';

describe('CustomerStore', () => {
  let ds: DataSource;
  let store: CustomerStore;
  let clock = new Date('2026-03-01T08:00:00.000Z');

  beforeAll(async () => {
    ds = await openStoreDataSource(await createTestDatabase('cs_store'));
    store = new CustomerStore(ds, { now: () => clock });
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  const tick = (ms = 1000) => {
    clock = new Date(clock.getTime() + ms);
  };

  describe('upsert', () => {
    it('creates a customer with normalized identities and attributes that remember their source', async () => {
      const [r] = await store.upsert([
        upsertInput({
          identities: [
            { type: 'email', value: 'Wang.Fang@QQ.com' },
            { type: 'phone', value: '+86 139-1000-0001' },
          ],
          attributes: { name: '王芳', city: '杭州', empty: '', nothing: null },
          event: { type: 'form_submitted', occurredAt: '2026-03-01T07:59:00Z', payload: { form: 'trial' } },
          provenance: { source: 'webform', flowId: 'f-1', flowVersion: 2, runId: 'run-a', nodeId: 'save' },
          idempotencyKey: 'run-a:save:0',
        }),
      ]);
      expect(r).toMatchObject({ created: true, ignoredIdentities: [], conflicts: [], replayed: false });

      const view = (await store.getCustomer(r!.customerId))!;
      expect(view.displayName).toBe('王芳');
      expect(view.identities.map((i) => [i.type, i.value, i.rawValue, i.source])).toEqual([
        ['phone', '+8613910000001', '+86 139-1000-0001', 'webform'],
        ['email', 'wang.fang@qq.com', 'Wang.Fang@QQ.com', 'webform'],
      ]);
      expect(view.attributes).toEqual({
        name: { value: '王芳', source: 'webform', flowId: 'f-1', flowVersion: 2, runId: 'run-a', nodeId: 'save', updatedAt: '2026-03-01T07:59:00.000Z' },
        city: { value: '杭州', source: 'webform', flowId: 'f-1', flowVersion: 2, runId: 'run-a', nodeId: 'save', updatedAt: '2026-03-01T07:59:00.000Z' },
      });
      expect(view.timeline).toEqual([
        expect.objectContaining({ type: 'form_submitted', occurredAt: '2026-03-01T07:59:00.000Z', payload: { form: 'trial' }, runId: 'run-a', flowId: 'f-1', flowVersion: 2, nodeId: 'save' }),
      ]);
      expect(view).toMatchObject({ stage: 'lead', score: 0, tags: [], owner: null, account: null, merges: [], mergedInto: null, version: 1 });
    });

    it('finds the same customer by any spelling of the phone and lets the latest value win', async () => {
      const first = await store.upsert([
        upsertInput({ identities: [{ type: 'phone', value: '13910000002' }], attributes: { name: '李雷', city: '北京' } }),
      ]);
      tick();
      const second = await store.upsert([
        upsertInput({
          identities: [
            { type: 'phone', value: '＋８６ １３９ １０００ ０００２' },
            { type: 'wechat_unionid', value: 'oUnion-lilei' },
          ],
          attributes: { city: '上海', title: '采购经理' },
          provenance: { source: 'wecom', flowId: 'f-2', flowVersion: 1, runId: 'run-b', nodeId: 'up' },
        }),
      ]);
      expect(second[0]).toMatchObject({ customerId: first[0]!.customerId, created: false });
      const view = (await store.getCustomer(first[0]!.customerId))!;
      expect(view.attributes.city).toMatchObject({ value: '上海', source: 'wecom', runId: 'run-b' });
      expect(view.attributes.name).toMatchObject({ value: '李雷', source: 'webform' });
      expect(view.attributes.title).toMatchObject({ value: '采购经理', source: 'wecom' });
      expect(view.identities.map((i) => `${i.type}:${i.value}:${i.source}`)).toEqual([
        'phone:+8613910000002:webform',
        'wechat_unionid:oUnion-lilei:wecom',
      ]);
      expect(view.version).toBe(2);
      // The replaced value is kept one level deep, to explain the change.
      const [row] = await ds.query(`SELECT attributes->'city'->'previous' AS previous FROM customers WHERE id = $1`, [view.id]);
      expect(row.previous).toMatchObject({ value: '北京', source: 'webform' });
    });

    it('never lets an older observation overwrite a newer one', async () => {
      const [r] = await store.upsert([
        upsertInput({ identities: [{ type: 'phone', value: '13910000003' }], attributes: { stage_hint: 'new' }, event: { type: 'visit', occurredAt: '2026-02-10T00:00:00Z' } }),
      ]);
      await store.upsert([
        upsertInput({ identities: [{ type: 'phone', value: '13910000003' }], attributes: { stage_hint: 'old' }, event: { type: 'visit', occurredAt: '2026-01-10T00:00:00Z' } }),
      ]);
      const view = (await store.getCustomer(r!.customerId))!;
      expect(view.attributes.stage_hint!.value).toBe('new');
      expect(view.timeline.map((e) => e.occurredAt)).toEqual(['2026-02-10T00:00:00.000Z', '2026-01-10T00:00:00.000Z']);
    });

    it('remembers the first channel and the latest interaction, whatever order events arrive in', async () => {
      const [r] = await store.upsert([
        upsertInput({ identities: [{ type: 'phone', value: '13910000021' }], event: { type: 'visit', occurredAt: '2026-02-10T00:00:00Z' } }),
      ]);
      await store.upsert([
        upsertInput({
          identities: [{ type: 'phone', value: '13910000021' }],
          event: { type: 'purchase', occurredAt: '2026-01-10T00:00:00Z' },
          provenance: { source: 'pos', flowId: 'f', flowVersion: 1, runId: 'r-pos', nodeId: 'n' },
        }),
      ]);
      const [row] = await ds.query(`SELECT first_channel, last_interaction_at FROM customers WHERE id = $1`, [r!.customerId]);
      expect(row.first_channel).toBe('webform');
      expect(new Date(row.last_interaction_at).toISOString()).toBe('2026-02-10T00:00:00.000Z');
    });

    it('writes nothing twice for a retried step and answers the same', async () => {
      const input = upsertInput({
        identities: [{ type: 'email', value: 'retry@corp.cn' }],
        attributes: { name: 'Retry' },
        event: { type: 'form_submitted' },
        idempotencyKey: 'run-r:upsert:0',
      });
      const [a] = await store.upsert([input]);
      tick();
      const [b] = await store.upsert([{ ...input, attributes: { name: 'Changed on retry' } }]);
      expect(a).toMatchObject({ created: true, replayed: false });
      expect(b).toEqual({ customerId: a!.customerId, created: true, ignoredIdentities: [], conflicts: [], replayed: true, resolution: a!.resolution });
      const view = (await store.getCustomer(a!.customerId))!;
      expect(view.timeline).toHaveLength(1);
      expect(view.displayName).toBe('Retry');
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM customer_events WHERE idempotency_key = 'run-r:upsert:0'`);
      expect(n).toBe(1);
    });

    it('answers a repeated idempotency key inside one call like the first', async () => {
      const input = upsertInput({ identities: [{ type: 'phone', value: '13910000004' }] });
      const [a, b] = await store.upsert([input, input]);
      expect(a).toMatchObject({ created: true, replayed: false });
      expect(b).toMatchObject({ customerId: a!.customerId, created: true, replayed: true });
    });

    it('resolves one new person appearing twice in a batch to one customer', async () => {
      const results = await store.upsert([
        upsertInput({ identities: [{ type: 'phone', value: '139 1000 0005' }], attributes: { name: '韩梅梅' } }),
        upsertInput({ identities: [{ type: 'phone', value: '+8613910000005' }, { type: 'email', value: 'hmm@163.com' }], attributes: { city: '苏州' } }),
        upsertInput({ identities: [{ type: 'email', value: 'HMM@163.com' }], attributes: { title: '店长' } }),
      ]);
      expect(results.map((r) => r.customerId)).toEqual([results[0]!.customerId, results[0]!.customerId, results[0]!.customerId]);
      expect(results.map((r) => r.created)).toEqual([true, false, false]);
      const view = (await store.getCustomer(results[0]!.customerId))!;
      expect(Object.keys(view.attributes).sort()).toEqual(['city', 'name', 'title']);
      expect(view.identities.map((i) => i.value)).toEqual(['+8613910000005', 'hmm@163.com']);
      expect(view.timeline).toHaveLength(3);
    });

    it('finds a known customer through a secondary identity and attaches the new key identity', async () => {
      const [byEmail] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'zhao@corp.cn' }] })]);
      const [withPhone] = await store.upsert([
        upsertInput({ identities: [{ type: 'phone', value: '13910000006' }, { type: 'email', value: 'zhao@corp.cn' }] }),
      ]);
      expect(withPhone).toMatchObject({ customerId: byEmail!.customerId, created: false, conflicts: [] });
      const view = (await store.getCustomer(byEmail!.customerId))!;
      expect(view.identities.map((i) => i.type)).toEqual(['phone', 'email']);
    });

    it('leaves a secondary identity with the customer that has it, and says so', async () => {
      const [owner] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'shared@family.cn' }, { type: 'phone', value: '13910000007' }] })]);
      const [other] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13910000008' }] })]);
      const [again] = await store.upsert([
        upsertInput({ identities: [{ type: 'phone', value: '13910000008' }, { type: 'email', value: 'shared@family.cn' }] }),
      ]);
      // The key identity (phone) decides the customer; the e-mail stays where it was.
      expect(again).toEqual({
        customerId: other!.customerId,
        created: false,
        ignoredIdentities: [],
        conflicts: [{ type: 'email', value: 'shared@family.cn', customerId: owner!.customerId }],
        replayed: false,
        resolution: expect.objectContaining({ kind: 'matched', targetId: other!.customerId }),
      });
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM customer_identities WHERE value = 'shared@family.cn'`);
      expect(n).toBe(1);
      const view = (await store.getCustomer(other!.customerId))!;
      expect(view.identities.map((i) => i.value)).toEqual(['+8613910000008']);
    });

    it('never identifies anyone by a junk value', async () => {
      const results = await store.upsert([
        upsertInput({ identities: [{ type: 'phone', value: '13800138000' }, { type: 'email', value: 'person.one@corp.cn' }] }),
        upsertInput({ identities: [{ type: 'phone', value: '13800138000' }, { type: 'email', value: 'person.two@corp.cn' }] }),
        upsertInput({ identities: [{ type: 'phone', value: '未知' }, { type: 'email', value: 'test@test.com' }, { type: 'wechat_openid', value: 'oOpen-3' }] }),
      ]);
      expect(new Set(results.map((r) => r.customerId)).size).toBe(3);
      expect(results.every((r) => r.created)).toBe(true);
      expect(results[0]!.ignoredIdentities).toEqual([{ type: 'phone', value: '13800138000', reason: 'junk' }]);
      expect(results[2]!.ignoredIdentities).toEqual([
        { type: 'phone', value: '未知', reason: 'junk' },
        { type: 'email', value: 'test@test.com', reason: 'junk' },
      ]);
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM customer_identities WHERE type = 'phone' AND value = '+8613800138000'`);
      expect(n).toBe(0);
    });

    it('refuses, before writing, an input with no usable identity', async () => {
      const before = await store.countCustomers();
      const call = store.upsert([
        upsertInput({ identities: [{ type: 'phone', value: '13910000009' }] }),
        upsertInput({ identities: [{ type: 'phone', value: '138****0000' }, { type: 'email', value: 'n/a' }] }),
      ]);
      await expect(call).rejects.toBeInstanceOf(CustomerStoreError);
      await expect(call).rejects.toMatchObject({
        code: 'no_usable_identity',
        details: {
          ignoredIdentities: [
            { type: 'phone', value: '138****0000', reason: 'masked' },
            { type: 'email', value: 'n/a', reason: 'junk' },
          ],
        },
      });
      expect(await store.countCustomers()).toBe(before);
    });

    it('refuses malformed inputs', async () => {
      await expect(store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13910000010' }], idempotencyKey: '' })])).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(
        store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13910000010' }], event: { type: 'x', occurredAt: 'yesterday' } })]),
      ).rejects.toMatchObject({ code: 'invalid_input' });
      // Each with its reason, and nothing written: a time Postgres and four-digit years do not hold,
      // a payload nested beyond what any step handles, a list pasted into the tags or the profile.
      const phone = [{ type: 'phone', value: '13910000010' }];
      const deep = JSON.parse('['.repeat(5000) + ']'.repeat(5000));
      for (const [input, message] of [
        [{ event: { type: 'x', occurredAt: '+275760-09-13T00:00:00.000Z' } }, /out of range \(years 1000 to 9999\)/],
        [{ event: { type: 'x', payload: { deep } } }, /nests deeper than 256 levels \(at \/event\/payload\/deep\/0/],
        [{ tags: Array.from({ length: 101 }, (_, i) => `t${i}`) }, /at most 100/],
        [{ attributes: Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`f${i}`, 'v'])) }, /at most 500 attributes/],
      ] as const) {
        await expect(store.upsert([upsertInput({ identities: phone, ...input })])).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(message) });
      }
      expect(await store.resolve([{ identities: phone }])).toEqual([expect.objectContaining({ kind: 'new' })]);
    });

    it('takes a field listing more numbers than one person has for a pasted list: it identifies nobody', async () => {
      const pasted = Array.from({ length: 200 }, (_, i) => `1392468${7000 + i}`).join(' / ');
      await expect(store.upsert([upsertInput({ identities: [{ type: 'phone', value: pasted }] })])).rejects.toMatchObject({
        code: 'no_usable_identity',
        details: { ignoredIdentities: [{ type: 'phone', value: pasted, reason: 'list' }] },
      });
      const [r] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: pasted }, { type: 'email', value: 'list.owner@corp.cn' }] })]);
      expect(r!.ignoredIdentities).toEqual([{ type: 'phone', value: pasted, reason: 'list' }]);
      expect((await store.getCustomer(r!.customerId))!.identities.map((i) => i.value)).toEqual(['list.owner@corp.cn']);
      // Fields of up to ten numbers each are read, but the input's 50 identities are counted after splitting them.
      const six = (f: number) => Array.from({ length: 6 }, (_, i) => `13924${String(f).padStart(2, '0')}${8000 + i}`).join(' / ');
      await expect(store.upsert([upsertInput({ identities: Array.from({ length: 9 }, (_, f) => ({ type: 'phone', value: six(f) })) })])).rejects.toMatchObject({
        code: 'invalid_input',
        message: 'at most 50 identities per input (54 once the fields listing several were split)',
      });
    });

    it('keeps text Postgres cannot hold as what it means: NUL left out, half a character as U+FFFD', async () => {
      const [r] = await store.upsert([
        upsertInput({ identities: [{ type: 'phone', value: '139100\u000000019' }, { type: 'email', value: 'li\u0000.na@corp.cn' }], attributes: { name: '李\u0000娜', note: 'x\uD800y' }, tags: ['v\u0000ip'] }),
      ]);
      const view = (await store.getCustomer(r!.customerId))!;
      expect(view.identities.map((i) => i.value).sort()).toEqual(['+8613910000019', 'li.na@corp.cn']);
      expect(view.attributes.name!.value).toBe('李娜');
      expect(view.attributes.note!.value).toBe('x\uFFFDy');
      expect(view.tags).toEqual(['vip']);
    });

    it('links the company to an account, one account per normalized name', async () => {
      const [a, b] = await store.upsert([
        upsertInput({ identities: [{ type: 'phone', value: '13910000011' }], attributes: { company: '杭州云帆科技有限公司', city: '杭州' } }),
        upsertInput({ identities: [{ type: 'phone', value: '13910000012' }], attributes: { company: '杭州云帆科技' } }),
      ]);
      const va = (await store.getCustomer(a!.customerId))!;
      const vb = (await store.getCustomer(b!.customerId))!;
      expect(va.account).toMatchObject({ name: '杭州云帆科技有限公司', city: '杭州' });
      expect(vb.account!.id).toBe(va.account!.id);
    });

    it('adds tags', async () => {
      const [r] = await store.upsert([{ ...upsertInput({ identities: [{ type: 'phone', value: '13910000013' }] }), tags: ['vip', ' trial ', ''] }]);
      await store.upsert([{ ...upsertInput({ identities: [{ type: 'phone', value: '13910000013' }] }), tags: ['vip', 'webinar'] }]);
      expect((await store.getCustomer(r!.customerId))!.tags).toEqual(['vip', 'trial', 'webinar']);
    });
  });

  describe('concurrency', () => {
    it('gives one customer to one phone claimed by many unbatched calls at once', async () => {
      const formats = ['13920000001', '+86 139 2000 0001', '0086 139-2000-0001', '１３９２００００００１', '(139)2000-0001'];
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, n) =>
          store.upsert([upsertInput({ identities: [{ type: 'phone', value: formats[n % formats.length]! }], attributes: { n } })]),
        ),
      );
      const ids = new Set(results.map(([r]) => r!.customerId));
      expect(ids.size).toBe(1);
      expect(results.filter(([r]) => r!.created)).toHaveLength(1);
    });

    it('falls back on the unique key when a writer outside the lock protocol claims the identity first', async () => {
      const outsider = ds.createQueryRunner();
      await outsider.connect();
      await outsider.startTransaction();
      const theirs = '0194c0de-0000-7000-8000-000000000001';
      await outsider.query(`INSERT INTO customer_identities (customer_id, type, value, source) VALUES ($1, 'phone', '+8613920000002', 'import')`, [theirs]);
      await outsider.query(`INSERT INTO customers (id, display_name) VALUES ($1, 'Imported')`, [theirs]);

      const racing = store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13920000002' }], attributes: { city: '成都' } })]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await outsider.commitTransaction();
      await outsider.release();

      const [r] = await racing;
      expect(r).toMatchObject({ customerId: theirs, created: false });
      expect(store.stats.retries).toBeGreaterThan(0);
      const view = (await store.getCustomer(theirs))!;
      expect(view.attributes.city!.value).toBe('成都');
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM customers WHERE id IN (SELECT customer_id FROM customer_events WHERE type = 'profile_updated') AND display_name = 'Imported'`);
      expect(n).toBe(1);
    });
  });

  describe('getCustomer', () => {
    it('returns undefined for unknown or malformed ids', async () => {
      expect(await store.getCustomer('00000000-0000-0000-0000-000000000000')).toBeUndefined();
      expect(await store.getCustomer('not-a-uuid')).toBeUndefined();
    });

    it('keeps only the latest 100 events in the timeline', async () => {
      const inputs = Array.from({ length: 105 }, (_, i) =>
        upsertInput({
          identities: [{ type: 'phone', value: '13910000014' }],
          event: { type: 'page_view', occurredAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() },
        }),
      );
      const [r] = await store.upsert(inputs);
      const view = (await store.getCustomer(r!.customerId))!;
      expect(view.timeline).toHaveLength(100);
      expect(view.timeline[0]!.occurredAt).toBe(new Date(Date.UTC(2026, 0, 1, 0, 104)).toISOString());
    });
  });
});
