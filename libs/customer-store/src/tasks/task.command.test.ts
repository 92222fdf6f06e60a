import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TaskRequest } from '@tributary/engine';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../../test/support/services.js';
import { openStoreDataSource } from '../__fixtures__/store-data-source.js';
import { upsertInput } from '../__fixtures__/upsert-input.fixture.js';
import { CustomerStoreError } from '../customer-store.errors.js';
import { CustomerStore } from '../customer-store.service.js';

describe('tasks', () => {
  let ds: DataSource;
  let store: CustomerStore;
  let clock = new Date('2026-03-06T08:00:00.000Z'); // Friday 16:00 in Shanghai
  let phone = 13600000000;
  let seq = 0;

  beforeAll(async () => {
    ds = await openStoreDataSource(await createTestDatabase('cs_tasks'));
    store = new CustomerStore(ds, { now: () => clock });
    await store.owners.createOwner({ id: 'sales-a', name: '王销售', email: 'a@corp.cn', wecomUserId: 'WangA', workingHours: { timezone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' } });
    await store.owners.createOwner({ id: 'sales-b', name: 'B' });
    await store.owners.createOwner({ id: 'lead-east', name: '主管' });
    await store.owners.createOwner({ id: 'retired', name: 'R', active: false });
    await store.owners.createTeam({ id: 'east', name: 'East', members: ['sales-a', 'sales-b'], leadOwnerId: 'lead-east' });
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  const customer = async (): Promise<string> => (await store.upsert([upsertInput({ identities: [{ type: 'phone', value: String(++phone) }] })]))[0]!.customerId;
  const assigned = async (): Promise<string> => {
    const id = await customer();
    await store.assign({ rules: [], defaultTeam: 'east', strategy: 'round_robin', workingHours: 'ignore', sticky: 'keep', closedStages: [] }, [
      { customerId: id, fields: {}, idempotencyKey: `assign-${++seq}`, provenance: { source: 'assignment', flowId: 'f', flowVersion: 1, runId: `r${seq}`, nodeId: 'assign' } },
    ]);
    return id;
  };
  const request = (customerId: string, over: Partial<TaskRequest> = {}): TaskRequest => ({
    customerId,
    assignTo: { kind: 'customer_owner' },
    fallback: 'error',
    title: '跟进新线索',
    idempotencyKey: `task-${++seq}`,
    provenance: { source: 'task', flowId: 'flow-1', flowVersion: 2, runId: `run-${seq}`, nodeId: 'task' },
    ...over,
  });
  const ownerOf = async (id: string) => ((await ds.query(`SELECT owner_id FROM customers WHERE id = $1`, [id])) as { owner_id: string }[])[0]!.owner_id;

  it("creates a task for the customer's owner with a due time, once per idempotency key", async () => {
    const c = await assigned();
    const owner = await ownerOf(c);
    const req = request(c, { due: { hours: 24 }, description: 'call back' });
    const [created] = await store.createTasks([req]);
    expect(created).toMatchObject({
      status: 'created',
      customerId: c,
      task: { customerId: c, ownerId: owner, title: '跟进新线索', description: 'call back', dueAt: '2026-03-07T08:00:00.000Z', status: 'open', completedAt: null, owner: { id: owner } },
    });
    const [again] = await store.createTasks([req]);
    expect(again).toMatchObject({ status: 'existing', task: { id: created!.task!.id } });
    expect(await ds.query(`SELECT count(*)::int AS n FROM tasks WHERE customer_id = $1`, [c])).toEqual([{ n: 1 }]);
    const events = await ds.query(`SELECT type, payload, flow_id, run_id FROM customer_events WHERE customer_id = $1 AND type = 'task_created'`, [c]);
    expect(events).toEqual([{ type: 'task_created', payload: expect.objectContaining({ taskId: created!.task!.id, ownerId: owner }), flow_id: 'flow-1', run_id: req.provenance.runId }]);
  });

  it("counts business hours in the owner's working hours", async () => {
    const c = await customer();
    await ds.query(`UPDATE customers SET owner_id = 'sales-a' WHERE id = $1`, [c]);
    // Friday 16:00 + 4 business hours: 2 on Friday, 2 on Monday → Monday 11:00 in Shanghai.
    const [t] = await store.createTasks([request(c, { due: { hours: 4, businessHours: true } })]);
    expect(t!.task).toMatchObject({ ownerId: 'sales-a', dueAt: '2026-03-09T03:00:00.000Z', owner: { name: '王销售', email: 'a@corp.cn', wecomUserId: 'WangA' } });
    const [fixed] = await store.createTasks([request(c, { due: { at: '2026-03-10T10:00:00+08:00' } })]);
    expect(fixed!.task!.dueAt).toBe('2026-03-10T02:00:00.000Z');
  });

  it('escalates to the lead of the team the customer was assigned through, or a fixed owner', async () => {
    const c = await assigned();
    const [lead] = await store.createTasks([request(c, { assignTo: { kind: 'team_lead' }, title: '超时未跟进' })]);
    expect(lead!.task).toMatchObject({ ownerId: 'lead-east', title: '超时未跟进' });
    const [named] = await store.createTasks([request(c, { assignTo: { kind: 'team_lead', teamId: 'east' } })]);
    expect(named!.task!.ownerId).toBe('lead-east');
    const [fixed] = await store.createTasks([request(c, { assignTo: { kind: 'owner', ownerId: 'sales-b' } })]);
    expect(fixed!.task!.ownerId).toBe('sales-b');
  });

  it('without an active owner: no task (error), the team lead, or a task nobody owns, as configured', async () => {
    const c = await customer();
    expect((await store.createTasks([request(c)]))[0]).toMatchObject({ status: 'no_owner', message: expect.stringContaining('no active owner') });
    expect((await store.createTasks([request(c, { assignTo: { kind: 'owner', ownerId: 'retired' } })]))[0]).toMatchObject({ status: 'no_owner' });
    expect((await store.createTasks([request(c, { fallback: 'unowned' })]))[0]).toMatchObject({ status: 'created', task: { ownerId: null, owner: null } });
    // An owner who is in a team but no longer active: the lead of their team takes it.
    await store.owners.createTeam({ id: 'old', name: 'Old', members: ['retired'], leadOwnerId: 'lead-east' });
    await ds.query(`UPDATE customers SET owner_id = 'retired' WHERE id = $1`, [c]);
    expect((await store.createTasks([request(c, { fallback: 'team_lead' })]))[0]!.task!.ownerId).toBe('lead-east');
    expect((await store.createTasks([request('00000000-0000-4000-8000-000000000000')]))[0]).toMatchObject({ status: 'not_found' });
  });

  it('puts the task of a merged customer on the survivor', async () => {
    const a = await assigned();
    const b = await customer();
    await store.mergeCustomers(a, [b], { actor: 'test' });
    expect((await store.createTasks([request(b)]))[0]).toMatchObject({ status: 'created', customerId: a, task: { customerId: a } });
  });

  describe('working tasks (TaskBoard)', () => {
    let ids: string[] = [];
    beforeAll(async () => {
      await store.owners.createOwner({ id: 'board', name: 'Board' });
      const out = await store.createTasks(
        await Promise.all(
          [30, 10, 20, null].map(async (hours) => {
            const c = await customer();
            await ds.query(`UPDATE customers SET owner_id = 'board' WHERE id = $1`, [c]);
            return request(c, hours === null ? {} : { due: { hours } });
          }),
        ),
      );
      ids = out.map((o) => o.task!.id);
    });

    it('lists tasks by owner, status and due time, soonest first, page by page', async () => {
      const first = await store.tasks.list({ ownerId: 'board', limit: 2 });
      expect(first.items.map((t) => t.id)).toEqual([ids[1], ids[2]]);
      const second = await store.tasks.list({ ownerId: 'board', limit: 2, cursor: first.nextCursor! });
      expect(second.items.map((t) => t.id)).toEqual([ids[0], ids[3]]);
      expect(second.nextCursor).toBeNull();
      const due = await store.tasks.list({ ownerId: 'board', dueBefore: '2026-03-07T05:00:00Z' });
      expect(due.items.map((t) => t.id)).toEqual([ids[1], ids[2]]);
      expect(due.items[0]).toMatchObject({ status: 'open', overdue: false, owner: { id: 'board' }, customer: { id: expect.any(String) } });
      await expect(store.tasks.list({ status: 'bogus' })).rejects.toMatchObject({ code: 'invalid_query' });
      await expect(store.tasks.list({ dueBefore: 'tomorrow' })).rejects.toMatchObject({ code: 'invalid_query' });
      await expect(store.tasks.list({ cursor: 'x' })).rejects.toMatchObject({ code: 'invalid_cursor' });
    });

    it('completes a task once, with task_completed on the timeline; a done task cannot be cancelled', async () => {
      clock = new Date('2026-03-06T20:00:00.000Z'); // past the due time of ids[1]
      expect((await store.tasks.get(ids[1]!))!.overdue).toBe(true);
      const done = await store.tasks.complete(ids[1]!, { actor: 'admin', note: '已电话联系' });
      expect(done).toMatchObject({ status: 'done', completedAt: '2026-03-06T20:00:00.000Z', overdue: false });
      const again = await store.tasks.complete(ids[1]!, { actor: 'admin' });
      expect(again.completedAt).toBe(done.completedAt);
      const events = await ds.query(`SELECT type, payload, source FROM customer_events WHERE type = 'task_completed' AND payload->>'taskId' = $1`, [ids[1]]);
      expect(events).toEqual([
        {
          type: 'task_completed',
          source: 'manual',
          payload: expect.objectContaining({ taskId: ids[1], ownerId: 'board', completedAt: '2026-03-06T20:00:00.000Z', overdue: true, by: 'admin', note: '已电话联系' }),
        },
      ]);
      await expect(store.tasks.cancel(ids[1]!, { actor: 'admin' })).rejects.toMatchObject({ code: 'conflict' });
      expect((await store.tasks.list({ ownerId: 'board', status: 'done' })).items.map((t) => t.id)).toEqual([ids[1]]);
    });

    it('cancels a task, and reads tasks by id for task-check', async () => {
      expect(await store.tasks.cancel(ids[2]!, { actor: 'admin' })).toMatchObject({ status: 'cancelled', completedAt: null });
      await expect(store.tasks.complete(ids[2]!, { actor: 'admin' })).rejects.toMatchObject({ code: 'conflict' });
      await expect(store.tasks.complete('00000000-0000-4000-8000-000000000000', { actor: 'admin' })).rejects.toBeInstanceOf(CustomerStoreError);
      const snaps = await store.getTasks([ids[2]!, 'nope', ids[0]!]);
      expect(snaps.map((t) => t?.status)).toEqual(['cancelled', undefined, 'open']);
    });
  });
});
