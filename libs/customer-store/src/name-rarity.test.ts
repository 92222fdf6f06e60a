import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../test/support/services.js';
import { openStoreDataSource } from './__fixtures__/store-data-source.js';
import { upsertInput } from './__fixtures__/upsert-input.fixture.js';
import { CustomerStore } from './customer-store.service.js';
import type { MatchConfig } from './matching/index.js';
import { RarityKeys1764270000000 } from './migrations/1764270000000-rarity-keys.migration.js';
import { RARITY_KEY_PREFIX } from './record-fields.util.js';
import { STORE_MATCH_CONFIG } from './store-match.config.js';

/** The store's rules with the name's rare bonus set to `rare`, and its common penalty to `common` (none by default). */
function withRare(rare: { maxRecords: number; bonus: number; maxShare?: number }, common?: { minRecords: number; minShare: number; manyRecords: number; penalty: number }): MatchConfig {
  return {
    ...STORE_MATCH_CONFIG,
    fuzzy: {
      ...STORE_MATCH_CONFIG.fuzzy,
      fields: STORE_MATCH_CONFIG.fuzzy.fields.map((f) => {
        if (f.field !== 'name') return f;
        const { common: _default, ...rest } = f;
        return common ? { ...rest, rare, common } : { ...rest, rare };
      }),
    },
  };
}

