import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../../test/support/services.js';
import { openStoreDataSource } from '../__fixtures__/store-data-source.js';
import { upsertInput } from '../__fixtures__/upsert-input.fixture.js';
import { CustomerStore } from '../customer-store.service.js';
import { compileSegmentDefinition, SqlParams } from './segment-definition.compiler.js';
import { SEGMENT_LOCK, SegmentEvaluator } from './segment.evaluator.js';
import { SegmentService } from './segment.service.js';
import type { SegmentNode } from './segment.types.js';

let phoneSeq = 0;
// Distinct, plausible mobile numbers (the store refuses test and repeated-digit numbers).
const nextPhone = () => `+86139${String(27_000_000 + 7919 * ++phoneSeq).padStart(8, '0')}`;

describe('SegmentEvaluator (real Postgres)', () => {
  let ds: DataSource;
  let ds2: DataSource;
  let store: CustomerStore;
  // Real time, shifted by the tests that jump ahead.
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  let evaluator: SegmentEvaluator;
  let segments: SegmentService;

  beforeAll(async () => {
    const url = await createTestDatabase('seg_eval');
    ds = await openStoreDataSource(url, 8);
    ds2 = await openStoreDataSource(url, 4, false);
    store = new CustomerStore(ds);
    // settleMs 0: every pass also re-reads everything up to now (tests that need the late-commit look set their own).
    evaluator = new SegmentEvaluator(ds, { now, settleMs: 0 });
    segments = new SegmentService(ds, evaluator, now);
  });
  afterAll(async () => {
    await ds2?.destroy();
    await ds?.destroy();
  });

  const customer = async (attributes: Record<string, unknown> = {}) => {
    const [r] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: nextPhone() }], attributes })]);
    return r!.customerId;
  };
  const setScore = (id: string, score: number) => ds.query(`UPDATE customers SET score = $2, updated_at = clock_timestamp() WHERE id = $1`, [id, score]);
  const members = async (segmentId: string) =>
    ((await ds.query(`SELECT customer_id FROM segment_members WHERE segment_id = $1 ORDER BY customer_id`, [segmentId])) as { customer_id: string }[]).map((r) => r.customer_id);
  const changes = async (segmentId: string) =>
    ((await ds.query(`SELECT customer_id, change FROM segment_changes WHERE segment_id = $1 ORDER BY id`, [segmentId])) as { customer_id: string; change: string }[]).map(
      (r) => `${r.change}:${r.customer_id}`,
    );
  const count = async (segmentId: string) => (await segments.get(segmentId))!.memberCount;
  const drain = async (ev = evaluator) => {
    for (let i = 0; i < 50; i++) if (!(await ev.evaluateChanges()).more) return;
  };

  /** Members are exactly the live customers matching, the count agrees, and changes alternate entered/left ending in the current state. */
  const expectConsistent = async (segmentId: string, definition: SegmentNode) => {
    const params = new SqlParams();
    const { sql } = compileSegmentDefinition(definition, params, now());
    const want = ((await ds.query(`SELECT c.id FROM customers c WHERE c.merged_into IS NULL AND c.erased_at IS NULL AND ${sql} ORDER BY c.id`, params.values)) as { id: string }[]).map((r) => r.id);
    const have = await members(segmentId);
    expect(have).toEqual(want);
    expect(await count(segmentId)).toBe(have.length);
    const byCustomer = new Map<string, string[]>();
    for (const c of await changes(segmentId)) {
      const [change, id] = c.split(':') as [string, string];
      byCustomer.set(id, [...(byCustomer.get(id) ?? []), change]);
    }
    for (const [id, seq] of byCustomer) {
      seq.forEach((c, i) => expect(c).toBe(i % 2 === 0 ? 'entered' : 'left'));
      expect(seq[seq.length - 1] === 'entered').toBe(have.includes(id));
    }
    for (const id of have) expect(byCustomer.has(id)).toBe(true);
  };

  it('enters and leaves customers as they change, and counts them', async () => {
    const a = await customer();
    const b = await customer();
    const seg = await segments.create({ id: 'hot', name: 'Hot leads', definition: { field: 'score', op: 'gte', value: 50 } });
    expect(seg.memberCount).toBe(0);
    await setScore(a, 60);
    await drain();
    expect(await members('hot')).toEqual([a]);
    expect(await count('hot')).toBe(1);
    await setScore(b, 70);
    await setScore(a, 10);
    await drain();
    expect(await members('hot')).toEqual([b]);
    expect(await changes('hot')).toEqual([`entered:${a}`, `entered:${b}`, `left:${a}`]);
    expect(await count('hot')).toBe(1);
    // Nothing changed: nothing is written again.
    await drain();
    expect(await changes('hot')).toHaveLength(3);
  });

  it('follows attribute changes written by upserts (RFM top tier)', async () => {
    await segments.create({ id: 'champions', name: 'High value', definition: { field: 'attributes.rfm_segment', op: 'eq', value: 'champions' } });
    const phone = nextPhone();
    const [first] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: phone }], attributes: { rfm_segment: 'loyal' } })]);
    await drain();
    expect(await members('champions')).not.toContain(first!.customerId);
    await store.upsert([upsertInput({ identities: [{ type: 'phone', value: phone }], attributes: { rfm_segment: 'champions' } })]);
    await drain();
    expect(await members('champions')).toContain(first!.customerId);
    await expectConsistent('champions', { field: 'attributes.rfm_segment', op: 'eq', value: 'champions' });
  });

  it('lets customers merged away or erased leave', async () => {
    const definition: SegmentNode = { field: 'tags', op: 'contains', value: 'vip' };
    const [x, y, z] = [await customer(), await customer(), await customer()];
    await ds.query(`UPDATE customers SET tags = ARRAY['vip'], updated_at = clock_timestamp() WHERE id = ANY($1::uuid[])`, [[x, y, z]]);
    await segments.create({ id: 'vip', name: 'VIP', definition });
    expect(await count('vip')).toBe(3);
    await store.mergeCustomers(x, [y], { actor: 'test' });
    await store.eraseCustomer(z, 'test');
    await drain();
    expect(await members('vip')).toEqual([x]);
    expect(await changes('vip')).toEqual(expect.arrayContaining([`left:${y}`, `left:${z}`]));
    expect(await count('vip')).toBe(1);
    await expectConsistent('vip', definition);
  });

  it('moves dormant customers in by the periodic full pass (injected clock)', async () => {
    const definition: SegmentNode = { any: [{ field: 'last_interaction_at', op: 'olderThanDays', value: 90 }, { field: 'last_interaction_at', op: 'notExists' }] };
    const c1 = await customer();
    const c2 = await customer();
    await drain();
    await segments.create({ id: 'dormant', name: 'Dormant', definition });
    expect(await members('dormant')).not.toContain(c1);
    offset = 100 * 86400_000;
    try {
      // Nobody changed: the incremental pass has nothing to look at.
      await drain();
      expect(await members('dormant')).not.toContain(c1);
      const passes = await evaluator.evaluateDue();
      expect(passes.map((p) => p.segmentId)).toContain('dormant');
      expect(await members('dormant')).toEqual(expect.arrayContaining([c1, c2]));
      expect(Date.parse((await segments.get('dormant'))!.evaluatedAt!)).toBeGreaterThan(Date.now() + 99 * 86400_000);
      // Done for this interval; segments without relative conditions wait for the repair interval.
      expect((await evaluator.evaluateDue()).map((p) => p.segmentId)).toEqual([]);
      // A new interaction takes c1 out at once, incrementally.
      await ds.query(`UPDATE customers SET last_interaction_at = $2, updated_at = clock_timestamp() WHERE id = $1`, [c1, now().toISOString()]);
      await drain();
      expect(await members('dormant')).not.toContain(c1);
      await expectConsistent('dormant', definition);
    } finally {
      offset = 0;
    }
  });

  it('catches a change committed behind the watermark on its second look', async () => {
    let t = Date.now();
    const ev = new SegmentEvaluator(ds, { now: () => new Date(t), settleMs: 60_000 });
    const definition: SegmentNode = { field: 'score', op: 'gte', value: 500 };
    const late = await customer();
    const early = await customer();
    await segments.create({ id: 'late', name: 'Late', definition });
    await drain(ev);
    await setScore(early, 600);
    await drain(ev);
    expect(await members('late')).toEqual([early]);
    // A transaction that took its time commits now: its updated_at is behind the watermark (early's).
    await ds.query(`UPDATE customers SET score = 700, updated_at = (SELECT updated_at FROM customers WHERE id = $2) - interval '1 millisecond' WHERE id = $1`, [late, early]);
    await drain(ev);
    expect(await members('late')).toEqual([early]);
    t += 61_000;
    await drain(ev);
    expect((await members('late')).sort()).toEqual([early, late].sort());
    await expectConsistent('late', definition);
  });

  it('runs one evaluator at a time: two at once never write a change twice', async () => {
    const definition: SegmentNode = { field: 'score', op: 'gte', value: 50 };
    const ids: string[] = [];
    for (let i = 0; i < 120; i++) ids.push(await customer());
    await segments.create({ id: 'race', name: 'Race', definition });
    const a = new SegmentEvaluator(ds, { settleMs: 1000, batchSize: 37 });
    const b = new SegmentEvaluator(ds2, { settleMs: 1000, batchSize: 37 });
    let ranA = 0;
    let ranB = 0;
    for (let round = 0; round < 8; round++) {
      const writes = (async () => {
        for (const id of ids) if (Math.random() < 0.3) await setScore(id, Math.floor(Math.random() * 100));
      })();
      const passes = (async () => {
        for (let i = 0; i < 6; i++) {
          const [ra, rb] = await Promise.all([a.evaluateChanges(), b.evaluateChanges()]);
          ranA += ra.ran ? 1 : 0;
          ranB += rb.ran ? 1 : 0;
        }
      })();
      await Promise.all([writes, passes]);
    }
    // Both took part, never at the same time (the lock); once the settle interval passed, all is caught up.
    expect(ranA + ranB).toBeGreaterThan(0);
    await sleep(1100);
    await Promise.all([drain(a), drain(b)]);
    await expectConsistent('race', definition);
  });

  it('skips while another evaluator holds the lock, and carries on after', async () => {
    const id = await customer();
    await setScore(id, 55);
    const holder = ds2.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query(`SELECT pg_advisory_xact_lock($1::bigint)`, [SEGMENT_LOCK]);
      expect(await evaluator.evaluateChanges()).toMatchObject({ ran: false, customers: 0 });
      expect(await evaluator.evaluateDue()).toEqual([]);
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    await drain();
    expect(await members('hot')).toContain(id);
  });

  it('leaves disabled segments alone', async () => {
    const id = await customer();
    await segments.create({ id: 'frozen', name: 'Frozen', definition: { field: 'score', op: 'gte', value: 1 }, enabled: false });
    await setScore(id, 5);
    await drain();
    expect(await members('frozen')).toEqual([]);
    expect(await evaluator.evaluateDue()).not.toContainEqual(expect.objectContaining({ segmentId: 'frozen' }));
  });
});
