import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../test/support/services.js';
import { openStoreDataSource } from './__fixtures__/store-data-source.js';
import { upsertInput } from './__fixtures__/upsert-input.fixture.js';
import { CustomerStore } from './customer-store.service.js';
import { lockKey } from './util/lock-key.util.js';

// The store resolves each delivery when it arrives, against the candidates its blocking keys
// find then. A customer whose profile is completed later (the company from the next order) is
// never compared again: rematch compares every live customer with every other.
describe('CustomerStore.rematch', () => {
  let ds: DataSource;
  let store: CustomerStore;

  beforeAll(async () => {
    ds = await openStoreDataSource(await createTestDatabase('cs_rematch'));
    store = new CustomerStore(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  /** One person as two customers: a phone with the full profile, then an e-mail whose company and city arrive with a later record. */
  const twoHalves = async (phone: string, email: string, name: string, company: string, city: string) => {
    const [a] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: phone }], attributes: { name, company, city } })]);
    const [b] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: email }], attributes: { name } })]);
    const [b2] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: email }], attributes: { company, city } })]);
    expect(b2!.customerId).toBe(b!.customerId);
    expect(b!.customerId).not.toBe(a!.customerId);
    return { a: a!.customerId, b: b!.customerId };
  };
  const pendingBetween = async (x: string, y: string) =>
    (await ds.query(
      `SELECT id, score, reasons FROM match_reviews WHERE status = 'pending' AND LEAST(customer_id, candidate_id) = LEAST($1::uuid, $2::uuid) AND GREATEST(customer_id, candidate_id) = GREATEST($1::uuid, $2::uuid)`,
      [x, y],
    )) as { id: string; score: number; reasons: { rule: string; detail: string }[] }[];

  it('queues, merges what is certain, respects separations, and repeats nothing when run again', async () => {
    const one = await twoHalves('13924681501', 'mingxuan.oy@yunfan.cn', '欧阳明轩', '云帆网络科技有限公司', '上海');
    const two = await twoHalves('13924681502', 'sun.yq@qiming.cn', '孙雨晴', '启明星咨询有限公司', '杭州');
    // Someone unrelated in the same city: compared, never linked.
    await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924681503' }], attributes: { name: '赵志强', company: '海纳物流有限公司', city: '上海' } })]);

    // Counted only.
    const dry = await store.rematch({ dryRun: true });
    expect(dry).toMatchObject({ customers: 5, links: 2, merged: 2, queued: 0 });
    expect(await pendingBetween(one.a, one.b)).toEqual([]);

    // Reviews only: each pair queued once, with the rules' reasons.
    const queued = await store.rematch({ merge: 'none' });
    expect(queued).toMatchObject({ customers: 5, links: 2, merged: 0, queued: 2, skipped: 0 });
    const [item] = await pendingBetween(one.a, one.b);
    expect(item!.reasons[0]).toMatchObject({ rule: 'rematch', detail: expect.stringContaining('store rematch: fuzzy') });
    expect(item!.reasons.map((r) => r.rule)).toEqual(expect.arrayContaining(['rematch', 'fuzzy']));
    expect(item!.score).toBeGreaterThan(0);
    expect(await store.rematch({ merge: 'none' })).toMatchObject({ links: 2, queued: 0 });

    // The queue shows what the rematch queued on its own.
    const rematched = await store.listReviews({ rule: 'rematch' });
    expect(rematched.items.map((i) => i.id).sort()).toEqual([item!.id, (await pendingBetween(two.a, two.b))[0]!.id].sort());
    expect((await store.listReviews({ rule: 'conflict:email' })).items).toEqual([]);
    await expect(store.listReviews({ rule: "x' OR 1=1" })).rejects.toMatchObject({ code: 'invalid_query' });

    // A person tells the second pair apart (several decisions at once: one that cannot be made says why): never merged, never queued again.
    const [other] = await pendingBetween(two.a, two.b);
    const decided = await store.decideReviews(
      [
        { id: other!.id, decision: 'separate' },
        { id: '00000000-0000-0000-0000-000000000000', decision: 'merge' },
        { id: other!.id, decision: 'merge' },
      ],
      'user:zhou',
    );
    expect(decided.map((d) => (d.ok ? 'ok' : d.error.code))).toEqual(['ok', 'not_found', 'conflict']);
    await expect(store.decideReviews([], 'user:zhou')).rejects.toMatchObject({ code: 'invalid_input' });

    const merged = await store.rematch();
    expect(merged).toMatchObject({ customers: 5, links: 2, merged: 1, queued: 0, skipped: 1 });
    expect(merged.merges).toEqual([{ mergeId: expect.any(String), targetId: one.a, sourceIds: [one.b] }]);
    const view = (await store.getCustomer(one.a))!;
    expect(view.identities.map((i) => i.value).sort()).toEqual(['+8613924681501', 'mingxuan.oy@yunfan.cn']);
    // The merge closed the item it made moot, and is audited as the rematch's.
    expect(await pendingBetween(one.a, one.b)).toEqual([]);
    const [audit] = await ds.query(`SELECT actor, details FROM audit_log WHERE action = 'customer.merged' AND entity_id = $1`, [one.a]);
    expect(audit).toMatchObject({ actor: 'system:rematch', details: { reason: { rule: 'rematch' } } });
    expect((await store.getCustomer(two.b))!.mergedInto ?? null).toBeNull();

    // Again: the merged pair is one record now, the separated one stays apart.
    expect(await store.rematch()).toMatchObject({ customers: 4, links: 1, merged: 0, queued: 0, skipped: 1 });

    // The merge is undoable like any other.
    await store.undoMerge(merged.merges[0]!.mergeId, { actor: 'user:zhou' });
    expect((await store.getCustomer(one.b))!.mergedInto ?? null).toBeNull();
  });

  it('refuses a bad mode', async () => {
    await expect(store.rematch({ merge: 'all' as never })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(store.rematch({ scope: 'some' as never })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(store.rematch({ scope: 'changed' })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('key') });
  });
});

