import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AssignmentPolicy, AssignOutcome } from '@tributary/engine';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../../test/support/services.js';
import { openStoreDataSource } from '../__fixtures__/store-data-source.js';
import { upsertInput } from '../__fixtures__/upsert-input.fixture.js';
import { CustomerStore } from '../customer-store.service.js';

// Several workers assigning at once, each on its own connection pool: round-robin stays exactly
// fair and capacities hold, because pointers and loads are read and advanced under row locks.
describe('assignment under concurrency', () => {
  const WORKERS = 4;
  let url: string;
  const pools: DataSource[] = [];
  const stores: CustomerStore[] = [];
  let phone = 13700000000;

  beforeAll(async () => {
    url = await createTestDatabase('cs_assign_conc');
    for (let i = 0; i < WORKERS; i++) {
      const ds = await openStoreDataSource(url, 5, i === 0);
      pools.push(ds);
      stores.push(new CustomerStore(ds));
    }
  });
  afterAll(async () => {
    await Promise.all(pools.map((ds) => ds.destroy()));
  });

  const policy = (over: Partial<AssignmentPolicy>): AssignmentPolicy => ({ rules: [], strategy: 'round_robin', workingHours: 'ignore', sticky: 'keep', closedStages: ['customer', 'churned'], ...over });
  const customers = async (n: number): Promise<string[]> =>
    (await stores[0]!.upsert(Array.from({ length: n }, () => upsertInput({ identities: [{ type: 'phone', value: String(++phone) }] })))).map((r) => r.customerId);
  /** Every request its own assign call (its own transaction), spread over the worker pools, all at once. */
  const assignAll = (p: AssignmentPolicy, ids: string[], fields: (i: number) => Record<string, unknown> = () => ({}), label = 'c') =>
    Promise.all(
      ids.map(async (customerId, i) => {
        const [o] = await stores[i % WORKERS]!.assign(p, [
          { customerId, fields: fields(i), idempotencyKey: `${label}-${i}:assign:0`, provenance: { source: 'assignment', flowId: 'f', flowVersion: 1, runId: `${label}-${i}`, nodeId: 'assign' } },
        ]);
        return o!;
      }),
    );
  const tally = (outcomes: AssignOutcome[]) => {
    const t: Record<string, number> = {};
    for (const o of outcomes) t[o.ownerId ?? o.status] = (t[o.ownerId ?? o.status] ?? 0) + 1;
    return t;
  };

  it('round-robin spreads 200 simultaneous assignments exactly evenly over 4 owners', async () => {
    const s = stores[0]!;
    for (const id of ['rr-1', 'rr-2', 'rr-3', 'rr-4']) await s.owners.createOwner({ id, name: id });
    await s.owners.createTeam({ id: 'rr', name: 'rr', members: ['rr-1', 'rr-2', 'rr-3', 'rr-4'] });
    const ids = await customers(200);
    const started = Date.now();
    const out = await assignAll(policy({ defaultTeam: 'rr' }), ids, undefined, 'rr');
    const ms = Date.now() - started;
    expect(tally(out)).toEqual({ 'rr-1': 50, 'rr-2': 50, 'rr-3': 50, 'rr-4': 50 });
    expect((await s.owners.getTeam('rr'))!.rrPosition).toBe(200);
    const [db] = await pools[0]!.query(
      `SELECT count(*)::int AS assignments, count(DISTINCT customer_id)::int AS customers,
              (SELECT count(*)::int FROM customer_events WHERE type = 'owner_assigned') AS events FROM assignments`,
    );
    expect(db).toEqual({ assignments: 200, customers: 200, events: 200 });
    process.stdout.write(`round-robin: 200 concurrent assignments on ${WORKERS} pools in ${ms} ms\n`);
  });

  it('least-loaded stays exactly even too', async () => {
    const s = stores[0]!;
    for (const id of ['ll-1', 'll-2', 'll-3']) await s.owners.createOwner({ id, name: id });
    await s.owners.createTeam({ id: 'll', name: 'll', members: ['ll-1', 'll-2', 'll-3'] });
    const out = await assignAll(policy({ defaultTeam: 'll', strategy: 'least_loaded' }), await customers(90), undefined, 'll');
    expect(tally(out)).toEqual({ 'll-1': 30, 'll-2': 30, 'll-3': 30 });
  });

  it('never exceeds a capacity, even for an owner two teams share', async () => {
    const s = stores[0]!;
    for (const [id, capacity] of [['cap-p', 10], ['cap-q', 10], ['cap-r', 10], ['cap-s', 5]] as const) await s.owners.createOwner({ id, name: id, capacity });
    await s.owners.createTeam({ id: 'cap-x', name: 'x', members: ['cap-p', 'cap-q', 'cap-r'] });
    await s.owners.createTeam({ id: 'cap-y', name: 'y', members: ['cap-r', 'cap-s'] });
    const p = policy({ rules: [{ name: 'x', when: [{ field: 'team', op: 'eq', value: 'x' }], team: 'cap-x' }], defaultTeam: 'cap-y', strategy: 'least_loaded' });
    const out = await assignAll(p, await customers(80), (i) => ({ team: i % 2 === 0 ? 'x' : 'y' }), 'cap');
    expect(tally(out)).toEqual({ 'cap-p': 10, 'cap-q': 10, 'cap-r': 10, 'cap-s': 5, unassigned: 45 });
    const loads = await pools[0]!.query(`SELECT owner_id, count(*)::int AS n FROM customers WHERE owner_id LIKE 'cap-%' GROUP BY owner_id ORDER BY owner_id`);
    expect(loads).toEqual([
      { owner_id: 'cap-p', n: 10 },
      { owner_id: 'cap-q', n: 10 },
      { owner_id: 'cap-r', n: 10 },
      { owner_id: 'cap-s', n: 5 },
    ]);
  });

  it('one customer assigned by many runs at once gets one owner; the others keep it', async () => {
    const s = stores[0]!;
    for (const id of ['one-1', 'one-2']) await s.owners.createOwner({ id, name: id });
    await s.owners.createTeam({ id: 'one', name: 'one', members: ['one-1', 'one-2'] });
    const [id] = await customers(1);
    const out = await assignAll(policy({ defaultTeam: 'one' }), Array(12).fill(id), undefined, 'one');
    expect(out.filter((o) => o.status === 'assigned')).toHaveLength(1);
    expect(out.filter((o) => o.status === 'kept')).toHaveLength(11);
    expect(new Set(out.map((o) => o.ownerId)).size).toBe(1);
  });
});
