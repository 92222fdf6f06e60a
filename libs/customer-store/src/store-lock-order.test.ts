import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource, QueryRunner } from 'typeorm';
import { createTestDatabase } from '../../../test/support/services.js';
import { openStoreDataSource } from './__fixtures__/store-data-source.js';
import { upsertInput } from './__fixtures__/upsert-input.fixture.js';
import { CustomerStore } from './customer-store.service.js';
import { identityKey } from './identity-priority.util.js';
import { lockKey } from './util/lock-key.util.js';

// The lock protocol, one interleaving at a time. Every writer takes its advisory locks in one
// ascending pass before any row lock, and customers' rows before the review items of their pairs;
// a transaction never waits for a lock while it holds one another writer may be waiting for in
// the opposite order. Each test holds a lock from a second connection, lets the operation run into
// it, and looks at what the waiting operation holds at that moment (pg_locks), then lets the
// holder go on the way a real writer would (which deadlocked before).
describe('store lock order', () => {
  let ds: DataSource;
  let store: CustomerStore;

  beforeAll(async () => {
    ds = await openStoreDataSource(await createTestDatabase('cs_lock_order'), 8);
    store = new CustomerStore(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  /** A second connection in a transaction of its own. */
  const holder = async (): Promise<QueryRunner> => {
    const q = ds.createQueryRunner();
    await q.connect();
    await q.startTransaction();
    return q;
  };

  /** The one backend of this database waiting for a lock, once there is one (polled, at most 10 s). */
  const waiter = async (): Promise<number> => {
    const until = Date.now() + 10_000;
    for (;;) {
      const rows: { pid: number }[] = await ds.query(
        `SELECT DISTINCT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted AND a.datname = current_database()`,
      );
      if (rows.length > 0) return rows[0]!.pid;
      if (Date.now() > until) throw new Error('no backend ever waited for a lock');
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  /** The table locks a backend holds on these tables (a row lock's table lock stays to the end). */
  const tableLocks = async (pid: number, tables: string[]): Promise<string[]> =>
    (
      (await ds.query(
        `SELECT c.relname || ':' || l.mode AS lock FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
          WHERE l.pid = $1 AND l.granted AND c.relname = ANY($2::text[]) AND l.mode <> 'AccessShareLock' ORDER BY 1`,
        [pid, tables],
      )) as { lock: string }[]
    ).map((r) => r.lock);

  it('a delivery that bridges two customers waits for a merge lock only before it locks any row', async () => {
    // One person as two customers: a phone, and an e-mail plus an openid.
    const [a] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924689101' }], attributes: { name: '欧阳明远', city: '成都' } })]);
    const [b] = await store.upsert([
      upsertInput({ identities: [{ type: 'email', value: 'my.ouyang@lock-order.cn' }, { type: 'wechat_openid', value: 'oLockOrder9101' }], attributes: { name: '欧阳明远' } }),
    ]);
    const [openid] = await ds.query(`SELECT type, value FROM customer_identities WHERE customer_id = $1 AND type = 'wechat_openid'`, [b!.customerId]);

    // A writer holds the advisory lock of the openid (the merge needs it, the delivery does not
    // carry it) and will want the first customer's row next, as a manual merge of the two would.
    const x = await holder();
    try {
      await x.query(`SELECT pg_advisory_xact_lock($1::bigint)`, [String(lockKey(`i\u0000${identityKey(openid.type, openid.value)}`))]);
      const retriesBefore = store.stats.retries;
      const bridging = store.upsert([
        upsertInput({ identities: [{ type: 'phone', value: '139 2468 9101' }, { type: 'email', value: 'my.ouyang@lock-order.cn' }], attributes: { name: '欧阳明远' } }),
      ]);
      const pid = await waiter();
      // Waiting for the openid's lock holding no customer row: it took it in its first pass.
      expect(await tableLocks(pid, ['customers', 'customer_identities'])).toEqual([]);
      // So the holder gets the row at once instead of a deadlock.
      await x.query(`SELECT id FROM customers WHERE id = $1 FOR UPDATE`, [a!.customerId]);
      await x.commitTransaction();
      const [r] = await bridging;
      expect(r).toMatchObject({ customerId: a!.customerId, merged: [{ customerId: b!.customerId }] });
      expect(store.stats.retries - retriesBefore).toBe(1);
    } finally {
      if (x.isTransactionActive) await x.rollbackTransaction();
      await x.release();
    }
  });

  it('separating a review item locks the pair before the item, so a merge closing it does not deadlock with it', async () => {
    const [c] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'boss.hu@lock-order.cn' }], attributes: { name: '胡总' } })]);
    const [d] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924689102' }], attributes: { name: '胡一菲' } })]);
    await store.upsert([
      upsertInput({ identities: [{ type: 'phone', value: '13924689102' }, { type: 'email', value: 'boss.hu@lock-order.cn' }], attributes: { name: '胡一菲' } }),
    ]);
    const [item] = await ds.query(`SELECT id FROM match_reviews WHERE status = 'pending' AND (customer_id = $1 OR candidate_id = $1)`, [c!.customerId]);
    expect(item).toBeDefined();

    // A writer holds one customer of the pair (as a merge or an erasure does) and will touch the item next.
    const x = await holder();
    try {
      await x.query(`SELECT id FROM customers WHERE id = $1 FOR UPDATE`, [d!.customerId]);
      const deciding = store.decideReview(item.id, 'separate', 'user:wu');
      const pid = await waiter();
      expect(await tableLocks(pid, ['match_reviews', 'customer_separations'])).toEqual([]);
      await x.query(`UPDATE match_reviews SET score = score WHERE id = $1`, [item.id]);
      await x.commitTransaction();
      expect((await deciding).review).toMatchObject({ status: 'separated' });
    } finally {
      if (x.isTransactionActive) await x.rollbackTransaction();
      await x.release();
    }
  });

  it('a profile edit takes the blocking keys it gives the customer before it locks the customer', async () => {
    const [e] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924689104' }], attributes: { name: '马思远' } })]);
    // The key name + city the edit will give: read off a namesake who has the city already.
    const [other] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924689105' }], attributes: { name: '马思远', city: '西安' } })]);
    const keysOf = async (id: string) => ((await ds.query(`SELECT key FROM customer_match_keys WHERE customer_id = $1 ORDER BY key`, [id])) as { key: string }[]).map((r) => r.key);
    const before = await keysOf(e!.customerId);
    const added = (await keysOf(other!.customerId)).filter((k) => !before.includes(k));
    expect(added.length).toBeGreaterThan(0);

    // A delivery resolving by that key holds its lock (and would read its candidates under it).
    const x = await holder();
    try {
      await x.query(`SELECT pg_advisory_xact_lock($1::bigint)`, [String(lockKey(`k\u0000${added[0]}`))]);
      const editing = store.updateAttributes(e!.customerId, { city: '西安' }, { actor: 'user:wu' });
      const pid = await waiter();
      expect(await tableLocks(pid, ['customers', 'customer_match_keys'])).toEqual([]);
      await x.commitTransaction();
      expect(await editing).toMatchObject({ attributes: { city: expect.objectContaining({ value: '西安' }) } });
      expect(await keysOf(e!.customerId)).toEqual(expect.arrayContaining(added));
    } finally {
      if (x.isTransactionActive) await x.rollbackTransaction();
      await x.release();
    }
  });

  it('a delivery holding a customer does not stop a merge from moving a separation onto it', async () => {
    // C first (the lower id), then T: a delivery carrying both locks C's row, then waits for T's.
    const [c] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924689106' }], attributes: { name: '宁静远' } })]);
    const [t] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'jingyuan.ning@lock-order.cn' }], attributes: { name: '宁静远' } })]);
    const [d] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924689107' }], attributes: { name: '宁静怡' } })]);
    expect(c!.customerId < t!.customerId).toBe(true);

    // A merge into T holds T's row and will move a separation of its source onto C (C was told
    // apart from the source), whose foreign key key-share-locks C.
    const x = await holder();
    try {
      await x.query(`SET LOCAL lock_timeout = '5s'`);
      await x.query(`SELECT id FROM customers WHERE id = $1 FOR NO KEY UPDATE`, [t!.customerId]);
      const retriesBefore = store.stats.retries;
      const bridging = store.upsert([
        upsertInput({ identities: [{ type: 'phone', value: '13924689106' }, { type: 'email', value: 'jingyuan.ning@lock-order.cn' }], attributes: { name: '宁静远' } }),
      ]);
      const pid = await waiter();
      // The delivery holds C and waits for T, asking for the row lock it took on C: no key update
      // (a waiter's tuple lock is ExclusiveLock for that, AccessExclusiveLock for FOR UPDATE).
      const [waiting] = await ds.query(`SELECT mode FROM pg_locks WHERE pid = $1 AND locktype = 'tuple'`, [pid]);
      expect(waiting).toEqual({ mode: 'ExclusiveLock' });
      // So the merge's foreign key to C does not wait for the delivery (with FOR UPDATE the two
      // waited for each other: a deadlock, one of them rolled back and retried).
      const [a, b] = [c!.customerId, d!.customerId].sort();
      await x.query(`INSERT INTO customer_separations (customer_a, customer_b, actor) VALUES ($1, $2, 'user:wu')`, [a, b]);
      await x.rollbackTransaction();
      const [r] = await bridging;
      expect(r).toMatchObject({ customerId: c!.customerId, merged: [{ customerId: t!.customerId }] });
      expect(store.stats.retries - retriesBefore).toBe(0);
    } finally {
      if (x.isTransactionActive) await x.rollbackTransaction();
      await x.release();
    }
  });

  it('a rematch queues no review beside a customer erased while it was queuing', async () => {
    // Alone in the store (the rematch reads every customer): two halves of one person it finds (profile completed later) and queues.
    await ds.query(`TRUNCATE customers CASCADE`);
    const [a] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: '13924689103' }], attributes: { name: '孙雨晴', company: '启明星咨询有限公司', city: '杭州' } })]);
    const [b] = await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'sun.yq@lock-order.cn' }], attributes: { name: '孙雨晴' } })]);
    await store.upsert([upsertInput({ identities: [{ type: 'email', value: 'sun.yq@lock-order.cn' }], attributes: { company: '启明星咨询有限公司', city: '杭州' } })]);
    expect(b!.customerId).not.toBe(a!.customerId);
    await ds.query(`DELETE FROM match_reviews`);

    // An erasure of the first half has locked it when the rematch comes to queue the pair.
    const x = await holder();
    try {
      await x.query(`SELECT id FROM customers WHERE id = $1 FOR UPDATE`, [a!.customerId]);
      const rematch = store.rematch({ merge: 'none' });
      await waiter();
      await x.query(`DELETE FROM customer_identities WHERE customer_id = $1`, [a!.customerId]);
      await x.query(`DELETE FROM match_reviews WHERE customer_id = $1 OR candidate_id = $1`, [a!.customerId]);
      await x.query(`UPDATE customers SET erased_at = now(), attributes = '{}'::jsonb, display_name = NULL WHERE id = $1`, [a!.customerId]);
      await x.commitTransaction();
      const summary = await rematch;
      expect(summary).toMatchObject({ links: 1, queued: 0 });
      expect(await ds.query(`SELECT id FROM match_reviews WHERE customer_id = $1 OR candidate_id = $1`, [a!.customerId])).toEqual([]);
    } finally {
      if (x.isTransactionActive) await x.rollbackTransaction();
      await x.release();
    }
  });
});