// Scope `changed`: only the customers changed since the key's last run, each resolved the way a
// delivery is, against every other customer; memory is a page, not the store.
describe('CustomerStore.rematch, scope changed', () => {
  let ds: DataSource;
  let store: CustomerStore;
  let clock = Date.parse('2026-03-01T00:00:00Z');
  const at = (iso: string) => (clock = Date.parse(iso));

  beforeAll(async () => {
    ds = await openStoreDataSource(await createTestDatabase('cs_rematch_changed'));
    store = new CustomerStore(ds, { now: () => new Date(clock) });
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  /** The first half is the older customer: a merge keeps it. */
  const twoHalves = async (phone: string, email: string, name: string, company: string, city: string) => {
    const [a] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: phone }], attributes: { name, company, city } })]);
    clock += 1000;
    const [b] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: email }], attributes: { name } })]);
    await store.upsert([upsertInput({ identities: [{ type: 'email', value: email }], attributes: { company, city } })]);
    expect(b!.customerId).not.toBe(a!.customerId);
    return { a: a!.customerId, b: b!.customerId };
  };
  const mergedInto = async (id: string) => (await store.getCustomer(id))!.mergedInto ?? null;
  const pending = async () => Number((await ds.query(`SELECT count(*) AS n FROM match_reviews WHERE status = 'pending'`))[0].n);

  it('compares all on its first run, then only what changed since; its watermark is per key and a dry run leaves it', async () => {
    at('2026-03-01T08:00:00Z');
    const old = await twoHalves('13924681701', 'lin.xy@haina.cn', '林晓云', '海纳物流有限公司', '宁波');

    // First run of this key: no watermark yet, so every customer is compared (as scope all).
    at('2026-03-01T09:00:00Z');
    const first = await store.rematch({ scope: 'changed', key: 'nightly/rematch', merge: 'none' });
    expect(first).toMatchObject({ scope: 'all', customers: 2, links: 1, merged: 0, queued: 1 });
    expect(first.changedSince).toBeUndefined();
    expect(await pending()).toBe(1);

    // A day later: a second person's halves, and someone unrelated in the same city.
    at('2026-03-02T08:00:00Z');
    const fresh = await twoHalves('13924681702', 'he.jm@xingchen.cn', '贺佳明', '星辰软件有限公司', '宁波');
    const [loner] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924681703' }], attributes: { name: '钱芳', company: '星辰软件有限公司', city: '宁波' } })]);
    // A name and a city in common, nothing else: between the thresholds, a review (the e-mail's
    // customer had no city when it arrived, so it had no candidate then).
    const [r1] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924681704' }], attributes: { name: '欧阳明轩', company: '云帆网络科技有限公司', city: '上海' } })]);
    const [r2] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'mx.work@qq.com' }], attributes: { name: '欧阳明轩' } })]);
    await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'mx.work@qq.com' }], attributes: { city: '上海' } })]);
    expect(r2!.customerId).not.toBe(r1!.customerId);

    at('2026-03-02T09:00:00Z');
    const dry = await store.rematch({ scope: 'changed', key: 'nightly/rematch', dryRun: true });
    expect(dry).toMatchObject({ scope: 'changed', changedSince: '2026-03-01T08:55:00.000Z', customers: 5, links: 2, merged: 1, queued: 1 });
    expect(await mergedInto(fresh.b)).toBeNull();

    // Only the five changed customers are resolved: the new pair merges (the older customer
    // survives), the name-and-city pair is queued once (found from either side); the first
    // pair, unchanged since, is neither merged nor queued again.
    const run = await store.rematch({ scope: 'changed', key: 'nightly/rematch' });
    expect(run).toMatchObject({ scope: 'changed', changedSince: '2026-03-01T08:55:00.000Z', customers: 5, links: 2, merged: 1, queued: 1, skipped: 0 });
    expect(run.merges).toEqual([{ mergeId: expect.any(String), targetId: fresh.a, sourceIds: [fresh.b] }]);
    expect(await mergedInto(fresh.b)).toBe(fresh.a);
    expect(await mergedInto(old.b)).toBeNull();
    expect(await pending()).toBe(2);
    const pairs = (await store.listReviews({ rule: 'rematch' })).items.map((i) => [i.customer!.id, i.candidate!.id].sort().join(' '));
    expect(pairs.sort()).toEqual([[old.a, old.b].sort().join(' '), [r1!.customerId, r2!.customerId].sort().join(' ')].sort());
    const [audit] = await ds.query(`SELECT actor, details FROM audit_log WHERE action = 'customer.merged' AND entity_id = $1`, [fresh.a]);
    expect(audit.actor).toBe('system:rematch');
    expect(audit.details.reason.reasons[0]).toMatchObject({ rule: 'rematch', detail: expect.stringContaining('store rematch of a changed customer') });
    expect(audit.details.reason.reasons.map((r: { rule: string }) => r.rule)).toContain('fuzzy');

    // Again: what the merge changed is resolved once more and finds nothing; nothing repeats.
    at('2026-03-02T09:30:00Z');
    expect(await store.rematch({ scope: 'changed', key: 'nightly/rematch' })).toMatchObject({ scope: 'changed', changedSince: '2026-03-02T08:55:00.000Z', customers: 1, links: 0, merged: 0 });
    at('2026-03-02T10:00:00Z');
    expect(await store.rematch({ scope: 'changed', key: 'nightly/rematch' })).toMatchObject({ customers: 0, links: 0 });

    // A change to the unrelated customer resolves it alone: it fits nobody.
    await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924681703' }], attributes: { email: 'qianfang@xingchen.cn' } })]);
    at('2026-03-02T11:00:00Z');
    expect(await store.rematch({ scope: 'changed', key: 'nightly/rematch' })).toMatchObject({ customers: 1, links: 0 });
    expect(await mergedInto(loner!.customerId)).toBeNull();

    // Another key has its own watermark: its first run compares all.
    expect(await store.rematch({ scope: 'changed', key: 'weekly/rematch', merge: 'none' })).toMatchObject({ scope: 'all', customers: 6, links: 2, queued: 0 });
    // One run per key at a time: while another session runs this key, a run does nothing
    // (a dry run, which changes nothing, still counts); another key is not held up.
    const other = ds.createQueryRunner();
    await other.connect();
    try {
      await other.query(`SELECT pg_advisory_lock($1::bigint)`, [lockKey('rematch\u0000nightly/rematch').toString()]);
      at('2026-03-02T12:00:00Z');
      expect(await store.rematch({ scope: 'changed', key: 'nightly/rematch' })).toMatchObject({ alreadyRunning: true, customers: 0, links: 0 });
      expect(await store.rematch({ scope: 'changed', key: 'nightly/rematch', dryRun: true })).not.toHaveProperty('alreadyRunning');
      expect(await store.rematch({ scope: 'changed', key: 'weekly/rematch' })).not.toHaveProperty('alreadyRunning');
    } finally {
      await other.query(`SELECT pg_advisory_unlock_all()`);
      await other.release();
    }
    expect(await store.rematch({ scope: 'changed', key: 'nightly/rematch' })).toMatchObject({ scope: 'changed', changedSince: '2026-03-02T10:55:00.000Z' });

    const marks = await ds.query(`SELECT key, changed_since FROM rematch_watermarks ORDER BY key`);
    expect(marks.map((m: { key: string; changed_since: Date }) => [m.key, m.changed_since.toISOString()])).toEqual([
      ['nightly/rematch', '2026-03-02T12:00:00.000Z'],
      ['weekly/rematch', '2026-03-02T12:00:00.000Z'],
    ]);
  });
});

