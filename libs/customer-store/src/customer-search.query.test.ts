import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../test/support/services.js';
import { openStoreDataSource } from './__fixtures__/store-data-source.js';
import { upsertInput } from './__fixtures__/upsert-input.fixture.js';
import { CustomerStore } from './customer-store.service.js';

describe('CustomerStore.searchCustomers', () => {
  let ds: DataSource;
  let store: CustomerStore;
  const ids: string[] = [];

  beforeAll(async () => {
    ds = await openStoreDataSource(await createTestDatabase('cs_search'));
    store = new CustomerStore(ds);
    for (let i = 0; i < 25; i++) {
      const [r] = await store.upsert([
        {
          ...upsertInput({
            identities: [
              { type: 'phone', value: `1580000${String(1000 + i * 37)}` },
              { type: 'email', value: `buyer${i}@shop.cn` },
              ...(i === 7 ? [{ type: 'wechat_unionid', value: 'oUnion-Seven' }] : []),
              ...(i === 3 ? [{ type: 'email', value: 'Mei.Lin+news@gmail.com' }] : []),
            ],
            attributes: { name: i % 5 === 0 ? `张伟${i}` : `Customer ${i}` },
          }),
          tags: i % 2 === 0 ? ['even'] : ['odd'],
        },
      ]);
      ids.push(r!.customerId);
    }
    // Several rows share one updated_at to the microsecond: the keyset must still page through them.
    await ds.query(`UPDATE customers SET updated_at = '2026-03-01T00:00:00.123456Z' WHERE id = ANY($1::uuid[])`, [ids.slice(10, 16)]);
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  it('pages through everyone once, newest first', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.searchCustomers({ limit: 4, cursor });
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(7);
    expect(seen).toHaveLength(25);
    expect(new Set(seen)).toEqual(new Set(ids));
  });

  it('returns summaries with identities', async () => {
    const { items } = await store.searchCustomers({ identity: 'wechat_unionid:oUnion-Seven' });
    expect(items).toEqual([
      expect.objectContaining({
        id: ids[7],
        displayName: 'Customer 7',
        stage: 'lead',
        tags: ['odd'],
        identities: [
          { type: 'phone', value: `+8615800001259` },
          { type: 'email', value: 'buyer7@shop.cn' },
          { type: 'wechat_unionid', value: 'oUnion-Seven' },
        ],
      }),
    ]);
  });

  it('finds by any spelling of a phone or e-mail', async () => {
    for (const phone of ['15800001259', '+86 158 0000 1259', '0086-158-0000-1259', '１５８００００１２５９']) {
      expect((await store.searchCustomers({ phone })).items.map((c) => c.id)).toEqual([ids[7]]);
    }
    expect((await store.searchCustomers({ email: ' BUYER7@Shop.CN ' })).items.map((c) => c.id)).toEqual([ids[7]]);
    expect((await store.searchCustomers({ q: '158 0000 1259' })).items.map((c) => c.id)).toEqual([ids[7]]);
    expect((await store.searchCustomers({ q: 'buyer7@shop.cn' })).items.map((c) => c.id)).toEqual([ids[7]]);
  });

  it('finds an e-mail by another form of the same mailbox', async () => {
    for (const email of ['meilin@gmail.com', 'mei.lin@googlemail.com', 'MEILIN+crm@gmail.com', 'meilin@gmial.com']) {
      expect((await store.searchCustomers({ email })).items.map((c) => c.id)).toEqual([ids[3]]);
      expect((await store.searchCustomers({ q: email })).items.map((c) => c.id)).toEqual([ids[3]]);
    }
    expect((await store.searchCustomers({ email: 'meilin@qq.com' })).items).toEqual([]);
  });

  it('finds nobody by a junk or invalid value', async () => {
    expect((await store.searchCustomers({ phone: '13800138000' })).items).toEqual([]);
    expect((await store.searchCustomers({ phone: 'abc' })).items).toEqual([]);
  });

  it('filters by tag and name, and combines filters', async () => {
    expect((await store.searchCustomers({ tag: 'even', limit: 200 })).items).toHaveLength(13);
    const zhang = await store.searchCustomers({ q: '张伟' });
    expect(zhang.items.map((c) => c.displayName).sort()).toEqual(['张伟0', '张伟10', '张伟15', '张伟20', '张伟5']);
    expect((await store.searchCustomers({ q: '张伟', tag: 'odd' })).items.map((c) => c.displayName).sort()).toEqual(['张伟15', '张伟5']);
    expect((await store.searchCustomers({ q: 'customer 1' })).items.length).toBeGreaterThan(0);
    expect((await store.searchCustomers({ q: '%' })).items).toEqual([]);
  });

  it('matches q anywhere in the name, in order, any case, a page at a time', async () => {
    // The character index narrows the rows; the LIKE keeps the order: 伟张 holds the same characters as 张伟.
    expect((await store.searchCustomers({ q: '伟1' })).items.map((c) => c.displayName).sort()).toEqual(['张伟10', '张伟15']);
    expect((await store.searchCustomers({ q: '伟张' })).items).toEqual([]);
    expect((await store.searchCustomers({ q: 'OMER 2' })).items.map((c) => c.displayName).sort()).toEqual(['Customer 2', 'Customer 21', 'Customer 22', 'Customer 23', 'Customer 24']);
    const first = await store.searchCustomers({ q: 'customer', limit: 8 });
    const second = await store.searchCustomers({ q: 'customer', limit: 8, cursor: first.nextCursor! });
    expect(first.items).toHaveLength(8);
    expect(new Set([...first.items, ...second.items].map((c) => c.id)).size).toBe(16);
  });

  it('refuses malformed cursors and identity filters', async () => {
    await expect(store.searchCustomers({ cursor: 'bm9wZQ' })).rejects.toMatchObject({ code: 'invalid_cursor' });
    await expect(store.searchCustomers({ identity: 'no-colon' })).rejects.toMatchObject({ code: 'invalid_query' });
  });

  it('counts live customers', async () => {
    expect(await store.countCustomers()).toBe(25);
  });
});
