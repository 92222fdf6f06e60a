import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../test/support/services.js';
import { openStoreDataSource } from './__fixtures__/store-data-source.js';
import { upsertInput } from './__fixtures__/upsert-input.fixture.js';
import { CustomerStore } from './customer-store.service.js';

// Published codes of real legal entities (valid check characters); the companies named beside them here are made up.
const CODE_A = '91350100M000100Y43';
const CODE_B = '91110000802100433B';
const CODE_C = '91440300708461136T';
const CODE_D = '914403001922038216';

describe('accounts: companies by credit code, else by name', () => {
  let url: string;
  let ds: DataSource;
  let store: CustomerStore;
  const sources: DataSource[] = [];

  beforeAll(async () => {
    url = await createTestDatabase('cs_accounts');
    ds = await openStoreDataSource(url);
    store = new CustomerStore(ds);
  });
  afterAll(async () => {
    await Promise.all(sources.map((s) => s.destroy()));
    await ds?.destroy();
  });

  let phone = 13924681800;
  const save = async (attributes: Record<string, unknown>, on = store) => {
    const [r] = await on.upsert([upsertInput({ identities: [{ type: 'phone', value: String(phone++) }], attributes })]);
    return (await store.getCustomer(r!.customerId))!.account;
  };

  it('keys an account by its credit code, lets a name-only account take its code, and tells same-named companies apart by code', async () => {
    const byName = await save({ name: '周一', company: '云帆网络科技有限公司', city: '上海' });
    expect(byName).toMatchObject({ name: '云帆网络科技有限公司', creditCode: null, city: '上海' });

    // The same company by another spelling, now with its code: the account known by name takes it.
    const coded = await save({ name: '吴二', company: '云帆网络科技', credit_code: '9135 0100 M000 100Y43', industry: '软件' });
    expect(coded).toMatchObject({ id: byName!.id, creditCode: CODE_A, industry: '软件' });

    // The same name with another code is another legal entity.
    const other = await save({ name: '郑三', company: '北京云帆网络科技有限公司', 统一社会信用代码: CODE_B });
    expect(other!.id).not.toBe(byName!.id);
    expect(other).toMatchObject({ creditCode: CODE_B });

    // The code alone finds its company, whatever the name says.
    expect((await save({ name: '王四', company: 'Yunfan Network Technology Co., Ltd.', uscc: CODE_A }))!.id).toBe(byName!.id);

    // A code without a company name makes an account named by the code, renamed by the first name seen with it.
    const bare = await save({ name: '冯五', creditCode: CODE_C });
    expect(bare).toMatchObject({ name: CODE_C, creditCode: CODE_C });
    expect(await save({ name: '陈六', company: '启明星物流有限公司', credit_code: CODE_C })).toMatchObject({ id: bare!.id, name: '启明星物流有限公司' });

    // A mistyped code keys nothing: the name does.
    expect((await save({ name: '褚七', company: '启明星物流', credit_code: '91440300708461136X' }))!.id).toBe(bare!.id);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM accounts WHERE credit_code = '91440300708461136X'`);
    expect(n).toBe(0);
  });

  it('makes one account for one new company named with and without its code in one batch, in either order', async () => {
    const batch = async (company: string, code: string, codeFirst: boolean) => {
      const withCode = upsertInput({ identities: [{ type: 'phone', value: String(phone++) }], attributes: { name: '甲', company, credit_code: code } });
      const without = upsertInput({ identities: [{ type: 'phone', value: String(phone++) }], attributes: { name: '乙', company } });
      const results = await store.upsert(codeFirst ? [withCode, without] : [without, withCode]);
      return Promise.all(results.map(async (r) => (await store.getCustomer(r.customerId))!.account!));
    };
    // Codes no account has yet in this test's database (the second made up, with its check character).
    const [a1, a2] = await batch('天行软件有限公司', '91310000717854505W', true);
    expect(a1!.id).toBe(a2!.id);
    expect(a1).toMatchObject({ creditCode: '91310000717854505W' });
    const [b1, b2] = await batch('北辰文化传媒有限公司', '91330106MA28X5K2YK', false);
    expect(b1!.id).toBe(b2!.id);
    expect(b1).toMatchObject({ creditCode: '91330106MA28X5K2YK', name: '北辰文化传媒有限公司' });
  });

  it('relinks the account when a person edits the company or adds its code by hand', async () => {
    const before = await save({ name: '卫八', company: '星河数据有限公司' });
    const customerId = (await ds.query(`SELECT id FROM customers WHERE account_id = $1`, [before!.id]))[0].id as string;
    const moved = (await store.updateAttributes(customerId, { company: '海纳物流有限公司' }, { actor: 'user:zhou' }))!;
    expect(moved.account).toMatchObject({ name: '海纳物流有限公司' });
    expect(moved.account!.id).not.toBe(before!.id);
    const coded = (await store.updateAttributes(customerId, { credit_code: '91110000802100433B' }, { actor: 'user:zhou' }))!;
    // That code's account (another company's in the test above) is the one it names now.
    const [{ id: owner }] = await ds.query(`SELECT id FROM accounts WHERE credit_code = '91110000802100433B'`);
    expect(coded.account!.id).toBe(owner);
  });

  it('makes one account when people of one new company arrive at once on several workers', async () => {
    const workers = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const w = await openStoreDataSource(url, 3, false);
        sources.push(w);
        return new CustomerStore(w);
      }),
    );
    const people = Array.from({ length: 24 }, (_, i) => ({
      name: `员工${i}`,
      company: i % 2 ? '海纳咨询有限公司' : '海纳咨询',
      ...(i % 3 === 0 ? { credit_code: CODE_D } : {}),
    }));
    const accounts = await Promise.all(people.map((p, i) => save(p, workers[i % 4])));
    expect(new Set(accounts.map((a) => a!.id)).size).toBe(1);
    expect(accounts[0]).toMatchObject({ creditCode: CODE_D });
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM accounts WHERE normalized_name = (SELECT normalized_name FROM accounts WHERE credit_code = $1)`, [CODE_D]);
    expect(n).toBe(1);
  });
});