// Scope `all` holds every live customer in memory; a store larger than the process can spare
// would kill the worker (and the next one to pick the job up). It is resolved a page at a time
// instead, each customer as a delivery, and the summary says why.
describe('CustomerStore.rematch, scope all beyond its memory', () => {
  let ds: DataSource;

  beforeAll(async () => {
    ds = await openStoreDataSource(await createTestDatabase('cs_rematch_paged'));
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  it('resolves each customer as a delivery, a page at a time, and merges what the batch would', async () => {
    const store = new CustomerStore(ds);
    const [a] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924681801' }], attributes: { name: '韩雪梅', company: '青禾教育科技有限公司', city: '苏州' } })]);
    const [b] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'xuemei.han@qinghe.cn' }], attributes: { name: '韩雪梅' } })]);
    await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'xuemei.han@qinghe.cn' }], attributes: { company: '青禾教育科技有限公司', city: '苏州' } })]);
    await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924681802' }], attributes: { name: '邵子豪', company: '青禾教育科技有限公司', city: '苏州' } })]);
    expect(b!.customerId).not.toBe(a!.customerId);

    // Within the default budget: the batch matcher, as always.
    const batch = await store.rematch({ dryRun: true });
    expect(batch).toMatchObject({ scope: 'all', customers: 3, links: 1, merged: 1 });
    expect(batch).not.toHaveProperty('paged');

    // Three customers need about 6 KB; this store may hold 5.
    const tight = new CustomerStore(ds, { rematchMemoryBytes: 5_000 });
    const dry = await tight.rematch({ dryRun: true });
    expect(dry).toMatchObject({ scope: 'all', customers: 3, links: 1, merged: 1, paged: expect.stringMatching(/^3 customers need under 1 MB to be compared at once, and this process can spare under 1 MB: each was resolved the way a delivery is/) });

    const run = await tight.rematch();
    expect(run).toMatchObject({ scope: 'all', customers: 3, links: 1, merged: 1, queued: 0, paged: expect.any(String) });
    expect(run.merges).toEqual([{ mergeId: expect.any(String), targetId: a!.customerId, sourceIds: [b!.customerId] }]);
    expect((await tight.getCustomer(b!.customerId))!.mergedInto).toBe(a!.customerId);
    // Nothing is left to do: again, nothing repeats.
    expect(await tight.rematch()).toMatchObject({ customers: 2, links: 0, merged: 0, queued: 0 });
  });
});

