import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AssignmentPolicy, AssignOutcome } from '@tributary/engine';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../../test/support/services.js';
import { openStoreDataSource } from '../__fixtures__/store-data-source.js';
import { upsertInput } from '../__fixtures__/upsert-input.fixture.js';
import { CustomerStore } from '../customer-store.service.js';

// customer.assign's store side on a real Postgres: rules, strategies, limits, clocks, records.
describe('CustomerStore.assign', () => {
  let ds: DataSource;
  let store: CustomerStore;
  let clock = new Date('2026-03-02T02:00:00.000Z'); // Monday 10:00 in Shanghai
  let phone = 13900000000;
  let run = 0;

  beforeAll(async () => {
    ds = await openStoreDataSource(await createTestDatabase('cs_assign'));
    store = new CustomerStore(ds, { now: () => clock });
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  const policy = (over: Partial<AssignmentPolicy> = {}): AssignmentPolicy => ({
    rules: [],
    strategy: 'round_robin',
    workingHours: 'ignore',
    sticky: 'keep',
    closedStages: ['customer', 'churned'],
    ...over,
  });
  const customer = async (attributes: Record<string, unknown> = {}): Promise<string> => {
    const [r] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: String(++phone) }], attributes })]);
    return r!.customerId;
  };
  const owners = async (ids: string[], extra: Record<string, unknown> = {}) => {
    for (const id of ids) await store.owners.createOwner({ id, name: id, ...extra });
  };
  const team = (id: string, members: string[], leadOwnerId?: string) => store.owners.createTeam({ id, name: id, members, ...(leadOwnerId ? { leadOwnerId } : {}) });
  /** One assign step: requests keyed like ctx.idempotencyKey(i). */
  const assign = (p: AssignmentPolicy, customerIds: string[], fields: Record<string, unknown>[] = [], runId = `run-${++run}`) =>
    store.assign(
      p,
      customerIds.map((customerId, i) => ({
        customerId,
        fields: fields[i] ?? {},
        idempotencyKey: `${runId}:assign:${i}`,
        provenance: { source: 'assignment', flowId: 'flow-1', flowVersion: 1, runId, nodeId: 'assign' },
      })),
    );
  const one = async (p: AssignmentPolicy, customerId: string, fields: Record<string, unknown> = {}) => (await assign(p, [customerId], [fields]))[0]!;
  const ownerOf = async (id: string) => ((await ds.query(`SELECT owner_id FROM customers WHERE id = $1`, [id])) as { owner_id: string | null }[])[0]!.owner_id;

  describe('rules', () => {
    const rules: AssignmentPolicy['rules'] = [
      { name: '华东', when: [{ field: 'city', op: 'in', value: ['上海', '杭州'] }], team: 'r-east' },
      { name: 'internet', when: [{ field: 'industry', op: 'eq', value: '互联网' }], team: 'r-web' },
      { name: 'erp', when: [{ field: 'productLine', op: 'eq', value: 'ERP' }], team: 'r-erp' },
      { name: 'wecom', when: [{ field: 'channel', op: 'eq', value: 'wecom' }], team: 'r-wecom' },
      { name: '618', when: [{ field: 'campaign', op: 'starts_with', value: '618' }], team: 'r-promo' },
      { name: 'vip', when: [{ field: 'customer.tags', op: 'contains', value: 'vip' }], team: 'r-vip' },
    ];
    beforeAll(async () => {
      for (const t of ['east', 'web', 'erp', 'wecom', 'promo', 'vip', 'pool']) {
        await owners([`r-${t}-1`]);
        await team(`r-${t}`, [`r-${t}-1`]);
      }
    });

    it('sends each customer to the team of the first rule that matches, by item or customer field', async () => {
      const p = policy({ rules, defaultTeam: 'r-pool' });
      const cases: [Record<string, unknown>, Record<string, unknown>, string][] = [
        [{ city: '上海市' }, {}, 'r-east'], // the customer's attribute, 上海市 = 上海
        [{}, { city: 'Hangzhou' }, 'r-east'], // the item's field
        [{ industry: '互联网' }, {}, 'r-web'],
        [{}, { productLine: 'erp' }, 'r-erp'],
        [{}, { channel: 'wecom' }, 'r-wecom'],
        [{}, { campaign: '618大促' }, 'r-promo'],
        [{ city: '北京' }, {}, 'r-pool'], // no rule: the default team
        [{ city: '上海', industry: '互联网' }, {}, 'r-east'], // first match wins
      ];
      for (const [attributes, fields, expected] of cases) {
        const o = await one(p, await customer(attributes), fields);
        expect({ fields, attributes, team: o.teamId, owner: o.ownerId, status: o.status }).toEqual({ fields, attributes, team: expected, owner: `${expected}-1`, status: 'assigned' });
      }
      const vip = await customer();
      await ds.query(`UPDATE customers SET tags = '{vip}' WHERE id = $1`, [vip]);
      expect(await one(p, vip)).toMatchObject({ teamId: 'r-vip', rule: 'vip', reason: { code: 'rule_matched' } });
      expect(await one(p, await customer({ city: '成都' }))).toMatchObject({ teamId: 'r-pool', rule: 'default', reason: { code: 'default_team' } });
    });

    it('leaves the customer unassigned, with the reason, when no rule or team can take them', async () => {
      expect(await one(policy({ rules }), await customer({ city: '成都' }))).toMatchObject({ status: 'unassigned', reason: { code: 'no_rule_matched' } });
      expect(await one(policy({ defaultTeam: 'r-nowhere' }), await customer())).toMatchObject({ status: 'unassigned', teamId: 'r-nowhere', reason: { code: 'team_not_found' } });
      await team('r-empty', []);
      const c = await customer();
      expect(await one(policy({ defaultTeam: 'r-empty' }), c)).toMatchObject({ status: 'unassigned', reason: { code: 'team_empty' } });
      expect(await ownerOf(c)).toBeNull();
      // The decision is recorded even so.
      const [row] = await ds.query(`SELECT owner_id, team_id, reason FROM assignments WHERE customer_id = $1`, [c]);
      expect(row).toMatchObject({ owner_id: null, team_id: 'r-empty', reason: { code: 'team_empty' } });
    });
  });

  describe('round-robin', () => {
    beforeAll(async () => {
      await owners(['rr-a', 'rr-b', 'rr-c']);
      await team('rr', ['rr-a', 'rr-b', 'rr-c']);
    });

    it('goes round the members in order, across steps and within one batch, and keeps its place in the team', async () => {
      const p = policy({ defaultTeam: 'rr' });
      const single = [];
      for (let i = 0; i < 4; i++) single.push((await one(p, await customer())).ownerId);
      expect(single).toEqual(['rr-a', 'rr-b', 'rr-c', 'rr-a']);
      const batch = await assign(p, [await customer(), await customer(), await customer()]);
      expect(batch.map((o) => o.ownerId)).toEqual(['rr-b', 'rr-c', 'rr-a']);
      expect((await store.owners.getTeam('rr'))!.rrPosition).toBe(7);
    });

    it('skips inactive and away owners without losing its place', async () => {
      const p = policy({ defaultTeam: 'rr' });
      await store.owners.updateOwner('rr-b', { awayUntil: '2026-03-05T00:00:00Z' });
      await store.owners.updateOwner('rr-c', { active: false });
      const o = await one(p, await customer());
      expect(o.ownerId).toBe('rr-a');
      expect(o.reason.candidates!.map((c) => [c.ownerId, c.skipped ?? (c.chosen ? 'chosen' : '')])).toEqual([
        ['rr-a', 'chosen'],
        ['rr-b', 'away'],
        ['rr-c', 'inactive'],
      ]);
      // Back from leave (the clock passes away_until) and reactivated.
      clock = new Date('2026-03-05T02:00:00.000Z');
      await store.owners.updateOwner('rr-c', { active: true });
      expect((await assign(p, [await customer(), await customer(), await customer()])).map((x) => x.ownerId)).toEqual(['rr-b', 'rr-c', 'rr-a']);
      clock = new Date('2026-03-02T02:00:00.000Z');
    });
  });

  describe('least-loaded and capacity', () => {
    beforeAll(async () => {
      await owners(['ll-a', 'll-b', 'll-c']);
      await team('ll', ['ll-a', 'll-b', 'll-c']);
    });

    it('gives the customer to the owner with the fewest open customers; won and churned customers do not count', async () => {
      const give = async (owner: string, n: number, stage = 'lead') => {
        for (let i = 0; i < n; i++) {
          const c = await customer();
          await ds.query(`UPDATE customers SET owner_id = $2, stage = $3 WHERE id = $1`, [c, owner, stage]);
        }
      };
      await give('ll-a', 3);
      await give('ll-b', 1);
      await give('ll-b', 5, 'customer');
      await give('ll-c', 2);
      const p = policy({ defaultTeam: 'll', strategy: 'least_loaded' });
      const picks = (await assign(p, [await customer(), await customer(), await customer(), await customer()])).map((o) => o.ownerId);
      // a3 b1 c2 → b; a3 b2 c2: the tie goes to c, next after b in the rotation; a3 b2 c3 → b; all at 3: c, next after b.
      expect(picks).toEqual(['ll-b', 'll-c', 'll-b', 'll-c']);
      const loads = await Promise.all(['ll-a', 'll-b', 'll-c'].map(async (id) => (await store.owners.getOwner(id))!.load.openCustomers));
      expect(loads).toEqual([3, 3, 4]);
    });

    it('never gives an owner more open customers than their capacity', async () => {
      await owners(['cap-a'], { capacity: 1 });
      await owners(['cap-b'], { capacity: 2 });
      await team('cap', ['cap-a', 'cap-b']);
      const p = policy({ defaultTeam: 'cap' });
      const out = await assign(p, [await customer(), await customer(), await customer(), await customer()]);
      expect(out.map((o) => o.ownerId ?? o.status)).toEqual(['cap-a', 'cap-b', 'cap-b', 'unassigned']);
      expect(out[3]!.reason).toMatchObject({ code: 'no_eligible_owner', message: expect.stringContaining('cap-a at capacity (1/1), cap-b at capacity (2/2)') });
      // A customer won frees a place.
      await ds.query(`UPDATE customers SET stage = 'customer' WHERE id = $1`, [out[0]!.customerId]);
      expect((await one(p, await customer())).ownerId).toBe('cap-a');
    });
  });

  describe('working hours (injected clock)', () => {
    beforeAll(async () => {
      await owners(['wh-day'], { workingHours: { timezone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' } });
      await owners(['wh-night'], { workingHours: { timezone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5, 6, 7], start: '18:00', end: '09:00' } });
      await owners(['wh-ny'], { workingHours: { timezone: 'America/New_York', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' } });
      await team('wh', ['wh-day', 'wh-night', 'wh-ny']);
      await team('wh-office', ['wh-day']);
    });

    it('gives customers to whoever is at work now, in their own time zone', async () => {
      const p = policy({ defaultTeam: 'wh', workingHours: 'prefer' });
      clock = new Date('2026-03-02T02:00:00.000Z'); // Mon 10:00 Shanghai, Sun 21:00 New York
      expect((await one(p, await customer())).ownerId).toBe('wh-day');
      expect((await one(p, await customer())).ownerId).toBe('wh-day');
      clock = new Date('2026-03-02T12:00:00.000Z'); // Mon 20:00 Shanghai, Mon 07:00 New York
      expect((await one(p, await customer())).ownerId).toBe('wh-night');
      clock = new Date('2026-03-02T14:30:00.000Z'); // Mon 22:30 Shanghai, Mon 09:30 New York
      expect((await assign(p, [await customer(), await customer()])).map((o) => o.ownerId)).toEqual(['wh-ny', 'wh-night']);
    });

    it('only: nobody at work → unassigned; prefer: falls back to everyone; ignore: hours do not matter', async () => {
      clock = new Date('2026-03-07T02:00:00.000Z'); // Saturday 10:00 in Shanghai
      const only = await one(policy({ defaultTeam: 'wh-office', workingHours: 'only' }), await customer());
      expect(only).toMatchObject({ status: 'unassigned', reason: { code: 'no_eligible_owner', candidates: [{ ownerId: 'wh-day', skipped: 'off_hours', atWork: false }] } });
      const prefer = await one(policy({ defaultTeam: 'wh-office', workingHours: 'prefer' }), await customer());
      expect(prefer).toMatchObject({ ownerId: 'wh-day', reason: { message: expect.stringContaining('chosen off hours') } });
      expect((await one(policy({ defaultTeam: 'wh-office', workingHours: 'ignore' }), await customer())).ownerId).toBe('wh-day');
      clock = new Date('2026-03-02T02:00:00.000Z');
    });
  });

  describe('sticky assignment', () => {
    beforeAll(async () => {
      await owners(['st-a', 'st-b']);
      await team('st', ['st-a', 'st-b']);
    });

    it('a returning customer keeps their owner; away owners keep them too unless keep_if_available; reassign always decides again', async () => {
      const p = policy({ defaultTeam: 'st' });
      const c = await customer();
      expect((await one(p, c)).ownerId).toBe('st-a');
      const again = await one(p, c);
      expect(again).toMatchObject({ status: 'kept', ownerId: 'st-a', reason: { code: 'sticky' }, owner: { id: 'st-a', name: 'st-a' } });
      expect(Number((await ds.query(`SELECT count(*) AS n FROM assignments WHERE customer_id = $1`, [c]))[0].n)).toBe(1);

      await store.owners.updateOwner('st-a', { awayUntil: '2026-03-09T00:00:00Z' });
      expect((await one(p, c)).status).toBe('kept');
      const moved = await one(policy({ defaultTeam: 'st', sticky: 'keep_if_available' }), c);
      expect(moved).toMatchObject({ status: 'assigned', ownerId: 'st-b', previousOwnerId: 'st-a' });
      await store.owners.updateOwner('st-a', { awayUntil: null });

      const reassigned = await one(policy({ defaultTeam: 'st', sticky: 'reassign' }), c);
      expect(reassigned).toMatchObject({ status: 'assigned', ownerId: 'st-a', previousOwnerId: 'st-b' });
    });

    it('an owner who left (inactive or deleted) does not keep their customers', async () => {
      const c = await customer();
      await ds.query(`UPDATE customers SET owner_id = 'someone-gone' WHERE id = $1`, [c]);
      expect(await one(policy({ defaultTeam: 'st' }), c)).toMatchObject({ status: 'assigned', previousOwnerId: 'someone-gone' });
    });
  });

  describe('records', () => {
    beforeAll(async () => {
      await owners(['rec-a', 'rec-b']);
      await team('rec', ['rec-a', 'rec-b']);
    });

    it('writes the decision, the owner and an owner_assigned timeline event together', async () => {
      const c = await customer({ city: '杭州' });
      const o = await one(policy({ rules: [{ name: '杭州', when: [{ field: 'city', op: 'eq', value: '杭州' }], team: 'rec' }] }), c, { form: 'trial' });
      const [row] = await ds.query(`SELECT * FROM assignments WHERE customer_id = $1`, [c]);
      expect(row).toMatchObject({ id: o.assignmentId, owner_id: 'rec-a', team_id: 'rec', previous_owner_id: null, strategy: 'round_robin', rule: '杭州', run_id: expect.any(String) });
      expect(row.reason).toEqual(o.reason);
      expect(o.reason.message).toBe('rule "杭州" matched: team rec, round_robin → rec-a');
      const [cust] = await ds.query(`SELECT owner_id, assigned_at FROM customers WHERE id = $1`, [c]);
      expect(cust).toEqual({ owner_id: 'rec-a', assigned_at: clock });
      const view = (await store.getCustomer(c))!;
      expect(view.owner).toMatchObject({ id: 'rec-a', assignedAt: expect.any(String) });
      const event = view.timeline.find((e) => e.type === 'owner_assigned')!;
      expect(event).toBeDefined();
      const [ev] = await ds.query(`SELECT payload, source, node_id FROM customer_events WHERE customer_id = $1 AND type = 'owner_assigned'`, [c]);
      expect(ev).toMatchObject({ source: 'assignment', node_id: 'assign', payload: { ownerId: 'rec-a', teamId: 'rec', rule: '杭州', strategy: 'round_robin', assignmentId: o.assignmentId } });
    });

    it('a retried step assigns nothing twice: the same decision comes back, nothing more is written', async () => {
      const p = policy({ defaultTeam: 'rec', sticky: 'reassign' });
      const ids = [await customer(), await customer()];
      const first = await assign(p, ids, [], 'run-retry');
      const position = (await store.owners.getTeam('rec'))!.rrPosition;
      const counts = async () => (await ds.query(`SELECT (SELECT count(*)::int FROM assignments) AS a, (SELECT count(*)::int FROM customer_events WHERE type = 'owner_assigned') AS e`))[0];
      const before = await counts();
      const retried = await assign(p, ids, [], 'run-retry');
      expect(retried.map(strip)).toEqual(first.map(strip));
      expect(retried.every((o) => o.replayed)).toBe(true);
      expect(await counts()).toEqual(before);
      expect((await store.owners.getTeam('rec'))!.rrPosition).toBe(position);
    });

    it('follows a merged customer to the survivor; unknown and erased customers are not found', async () => {
      const a = await customer();
      const b = await customer();
      await store.mergeCustomers(a, [b], { actor: 'test' });
      const o = await one(policy({ defaultTeam: 'rec' }), b);
      expect(o).toMatchObject({ status: 'assigned', customerId: a });
      expect(await ownerOf(a)).toBe(o.ownerId);
      expect(await one(policy({ defaultTeam: 'rec' }), '00000000-0000-4000-8000-000000000000')).toMatchObject({ status: 'not_found', reason: { code: 'not_found' } });
      expect(await one(policy({ defaultTeam: 'rec' }), 'not-a-uuid')).toMatchObject({ status: 'not_found' });
      const gone = await customer();
      await store.eraseCustomer(gone, 'test');
      expect(await one(policy({ defaultTeam: 'rec' }), gone)).toMatchObject({ status: 'not_found', reason: { code: 'erased' } });
    });

    it('matches owners to the customer by their attributes (ownerMatch)', async () => {
      await owners(['om-sh'], { attributes: { regions: ['上海'] } });
      await owners(['om-bj'], { attributes: { regions: ['北京', '天津'] } });
      await owners(['om-any'], { attributes: { regions: '*' } });
      await team('om', ['om-sh', 'om-bj', 'om-any']);
      const p = policy({ defaultTeam: 'om', ownerMatch: [{ attribute: 'regions', field: 'city' }] });
      const picks = [];
      for (const city of ['北京市', '北京', 'Shanghai', '成都']) picks.push((await one(p, await customer({ city }))).ownerId);
      expect(picks).toEqual(['om-bj', 'om-any', 'om-sh', 'om-any']);
    });

    it('rejects a policy it cannot apply', async () => {
      await expect(
        store.assign(policy({ rules: [{ name: 'x', team: 't', when: [{ field: 'a', op: 'matches', value: '(' }] }] }), [
          { customerId: 'x', fields: {}, idempotencyKey: 'k', provenance: { source: 's', flowId: '', flowVersion: 0, runId: '', nodeId: '' } },
        ]),
      ).rejects.toMatchObject({ code: 'invalid_input' });
    });
  });
});

function strip(o: AssignOutcome): Omit<AssignOutcome, 'replayed'> {
  const { replayed: _, ...rest } = o;
  return rest;
}
