import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../test/support/services.js';
import { openStoreDataSource } from './__fixtures__/store-data-source.js';
import { upsertInput } from './__fixtures__/upsert-input.fixture.js';
import { BatchingCustomerStore } from './batching-customer-store.service.js';
import { CustomerStore } from './customer-store.service.js';
import type { StoreUpsertInput, StoreUpsertResult } from './customer-store.types.js';

const WORKERS = 4;

/** The same mainland mobile written the ways people and systems write it. */
function phoneFormats(national: string): string[] {
  const [a, b, c] = [national.slice(0, 3), national.slice(3, 7), national.slice(7)];
  const fullWidth = national.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
  return [
    national,
    `+86 ${a} ${b} ${c}`,
    `0086-${a}-${b}-${c}`,
    fullWidth,
    `${a} ${b} ${c}`,
    `(${a})${b}-${c}`,
    `86${national}`,
    `＋86－${a}－${b}－${c}`,
    `手机：${a}-${b}-${c}`,
    `0${national}`,
  ];
}

function person(i: number) {
  const national = `136${String(10_000_000 + i * 7_919).slice(-8)}`;
  return { i, national, e164: `+86${national}`, email: `person${i}@corp${i % 3}.cn`, unionid: `oUnion_${i}_x` };
}

function shuffle<T>(xs: T[], seed = 42): T[] {
  let s = seed;
  const rnd = () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('BatchingCustomerStore', () => {
  let url: string;
  const sources: DataSource[] = [];
  const open = async (pool: number) => {
    const ds = await openStoreDataSource(url, pool, sources.length === 0);
    sources.push(ds);
    return ds;
  };

  beforeAll(async () => {
    url = await createTestDatabase('cs_batching');
    await open(2);
  });
  afterAll(async () => {
    await Promise.all(sources.map((ds) => ds.destroy()));
  });

  // burst: every call at once (big batches); trickle: calls arrive a few at a time, so many
  // small transactions from different workers contend for the same identities.
  it.each([
    ['burst', 0, 400],
    ['trickle', 40, 4],
  ])('resolves 400 concurrent upserts for 40 people, through separate workers, to exactly 40 customers (%s)', async (mode, base, chunk) => {
    const workers = await Promise.all(
      Array.from({ length: WORKERS }, async () => new BatchingCustomerStore(new CustomerStore(await open(3)), { maxBatchSize: 50, maxDelayMs: 2 })),
    );
    const people = Array.from({ length: 40 }, (_, i) => person(base + i));
    const calls = shuffle(
      people.flatMap((p) =>
        phoneFormats(p.national).map((phone, k) => ({
          p,
          input: upsertInput({
            identities: [
              { type: 'phone', value: phone },
              // Secondary identities arrive on only some of the deliveries.
              ...(k % 2 === 0 ? [{ type: 'email', value: k % 4 === 0 ? p.email.toUpperCase() : p.email }] : []),
              ...(k % 3 === 0 ? [{ type: 'wechat_unionid', value: p.unionid }] : []),
            ],
            attributes: { name: `客户${p.i}`, lastFormat: k },
            event: { type: 'form_submitted' },
            idempotencyKey: `${mode}-${p.i}-${k}:upsert:0`,
          }),
        })),
      ),
    );
    expect(calls).toHaveLength(400);

    const started = performance.now();
    const pending: Promise<StoreUpsertResult[]>[] = [];
    for (let n = 0; n < calls.length; n++) {
      pending.push(workers[n % WORKERS]!.upsert([calls[n]!.input]));
      if ((n + 1) % chunk === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const settled = await Promise.allSettled(pending);
    const elapsed = performance.now() - started;
    const failures = settled.filter((s) => s.status === 'rejected');
    expect(failures).toEqual([]);
    const batches = workers.reduce((n, w) => n + w.stats.batches, 0);
    const retries = workers.reduce((n, w) => n + w.store.stats.retries, 0);
    console.info(
      `${mode}: 400 concurrent upserts for 40 people over ${WORKERS} workers: ${elapsed.toFixed(0)} ms (${((400 / elapsed) * 1000).toFixed(0)}/s), ${batches} batches, ${retries} retries`,
    );
    expect(workers.every((w) => w.stats.fallbacks === 0)).toBe(true);

    const results = settled.map((s) => (s as PromiseFulfilledResult<StoreUpsertResult[]>).value[0]!);
    const ds = sources[0]!;
    const [{ n }] = await ds.query(`SELECT count(DISTINCT customer_id)::int AS n FROM customer_identities WHERE value = ANY($1::text[])`, [
      people.map((p) => p.e164),
    ]);
    expect(n).toBe(40);
    const [{ total }] = await ds.query(`SELECT count(*)::int AS total FROM customers WHERE display_name LIKE '客户%' AND display_name = ANY($1::text[])`, [
      people.map((p) => `客户${p.i}`),
    ]);
    expect(total).toBe(40);
    for (const p of people) {
      const mine = results.filter((_, n) => calls[n]!.p === p);
      expect(new Set(mine.map((r) => r.customerId)).size).toBe(1);
      expect(mine.filter((r) => r.created)).toHaveLength(1);
      expect(mine.flatMap((r) => r.conflicts)).toEqual([]);
      const ids: { type: string; value: string }[] = await ds.query(
        `SELECT type, value FROM customer_identities WHERE customer_id = $1 ORDER BY type`,
        [mine[0]!.customerId],
      );
      expect(ids).toEqual([
        { type: 'email', value: p.email },
        { type: 'phone', value: p.e164 },
        { type: 'wechat_unionid', value: p.unionid },
      ]);
    }
    const [{ events }] = await ds.query(`SELECT count(*)::int AS events FROM customer_events WHERE idempotency_key LIKE $1`, [`${mode}-%`]);
    expect(events).toBe(400);
  });

  it('sustains a larger mixed load', async () => {
    const workers = await Promise.all(
      Array.from({ length: WORKERS }, async () => new BatchingCustomerStore(new CustomerStore(await open(3)))),
    );
    const total = 4000;
    const inputs = shuffle(
      Array.from({ length: total }, (_, n) => {
        const p = person(1000 + (n % 1000));
        return upsertInput({
          identities: [{ type: 'phone', value: phoneFormats(p.national)[n % 10]! }, { type: 'email', value: p.email }],
          attributes: { name: `客户${p.i}`, visits: n, company: `公司${p.i % 50}有限公司` },
          event: { type: 'page_view' },
          idempotencyKey: `load-${n}`,
        });
      }),
      7,
    );
    const started = performance.now();
    await Promise.all(inputs.map((input, n) => workers[n % WORKERS]!.upsert([input])));
    const elapsed = performance.now() - started;
    const batches = workers.reduce((n, w) => n + w.stats.batches, 0);
    const retries = workers.reduce((n, w) => n + w.store.stats.retries, 0);
    console.info(
      `${total} concurrent single-input upserts for 1,000 people over ${WORKERS} workers: ${elapsed.toFixed(0)} ms (${((total / elapsed) * 1000).toFixed(0)}/s), ${batches} batches, ${retries} retries`,
    );
    const [{ n }] = await sources[0]!.query(`SELECT count(*)::int AS n FROM customers c JOIN customer_identities i ON i.customer_id = c.id AND i.type = 'phone' WHERE i.value LIKE '+86136%' AND c.display_name LIKE '客户1%' AND length(c.display_name) = 6`);
    expect(n).toBe(1000);
    const [{ accounts }] = await sources[0]!.query(`SELECT count(*)::int AS accounts FROM accounts WHERE name LIKE '公司%有限公司'`);
    expect(accounts).toBe(50);
  });

  it('fails only the call whose input the database refuses', async () => {
    const ds = sources[0]!;
    // A data error the store cannot foresee (here a trigger of the test's own; in the field a
    // constraint or an extension): not transient, so the batch is replayed input by input.
    await ds.query(`CREATE FUNCTION test_refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.attributes ? 'poison' THEN RAISE EXCEPTION 'poisoned input' USING ERRCODE = '22023'; END IF; RETURN NEW; END $$`);
    await ds.query(`CREATE TRIGGER test_refuse_poison BEFORE INSERT OR UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION test_refuse_poison()`);
    try {
      const batching = new BatchingCustomerStore(new CustomerStore(ds), { maxBatchSize: 100, maxDelayMs: 20 });
      const good = (i: number): StoreUpsertInput => upsertInput({ identities: [{ type: 'phone', value: `1371000${String(i).padStart(4, '0')}` }], attributes: { ok: true } });
      const bad = upsertInput({ identities: [{ type: 'phone', value: '13720000001' }], attributes: { poison: 'yes' } });
      // Text jsonb cannot hold (NUL, half a character) is cleaned when the input is prepared: no refusal.
      const odd = upsertInput({ identities: [{ type: 'phone', value: '13720000002' }], attributes: { note: 'nul \u0000 byte \uD800' } });
      const calls = [batching.upsert([good(1), good(2)]), batching.upsert([bad]), batching.upsert([good(3)]), batching.upsert([odd])];
      const settled = await Promise.allSettled(calls);
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ code: '22023' });
      expect(batching.stats.fallbacks).toBeGreaterThan(0);
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM customer_identities WHERE value IN ('+8613710000001', '+8613710000002', '+8613710000003', '+8613720000001')`);
      expect(n).toBe(3);
      const [{ note }] = await ds.query(`SELECT c.attributes->'note'->>'value' AS note FROM customers c JOIN customer_identities i ON i.customer_id = c.id WHERE i.value = '+8613720000002'`);
      expect(note).toBe('nul  byte \uFFFD');
    } finally {
      await ds.query(`DROP TRIGGER test_refuse_poison ON customers`);
      await ds.query(`DROP FUNCTION test_refuse_poison()`);
    }
  });

  it('rejects an invalid call at once without holding up the others', async () => {
    const batching = new BatchingCustomerStore(new CustomerStore(sources[0]!));
    const invalid = batching.upsert([upsertInput({ identities: [{ type: 'phone', value: '00000000000' }] })]);
    const valid = batching.upsert([upsertInput({ identities: [{ type: 'phone', value: '13730000001' }] })]);
    await expect(invalid).rejects.toMatchObject({ code: 'no_usable_identity' });
    await expect(valid).resolves.toEqual([expect.objectContaining({ created: true })]);
    await batching.flush();
  });

  it('splits big calls across batches and keeps each call whole', async () => {
    const batching = new BatchingCustomerStore(new CustomerStore(sources[0]!), { maxBatchSize: 10 });
    const big = Array.from({ length: 25 }, (_, i) => upsertInput({ identities: [{ type: 'email', value: `big${i}@corp.cn` }] }));
    const small = [upsertInput({ identities: [{ type: 'email', value: 'small@corp.cn' }] })];
    const [a, b] = await Promise.all([batching.upsert(big), batching.upsert(small)]);
    expect(a).toHaveLength(25);
    expect(b).toHaveLength(1);
    expect(a!.every((r) => r.created)).toBe(true);
    await batching.flush();
  });
});
