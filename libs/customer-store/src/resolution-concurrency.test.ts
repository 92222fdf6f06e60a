import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../test/support/services.js';
import { openStoreDataSource } from './__fixtures__/store-data-source.js';
import { upsertInput } from './__fixtures__/upsert-input.fixture.js';
import { BatchingCustomerStore } from './batching-customer-store.service.js';
import { CustomerStore } from './customer-store.service.js';
import type { StoreUpsertInput } from './customer-store.types.js';

// Several workers (each a CustomerStore on its own DataSource, as separate processes would
// be) resolve hundreds of concurrent records of a few dozen people. A record carries only
// some identifiers: phone only, e-mail only, or both, plus the person's profile. A phone-only
// and an e-mail-only record of one person share no identifier: they meet through the fuzzy
// rules (name + company + city), serialized by the blocking keys' locks.
const WORKERS = 4;
const PEOPLE = 40;
const RECORDS = 600;

const SURNAMES = ['张', '王', '李', '赵', '刘', '陈', '杨', '黄', '周', '吴'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋'];

function person(i: number) {
  const name = `${SURNAMES[i % 10]}${GIVEN[Math.floor(i / 10) % 10]}${GIVEN[(i * 3 + 1) % 10]}`;
  return {
    name,
    phone: `+86137${String(20_000_000 + i * 7_919).slice(-8)}`,
    email: `p${i}@corp${i}.cn`,
    company: `${['云帆', '星河', '启明', '天行', '海纳'][i % 5]}${['科技', '贸易', '咨询', '物流'][Math.floor(i / 5) % 4]}${i}号有限公司`,
    city: '上海',
  };
}

function rng(seed: number) {
  let s = seed;
  return () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

function records(seed: number): { who: number; input: StoreUpsertInput }[] {
  const rnd = rng(seed);
  return Array.from({ length: RECORDS }, (_, n) => {
    const who = Math.floor(rnd() * PEOPLE);
    const p = person(who);
    const kind = rnd();
    const identities = kind < 0.35 ? [{ type: 'phone', value: p.phone }] : kind < 0.7 ? [{ type: 'email', value: p.email }] : [{ type: 'email', value: p.email }, { type: 'phone', value: p.phone }];
    return { who, input: upsertInput({ identities, attributes: { name: p.name, company: p.company, city: p.city, seq: n }, event: { type: 'seen' } }) };
  });
}

describe('resolution under concurrency', () => {
  let url: string;
  const sources: DataSource[] = [];
  const open = async (pool: number, migrate: boolean) => {
    const ds = await openStoreDataSource(url, pool, migrate);
    sources.push(ds);
    return ds;
  };

  beforeAll(async () => {
    url = await createTestDatabase('cs_resolution_conc');
    await open(2, true);
  });
  afterAll(async () => {
    await Promise.all(sources.map((ds) => ds.destroy()));
  });

  /**
   * Every record of one person landed on one customer (`customerIds`, in record order), no two
   * people share one, and no other customer is live. The customers by person.
   */
  const onePerPerson = async (ds: DataSource, recs: { who: number }[], customerIds: string[]): Promise<Map<number, Set<string>>> => {
    const byPerson = new Map<number, Set<string>>();
    recs.forEach((r, n) => byPerson.set(r.who, (byPerson.get(r.who) ?? new Set<string>()).add(customerIds[n]!)));
    for (const set of byPerson.values()) expect(set.size).toBe(1);
    const all = [...byPerson.values()].map((s) => [...s][0]);
    expect(new Set(all).size).toBe(byPerson.size);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM customers WHERE merged_into IS NULL AND erased_at IS NULL`);
    expect(n).toBe(byPerson.size);
    return byPerson;
  };

  const check = async (ds: DataSource, recs: { who: number }[], results: { customerId: string }[]) => {
    const byPerson = await onePerPerson(ds, recs, results.map((r) => r.customerId));
    // Each person's phone and e-mail, whichever records carried them, belong to that customer.
    for (const [who, set] of byPerson) {
      const p = person(who);
      const rows: { customer_id: string }[] = await ds.query(
        `SELECT customer_id FROM customer_identities WHERE (type, value) IN (('phone', $1), ('email', $2))`,
        [p.phone, p.email],
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(r.customer_id).toBe([...set][0]);
    }
  };

  it.each([
    ['single-input transactions', false],
    ['batched transactions', true],
  ])('%s: 600 records for 40 people over 4 workers resolve to exactly one customer per person', async (mode, batched) => {
    await sources[0]!.query(`TRUNCATE customers, customer_identities, customer_events, customer_match_keys, customer_identity_shares, match_reviews CASCADE`);
    const workers = await Promise.all(Array.from({ length: WORKERS }, async () => new CustomerStore(await open(4, false))));
    const ports = workers.map((w) => (batched ? new BatchingCustomerStore(w, { maxBatchSize: 25, maxDelayMs: 2 }) : w));
    const recs = records(batched ? 7 : 3);
    const started = performance.now();
    const results = await Promise.all(recs.map((r, n) => ports[n % WORKERS]!.upsert([r.input]).then((x) => x[0]!)));
    const elapsed = performance.now() - started;
    const retries = workers.reduce((n, w) => n + w.stats.retries, 0);
    const transactions = workers.reduce((n, w) => n + w.stats.transactions, 0);
    const reviews = results.filter((r) => r.resolution.kind === 'review').length;
    const fuzzy = results.filter((r) => r.resolution.reasons[0]?.rule === 'fuzzy').length;
    console.info(
      `${mode}: ${RECORDS} concurrent records for ${PEOPLE} people over ${WORKERS} workers: ${elapsed.toFixed(0)} ms (${((RECORDS / elapsed) * 1000).toFixed(0)}/s), ${transactions} transactions, ${retries} retries, ${fuzzy} fuzzy links, ${reviews} reviews`,
    );
    await check(sources[0]!, recs, results);
    expect(reviews).toBe(0);
  });

  it('aliases of one mailbox arriving at once on several workers make one customer', async () => {
    // E-mail only, no profile: nothing but the match key (gmail dots and +tags, a mistyped
    // provider domain) and its lock can bring the forms together.
    await sources[0]!.query(`TRUNCATE customers, customer_identities, customer_events, customer_match_keys, customer_identity_shares, match_reviews CASCADE`);
    const workers = await Promise.all(Array.from({ length: WORKERS }, async () => new CustomerStore(await open(4, false))));
    const forms = (i: number) => [`mei.lin${i}@gmail.com`, `meilin${i}@gmail.com`, `Mei.Lin${i}+crm@googlemail.com`, `meilin${i}@gmial.com`, `lin.mei${i}@163.com`, `lin.mei${i}@163.con`];
    const rnd = rng(11);
    const recs = Array.from({ length: 240 }, () => {
      const who = Math.floor(rnd() * 20);
      const all = forms(who);
      // Each person's two mailboxes never meet in one record: they are two customers' worth of evidence.
      const box = rnd() < 0.67 ? all.slice(0, 4) : all.slice(4);
      const value = box[Math.floor(rnd() * box.length)]!;
      return { who: who * 2 + (box.length === 4 ? 0 : 1), input: upsertInput({ identities: [{ type: 'email', value }], event: { type: 'seen' } }) };
    });
    const results = await Promise.all(recs.map((r, n) => workers[n % WORKERS]!.upsert([r.input]).then((x) => x[0]!)));
    const byBox = new Map<number, Set<string>>();
    recs.forEach((r, n) => byBox.set(r.who, (byBox.get(r.who) ?? new Set()).add(results[n]!.customerId)));
    for (const set of byBox.values()) expect(set.size).toBe(1);
    expect(new Set([...byBox.values()].map((s) => [...s][0])).size).toBe(byBox.size);
    const [{ n }] = await sources[0]!.query(`SELECT count(*)::int AS n FROM customers WHERE merged_into IS NULL AND erased_at IS NULL`);
    expect(n).toBe(byBox.size);
  });

  it('bridge merges under concurrency: phone-only and e-mail-only customers of one person end as one', async () => {
    // No city or company: nothing fuzzy joins a phone-only and an e-mail-only record, only a
    // record carrying both (each person has at least one), which merges their customers. Four
    // workers at once: merges and upserts meet on the same customers.
    await sources[0]!.query(`TRUNCATE customers, customer_identities, customer_events, customer_match_keys, customer_identity_shares, match_reviews, customer_merges CASCADE`);
    const workers = await Promise.all(Array.from({ length: WORKERS }, async () => new CustomerStore(await open(4, false))));
    const rnd = rng(23);
    const who = (n: number) => (n < PEOPLE ? n : Math.floor(rnd() * PEOPLE));
    const recs = Array.from({ length: 320 }, (_, n) => {
      const w = who(n);
      const p = person(w);
      const kind = n < PEOPLE ? 0.9 : rnd();
      const identities = kind < 0.4 ? [{ type: 'phone', value: p.phone }] : kind < 0.8 ? [{ type: 'email', value: p.email }] : [{ type: 'phone', value: p.phone }, { type: 'email', value: p.email }];
      return { who: w, input: upsertInput({ identities, attributes: { name: p.name }, event: { type: 'seen' } }) };
    });
    // The bridging records are spread through the run, not first.
    for (let i = recs.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [recs[i], recs[j]] = [recs[j]!, recs[i]!];
    }
    const results = await Promise.all(recs.map((r, n) => workers[n % WORKERS]!.upsert([r.input]).then((x) => x[0]!)));
    const merged = new Map<string, string>(
      (await sources[0]!.query(`SELECT id, merged_into FROM customers WHERE merged_into IS NOT NULL`)).map((r: { id: string; merged_into: string }) => [r.id, r.merged_into]),
    );
    const survivor = (id: string) => {
      let cur = id;
      for (let i = 0; i < 20 && merged.has(cur); i++) cur = merged.get(cur)!;
      return cur;
    };
    const byPerson = await onePerPerson(sources[0]!, recs, results.map((r) => survivor(r.customerId)));
    // Every identity and every timeline event is with its person's survivor.
    for (const [w, set] of byPerson) {
      const p = person(w);
      const owners: { customer_id: string }[] = await sources[0]!.query(
        `SELECT customer_id FROM customer_identities WHERE (type, value) IN (('phone', $1), ('email', $2))`,
        [p.phone, p.email],
      );
      expect(owners).toHaveLength(2);
      for (const o of owners) expect(o.customer_id).toBe([...set][0]);
    }
    const [{ events }] = await sources[0]!.query(`SELECT count(*)::int AS events FROM customer_events e JOIN customers c ON c.id = e.customer_id WHERE c.merged_into IS NULL`);
    expect(events).toBe(recs.length);
    const retries = workers.reduce((k, w) => k + w.stats.retries, 0);
    console.info(`bridge merges: ${recs.length} concurrent records for ${PEOPLE} people over ${WORKERS} workers, ${merged.size} merges, ${retries} retries`);
  });

  it('orders with only a masked phone, arriving at once on several workers, make one customer per person', async () => {
    await sources[0]!.query(`TRUNCATE customers, customer_identities, customer_events, customer_match_keys, customer_identity_shares, match_reviews, customer_merges CASCADE`);
    const workers = await Promise.all(Array.from({ length: WORKERS }, async () => new CustomerStore(await open(4, false))));
    const rnd = rng(31);
    const recs = Array.from({ length: 200 }, () => {
      const w = Math.floor(rnd() * 20);
      const p = person(w);
      const national = p.phone.slice(3);
      const masked = `${national.slice(0, 3)}****${national.slice(7)}`;
      return { who: w, input: upsertInput({ identities: [{ type: 'phone', value: masked }], attributes: { name: p.name, city: p.city }, event: { type: 'order_placed' } }) };
    });
    const results = await Promise.all(recs.map((r, n) => workers[n % WORKERS]!.upsert([r.input]).then((x) => x[0]!)));
    await onePerPerson(sources[0]!, recs, results.map((r) => r.customerId));
    expect(results.every((r) => r.resolution.reasons[0]?.rule === 'profile')).toBe(true);
  });

  it('form leads without any identifier, arriving at once on several workers, make one customer per person', async () => {
    await sources[0]!.query(`TRUNCATE customers, customer_identities, customer_events, customer_match_keys, customer_identity_shares, match_reviews, customer_merges CASCADE`);
    const workers = await Promise.all(Array.from({ length: WORKERS }, async () => new CustomerStore(await open(4, false))));
    const rnd = rng(47);
    // A name, a company and a city (5 + 3 + 1, the merge score) and no phone or e-mail: the same form submitted again, from several places.
    const recs = Array.from({ length: 200 }, () => {
      const w = Math.floor(rnd() * 20);
      const p = person(w);
      return { who: w, input: upsertInput({ identities: [{ type: 'email', value: 'n/a' }], attributes: { name: p.name, company: p.company, city: p.city }, event: { type: 'form_submitted' } }) };
    });
    const results = await Promise.all(recs.map((r, n) => workers[n % WORKERS]!.upsert([r.input]).then((x) => x[0]!)));
    const byPerson = await onePerPerson(sources[0]!, recs, results.map((r) => r.customerId));
    expect(results.filter((r) => r.created)).toHaveLength(byPerson.size);
    expect(results.every((r) => r.resolution.reasons[0]?.rule === 'profile')).toBe(true);
  });
});