// A paged rematch at a million customers runs most of an hour: a worker that dies in it (a
// deploy, the OOM killer) must not send the next one back to the start. Each page is applied and
// its place written down; the next run of the key goes on from there.
describe('CustomerStore.rematch, a paged run that stopped', () => {
  let ds: DataSource;
  let clock = Date.parse('2026-04-01T00:00:00Z');

  beforeAll(async () => {
    ds = await openStoreDataSource(await createTestDatabase('cs_rematch_resume'));
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  // Two customers a page, and every store paged: three customers need about 6 KB. The clock moves
  // on as it is read, as a real one does: what a run merges is changed after the run started.
  const store = () => new CustomerStore(ds, { now: () => new Date(clock++), rematchMemoryBytes: 1_000, rematchPageSize: 2 });
  /** One person as two customers that only the rematch joins: a phone with the profile, an e-mail with it later. */
  const twoHalves = async (n: number, name: string, company: string, city: string) => {
    const s = store();
    clock += 60_000;
    const [a] = await s.upsert([upsertInput({ identities: [{ type: 'phone', value: `1392468190${n}` }], attributes: { name, company, city } })]);
    clock += 1_000;
    const [b] = await s.upsert([upsertInput({ identities: [{ type: 'email', value: `p${n}@resume.cn` }], attributes: { name } })]);
    await s.upsert([upsertInput({ identities: [{ type: 'email', value: `p${n}@resume.cn` }], attributes: { company, city } })]);
    expect(b!.customerId).not.toBe(a!.customerId);
    return { a: a!.customerId, b: b!.customerId };
  };
  const mergedInto = async (id: string) => ((await ds.query(`SELECT merged_into FROM customers WHERE id = $1`, [id])) as { merged_into: string | null }[])[0]!.merged_into;
  const progress = async () => (await ds.query(`SELECT scope, merge, paged, counts, started_at FROM rematch_progress WHERE key = 'nightly/rematch'`)) as { scope: string; merge: string; paged: string | null; counts: Record<string, number>; started_at: Date }[];
  /** A run of the key that is stopped (as a dying worker stops it) after `pages` pages. */
  const stoppedAfter = async (pages: number, request: { merge?: 'confident' | 'none'; scope?: 'all' | 'changed' } = {}) => {
    const stop = new AbortController();
    let seen = 0;
    const counts: unknown[] = [];
    await expect(
      store().rematch({
        key: 'nightly/rematch',
        ...request,
        signal: stop.signal,
        onPage: (p) => {
          counts.push(p);
          if (++seen === pages) stop.abort();
        },
      }),
    ).rejects.toMatchObject({ message: 'rematch cancelled' });
    return counts;
  };

  it('goes on after its last applied page, and ends where an unbroken run ends', async () => {
    const people = [
      await twoHalves(1, '韦思远', '启明星教育科技有限公司', '南宁'),
      await twoHalves(2, '闫书瑶', '德盛实业有限公司', '太原'),
      await twoHalves(3, '柏立群', '恒泰物流有限公司', '合肥'),
      await twoHalves(4, '芮佳音', '卓越咨询有限公司', '昆明'),
    ];
    clock += 3_600_000;
    const startedAt = new Date(clock).toISOString();
    // The first two pages: the first two people, each a page (their halves are next in time).
    const pages = await stoppedAfter(2);
    expect(pages).toEqual([
      { customers: 2, links: 1, merged: 1, queued: 0, skipped: 0 },
      { customers: 4, links: 2, merged: 2, queued: 0, skipped: 0 },
    ]);
    expect(await progress()).toEqual([{ scope: 'all', merge: 'confident', paged: expect.stringMatching(/^8 customers need/), counts: pages[1], started_at: new Date(startedAt) }]);
    expect(await mergedInto(people[0]!.b)).toBe(people[0]!.a);
    expect(await mergedInto(people[2]!.b)).toBeNull();
    // No watermark until a run completes.
    expect(await ds.query(`SELECT 1 FROM rematch_watermarks WHERE key = 'nightly/rematch'`)).toEqual([]);

    // The next run (the job's retry, another worker) does not resolve those four again.
    clock += 60_000;
    const secondStart = clock;
    const run = await store().rematch({ key: 'nightly/rematch' });
    expect(run).toMatchObject({ scope: 'all', resumed: { startedAt, customers: 4 }, links: 4, merged: 4, queued: 0, paged: expect.any(String) });
    // The four after the stop, and the two the stopped run merged (changed after it started,
    // they come round once more and find nothing); what this run merges waits for the next.
    expect(run.customers).toBe(10);
    expect(run.merges.map((m) => [m.targetId, m.sourceIds])).toEqual([
      [people[2]!.a, [people[2]!.b]],
      [people[3]!.a, [people[3]!.b]],
    ]);
    for (const p of people) expect(await mergedInto(p.b)).toBe(p.a);
    expect(await progress()).toEqual([]);
    expect(await ds.query(`SELECT changed_since FROM rematch_watermarks WHERE key = 'nightly/rematch'`)).toEqual([{ changed_since: new Date(secondStart) }]);
    expect(Number((await ds.query(`SELECT count(*) AS n FROM customer_merges`))[0].n)).toBe(4);
  });

  it('starts afresh when the run asked for is of another kind, and a dry run neither reads nor writes the place', async () => {
    // A run that completes, well after the last: what that one merged has settled.
    clock += 3_600_000;
    expect(await store().rematch({ key: 'nightly/rematch', scope: 'changed' })).toMatchObject({ links: 0 });
    clock += 3_600_000;
    const more = [await twoHalves(5, '郜明哲', '远航网络科技有限公司', '贵阳'), await twoHalves(6, '蔺晓彤', '锐思文化传媒有限公司', '南昌')];
    clock += 3_600_000;
    // Changed since the last run: the two new people, a page each; stopped after the first.
    await stoppedAfter(1, { scope: 'changed', merge: 'none' });
    const [stopped] = await progress();
    expect(stopped).toMatchObject({ scope: 'changed', merge: 'none', paged: null, counts: { customers: 2, links: 1, merged: 0, queued: 1, skipped: 0 } });

    // A dry run changes nothing, the place included, and is not a continuation.
    const dry = await store().rematch({ key: 'nightly/rematch', scope: 'changed', dryRun: true });
    expect(dry).not.toHaveProperty('resumed');
    expect(dry).toMatchObject({ customers: 4, links: 2, merged: 2 });
    expect(await progress()).toEqual([stopped]);

    // Merge `confident` is another run than the stopped `none`: it starts from the watermark
    // again, and merges both pairs (the queued review of the first is closed by its merge).
    clock += 60_000;
    const run = await store().rematch({ key: 'nightly/rematch', scope: 'changed' });
    expect(run).not.toHaveProperty('resumed');
    expect(run).toMatchObject({ scope: 'changed', customers: 4, links: 2, merged: 2 });
    expect(await progress()).toEqual([]);
    for (const p of more) expect(await mergedInto(p.b)).toBe(p.a);
    expect(await ds.query(`SELECT status FROM match_reviews`)).toEqual([{ status: 'merged' }]);
  });
});
