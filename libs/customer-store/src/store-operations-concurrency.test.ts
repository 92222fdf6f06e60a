import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../test/support/services.js';
import { openStoreDataSource } from './__fixtures__/store-data-source.js';
import { upsertInput } from './__fixtures__/upsert-input.fixture.js';
import { CustomerStoreError } from './customer-store.errors.js';
import { CustomerStore } from './customer-store.service.js';
import type { AttributeMap } from './customer-store.types.js';
import { customerFields, matchKeysOf } from './record-fields.util.js';
import { STORE_MATCH_CONFIG } from './store-match.config.js';

// Everything that changes customers, at once, on several workers (each a CustomerStore on its
// own DataSource, as separate processes would be): deliveries, manual merges, undos of those
// merges, review decisions, profile edits, erasures and rematches (whole store and changed), all
// on the same few dozen people. The operations may refuse (a customer erased or merged meanwhile:
// not_found, conflict, invalid_input; identity_race after all the store's attempts), but never
// fail otherwise, and the store must end consistent: identities, blocking keys and shares only
// on live customers, no timeline on a tombstone, merge chains that end, merges that are not
// undone still in force, open reviews only between live customers, and every accepted delivery
// on the timeline exactly once.
const WORKERS = 4;
const PEOPLE = 40;

const SURNAMES = ['张', '王', '李', '赵', '刘', '陈'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊'];

function person(i: number) {
  // Pairs of namesakes in one city (i and i + 20): their records meet in the fuzzy rules and queue reviews.
  const k = i % 20;
  return {
    name: `${SURNAMES[k % 6]}${GIVEN[k % 8]}${GIVEN[(k * 3 + 1) % 8]}`,
    phone: `+86139246${String(80_000 + i * 37).padStart(5, '0')}`,
    email: `p${i}@mail${i % 5}.cn`,
    openid: `oA${String(10_000_000 + i * 7_919)}`,
    city: k % 2 ? '上海' : '杭州',
  };
}

function rng(seed: number) {
  let s = seed;
  return () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

/**
 * An expected refusal of a person's operation: its customers were merged, undone or erased by
 * another one meanwhile (not_found, conflict, invalid_input), or kept changing through all the
 * store's attempts (identity_race: the API answers 409 and the person sends it again).
 * Deliveries have no such excuse.
 */
function refused(err: unknown, delivery: boolean): boolean {
  if (!(err instanceof CustomerStoreError)) return false;
  return delivery ? false : ['not_found', 'conflict', 'invalid_input', 'identity_race'].includes(err.code);
}

describe('store operations under concurrency', () => {
  let url: string;
  const sources: DataSource[] = [];

  beforeAll(async () => {
    url = await createTestDatabase('cs_operations_conc');
    sources.push(await openStoreDataSource(url, 2, true));
  });
  afterAll(async () => {
    await Promise.all(sources.map((ds) => ds.destroy()));
  });

  it('merges, undos, review decisions, edits and erasures racing deliveries leave the store consistent', async () => {
    const ds = sources[0]!;
    const workers = await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        const w = await openStoreDataSource(url, 4, false);
        sources.push(w);
        return new CustomerStore(w);
      }),
    );
    const rnd = rng(11);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const worker = () => pick(workers);
    const accepted: string[] = [];
    const failures: string[] = [];
    const counts = { delivered: 0, refused: 0, raced: 0, merges: 0, undone: 0, decided: 0, erased: 0, edited: 0, rematched: 0 };
    const settle = async (op: () => Promise<unknown>, counter?: keyof typeof counts) => {
      try {
        await op();
        if (counter) counts[counter]++;
      } catch (err) {
        if (!refused(err, counter === 'delivered')) failures.push(`${counter ?? 'merge'}: ${String(err)} ${(err as { detail?: string }).detail ?? ''} ${(err as { query?: string }).query?.slice(0, 300) ?? ''}`);
        else if ((err as CustomerStoreError).code === 'identity_race') counts.raced++;
        else counts.refused++;
      }
    };
    const delivery = (seq: number) => {
      const who = Math.floor(rnd() * PEOPLE);
      const p = person(who);
      const kind = rnd();
      const identities =
        kind < 0.3
          ? [{ type: 'phone', value: p.phone }]
          : kind < 0.5
            ? [{ type: 'email', value: p.email }]
            : kind < 0.65
              ? [{ type: 'wechat_openid', value: p.openid }]
              : [
                  { type: 'phone', value: p.phone },
                  { type: 'email', value: p.email },
                  { type: 'wechat_openid', value: p.openid },
                ];
      const input = upsertInput({ identities, attributes: { name: p.name, city: p.city, seq }, event: { type: 'seen', payload: { seq } } });
      return () =>
        worker()
          .upsert([input])
          .then(() => accepted.push(input.idempotencyKey));
    };

    // The people's first records, so the operations below have customers to work on.
    await Promise.all(Array.from({ length: 160 }, (_, n) => settle(delivery(n), 'delivered')));
    const known: string[] = (await ds.query(`SELECT id FROM customers ORDER BY id`)).map((r: { id: string }) => r.id);
    const reviews = (await workers[0]!.listReviews({ limit: 200 })).items.map((r) => r.id);
    expect(known.length).toBeGreaterThan(30);

    // Then all of it at once. Ids come from the list read before: some are merged or erased by the time they are used.
    const ops: Promise<void>[] = [];
    for (let n = 0; n < 360; n++) ops.push(settle(delivery(1_000 + n), 'delivered'));
    // Eight disjoint pairs merged and at once undone, beside merges of random customers (some
    // undone too) that collide with each other and with everything else.
    const paired = known.slice(0, 16);
    const rest = known.slice(16);
    const merges: Promise<void>[] = [];
    const mergeThenUndo = (target: string, others: string[], undo: boolean) =>
      settle(async () => {
        const merged = await worker().mergeCustomers(target, others, { actor: 'ops', reason: 'stress' });
        counts.merges++;
        if (undo) await settle(() => worker().undoMerge(merged.mergeId, { actor: 'ops' }), 'undone');
      });
    for (let n = 0; n < 16; n += 2) merges.push(mergeThenUndo(paired[n]!, [paired[n + 1]!], true));
    for (let n = 0; n < 30; n++) {
      const target = pick(rest);
      const others = (n % 4 ? [pick(rest)] : [pick(rest), pick(rest)]).filter((id) => id !== target);
      if (others.length > 0) merges.push(mergeThenUndo(target, others, rnd() < 0.4));
    }
    for (const id of reviews) ops.push(settle(() => worker().decideReview(id, rnd() < 0.5 ? 'merge' : 'separate', 'user:ops'), 'decided'));
    for (let n = 0; n < 30; n++) {
      const id = pick(known);
      ops.push(settle(() => worker().updateAttributes(id, { name: `${person(n).name}`, city: n % 2 ? '北京' : '上海' }, { actor: 'user:ops' }), 'edited'));
    }
    ops.push(...merges);
    // An erasure takes a whole merged family and leaves its merges nothing to undo: they start
    // once half of the merges have settled, while the rest and the deliveries still run.
    const halfMerged = Promise.all(merges.slice(0, merges.length / 2));
    for (let n = 0; n < 3; n++) {
      const id = pick(rest);
      ops.push(settle(() => halfMerged.then(() => worker().eraseCustomer(id, 'dpo')), 'erased'));
    }
    // Rematches (customer.rematch) on three workers while all of that runs: two of the whole
    // store, and one of the customers changed since a watermark, each resolved as a delivery
    // against customers being merged, edited and erased meanwhile.
    await ds.query(`INSERT INTO rematch_watermarks (key, changed_since) VALUES ('stress/changed', now() - interval '1 hour')`);
    for (const w of [workers[0]!, workers[1]!]) ops.push(settle(() => w.rematch(), 'rematched'));
    ops.push(settle(() => workers[2 % WORKERS]!.rematch({ scope: 'changed', key: 'stress/changed' }), 'rematched'));
    // Interleave: deliveries, merges and the rest are already running together; wait for all.
    await Promise.all(ops);
    const retries = workers.reduce((s, w) => s + w.stats.retries, 0);
    console.info(`store operations under concurrency: ${JSON.stringify(counts)}, ${retries} upsert retries`);

    expect(failures).toEqual([]);
    expect(counts.merges).toBeGreaterThan(10);
    // Some undos are refused by design: an automatic merge or a review decision took the target since ("undo that first").
    expect(counts.undone).toBeGreaterThan(0);
    expect(counts.erased).toBeGreaterThan(0);
    expect(counts.rematched).toBe(3);

    const one = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => ds.query(sql, params);
    // Identities, shares and blocking keys live only on live customers.
    for (const table of ['customer_identities', 'customer_identity_shares', 'customer_match_keys']) {
      expect(await one(`SELECT t.customer_id FROM ${table} t JOIN customers c ON c.id = t.customer_id WHERE c.merged_into IS NOT NULL OR c.erased_at IS NOT NULL`)).toEqual([]);
    }
    // A live customer's blocking keys are exactly those of its profile.
    const live = await one<{ id: string; attributes: AttributeMap; keys: string[] | null }>(
      `SELECT c.id, c.attributes, (SELECT array_agg(k.key ORDER BY k.key) FROM customer_match_keys k WHERE k.customer_id = c.id) AS keys
         FROM customers c WHERE c.merged_into IS NULL AND c.erased_at IS NULL`,
    );
    for (const c of live) expect({ id: c.id, keys: c.keys ?? [] }).toEqual({ id: c.id, keys: [...matchKeysOf(customerFields(c.attributes), STORE_MATCH_CONFIG)].sort() });
    // No timeline on a tombstone: a merge moves it, an undo moves it back.
    expect(await one(`SELECT e.id FROM customer_events e JOIN customers c ON c.id = e.customer_id WHERE c.merged_into IS NOT NULL`)).toEqual([]);
    // Every merge chain ends at a customer merged into nobody.
    const next = new Map((await one<{ id: string; merged_into: string }>(`SELECT id, merged_into FROM customers WHERE merged_into IS NOT NULL`)).map((r) => [r.id, r.merged_into]));
    for (const start of next.keys()) {
      let cur = start;
      for (let hops = 0; next.has(cur); hops++) {
        expect(hops).toBeLessThan(next.size);
        cur = next.get(cur)!;
      }
    }
    // A merge not undone is in force: its sources still point at its target.
    expect(
      await one(
        `SELECT m.id FROM customer_merges m CROSS JOIN LATERAL unnest(m.source_ids) AS s(id) JOIN customers c ON c.id = s.id
          WHERE m.undone_at IS NULL AND c.merged_into IS DISTINCT FROM m.target_id`,
      ),
    ).toEqual([]);
    // Open review items name the customers as they were; followed to their survivors, those are two different live customers.
    const survivor = (id: string) => {
      let cur = id;
      while (next.has(cur)) cur = next.get(cur)!;
      return cur;
    };
    const erased = new Set((await one<{ id: string }>(`SELECT id FROM customers WHERE erased_at IS NOT NULL`)).map((r) => r.id));
    const open = await one<{ id: string; customer_id: string; candidate_id: string }>(`SELECT id, customer_id, candidate_id FROM match_reviews WHERE status = 'pending'`);
    for (const r of open) {
      const [a, b] = [survivor(r.customer_id), survivor(r.candidate_id)];
      expect({ review: r.id, same: a === b, erased: erased.has(a) || erased.has(b) }).toEqual({ review: r.id, same: false, erased: false });
    }
    // Every accepted delivery is on a timeline exactly once.
    const events = await one<{ idempotency_key: string }>(`SELECT idempotency_key FROM customer_events WHERE idempotency_key = ANY($1::text[])`, [accepted]);
    expect(events.length).toBe(accepted.length);
  }, 120_000);
});