// The rare bonus on the real store: a name few customers hold, as counted in customer_match_keys,
// turns name + city from a review into a match; a common one, or one the store is too young to
// judge (maxShare), does not.
describe('name rarity in CustomerStore.upsert', () => {
  let ds: DataSource;
  let clock = new Date('2026-05-01T08:00:00.000Z');
  const now = () => (clock = new Date(clock.getTime() + 1000));
  // Mailboxes far apart (email_near links those one slip apart).
  const WORDS = ['amber', 'birch', 'cedar', 'dunes', 'ember', 'fjord', 'grove', 'heron', 'ivory', 'jasper', 'kelp', 'lotus', 'maple', 'nectar', 'orchid', 'pebble', 'quartz'];
  const email = (n: number) => ({ type: 'email', value: `${WORDS[n]}.rarity@corp-mail.cn` });
  const ruleOf = (r: { resolution: { reasons: { rule: string }[] } }) => r.resolution.reasons.map((x) => x.rule);

  beforeAll(async () => {
    ds = await openStoreDataSource(await createTestDatabase('cs_name_rarity'));
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  it('matches a name held by few customers on name and city alone, and counts every reading of it', async () => {
    const store = new CustomerStore(ds, { now, matchConfig: withRare({ maxRecords: 2, bonus: 2 }) });
    const [a] = await store.upsert([upsertInput({ identities: [email(1)], attributes: { name: '诸葛云澜', city: '杭州' } })]);
    // Nothing shared but the name (another script) and the city: 5 + 2 (rare) + 1 reaches the merge threshold.
    const [b] = await store.upsert([upsertInput({ identities: [email(2)], attributes: { name: '諸葛雲瀾', city: '杭州市' } })]);
    expect(b).toMatchObject({ customerId: a!.customerId, created: false });
    expect(ruleOf(b!)).toEqual(expect.arrayContaining(['fuzzy', 'fuzzy:rare']));
    expect(b!.resolution.reasons.find((x) => x.rule === 'fuzzy:rare')!.detail).toMatch(/1 holders/);

    // Three customers read wang fang (two Han spellings and a pinyin one), in three cities.
    for (const [n, name, city] of [
      [3, '王芳', '北京'],
      [4, '汪芳', '上海'],
      [5, 'Wang Fang', '广州'],
    ] as const) {
      const [r] = await store.upsert([upsertInput({ identities: [email(n)], attributes: { name, city } })]);
      expect(r!.created).toBe(true);
    }
    const keys: { key: string }[] = await ds.query(`SELECT key FROM customer_match_keys WHERE starts_with(key, $1) ORDER BY key`, [RARITY_KEY_PREFIX]);
    expect(keys.map((k) => k.key)).toEqual([`${RARITY_KEY_PREFIX}name\u0001\u0001wangfang`, `${RARITY_KEY_PREFIX}name\u0001\u0001wangfang`, `${RARITY_KEY_PREFIX}name\u0001\u0001wangfang`, `${RARITY_KEY_PREFIX}name\u0001\u0001zhugeyunlan`]);
    // 王芳 in 北京 again: three holders are more than two, so name + city stays a review.
    const [c] = await store.upsert([upsertInput({ identities: [email(6)], attributes: { name: '王芳', city: '北京' } })]);
    expect(c!.resolution.kind).toBe('review');
    expect(ruleOf(c!)).not.toContain('fuzzy:rare');
  });

  it('calls a name rare only while its holders are at most maxShare of the store', async () => {
    // A store of at least 200 customers (ANALYZE makes the planner's count exact).
    await ds.query(`INSERT INTO customers (id) SELECT gen_random_uuid() FROM generate_series(1, 200)`);
    await ds.query(`ANALYZE customers`);
    const seed = new CustomerStore(ds, { now });
    const [a] = await seed.upsert([upsertInput({ identities: [email(10)], attributes: { name: '上官若曦', city: '成都' } })]);

    // One holder in 200+ customers is more than 1 in 1,000: too young a store to call it rare.
    const young = new CustomerStore(ds, { now, matchConfig: withRare({ maxRecords: 6, bonus: 2, maxShare: 1 / 1_000 }) });
    const [b] = await young.upsert([upsertInput({ identities: [email(11)], attributes: { name: '上官若曦', city: '成都' } })]);
    expect(b!.resolution).toMatchObject({ kind: 'review', targetId: a!.customerId });

    // At 1 in 100 it is.
    const grown = new CustomerStore(ds, { now, matchConfig: withRare({ maxRecords: 6, bonus: 2, maxShare: 1 / 100 }) });
    const [c] = await grown.upsert([upsertInput({ identities: [email(12)], attributes: { name: '上官若曦', city: '成都' } })]);
    expect(c!.resolution.kind).toBe('matched');
    expect(ruleOf(c!)).toContain('fuzzy:rare');
    expect([a!.customerId, b!.customerId]).toContain(c!.customerId);
  });

  it('takes the common penalty from a name many customers hold: name and city alone no longer make a review', async () => {
    const holders: { n: number }[] = await ds.query(`SELECT count(*)::int AS n FROM customer_match_keys WHERE key = $1`, [`${RARITY_KEY_PREFIX}name\u0001\u0001wangfang`]);
    expect(holders[0]!.n).toBeGreaterThanOrEqual(3); // the first test's 王芳, 汪芳, Wang Fang (and its review's 王芳)
    const penalised = new CustomerStore(ds, { now, matchConfig: withRare({ maxRecords: 2, bonus: 2 }, { minRecords: 3, minShare: 1 / 1_000, manyRecords: 100, penalty: 2 }) });
    // Name (+5 −2) and city (+1): 4, below the review threshold. Without the penalty it was a review (first test).
    const [a] = await penalised.upsert([upsertInput({ identities: [email(13)], attributes: { name: '王芳', city: '北京' } })]);
    expect(a!.resolution.kind).toBe('new');
    // With the same company as well (+3): 7, a review that names the penalty.
    const [x] = await penalised.upsert([upsertInput({ identities: [email(14)], attributes: { name: '王芳', city: '上海', company: '上海华信科技有限公司' } })]);
    const [b] = await penalised.upsert([upsertInput({ identities: [email(15)], attributes: { name: '王芳', city: '上海', company: '华信科技' } })]);
    expect(b!.resolution).toMatchObject({ kind: 'review', targetId: x!.customerId, score: 7 });
    expect(b!.resolution.reasons.find((r) => r.rule === 'fuzzy:common')!.detail).toMatch(/is common \(\d+ holders of \d+, −2\)/);
    // A store too small for its share (1 in 10 of ~200 customers is 20 holders): no penalty, a review again.
    const young = new CustomerStore(ds, { now, matchConfig: withRare({ maxRecords: 2, bonus: 2 }, { minRecords: 3, minShare: 1 / 10, manyRecords: 100, penalty: 2 }) });
    const [c] = await young.upsert([upsertInput({ identities: [email(16)], attributes: { name: '王芳', city: '北京' } })]);
    expect(c!.resolution.kind).toBe('review');
    expect(c!.resolution.reasons.map((r) => r.rule)).not.toContain('fuzzy:common');
  });

  it('writes the rarity keys of the customers stored before, live ones only (migration)', async () => {
    const ids = ['019d0000-0000-7000-8000-0000000000a1', '019d0000-0000-7000-8000-0000000000a2', '019d0000-0000-7000-8000-0000000000a3'];
    const attrs = (name: string) => JSON.stringify({ name: { value: name, source: 'pos', observedAt: '2026-01-01T00:00:00.000Z' } });
    await ds.query(`INSERT INTO customers (id, attributes) VALUES ($1, $2::jsonb)`, [ids[0], attrs('欧阳明轩')]);
    await ds.query(`INSERT INTO customers (id, attributes, merged_into) VALUES ($1, $2::jsonb, $3)`, [ids[1], attrs('欧阳明轩'), ids[0]]);
    await ds.query(`INSERT INTO customers (id, attributes) VALUES ($1, $2::jsonb)`, [ids[2], attrs('小欧')]);
    const q = ds.createQueryRunner();
    try {
      await new RarityKeys1764270000000().up(q);
      await new RarityKeys1764270000000().up(q); // again: nothing doubles
    } finally {
      await q.release();
    }
    const keys: { customer_id: string; key: string }[] = await ds.query(`SELECT customer_id, key FROM customer_match_keys WHERE customer_id = ANY($1::uuid[])`, [ids]);
    // The merged customer counts through its survivor; a nickname is no name.
    expect(keys).toEqual([{ customer_id: ids[0], key: `${RARITY_KEY_PREFIX}name\u0001\u0001ouyangmingxuan` }]);
  });
});
