import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BatchingCustomerStore, CustomerStore, openCustomerStoreDataSource } from '@tributary/customer-store';
import { runNode } from '@tributary/node-sdk';
import { createTestDatabase } from '../../../../test/support/services.js';
import { assignNode } from './assign.node.js';
import { taskCheckNode } from './task-check.node.js';
import { taskNode } from './task.node.js';
import { upsertNode } from './upsert.node.js';

// upsert → assign → task → (days later) task-check, on the real store as a worker runs them.
describe('customer.assign → customer.task → customer.task-check on the real store', () => {
  let ds: Awaited<ReturnType<typeof openCustomerStoreDataSource>>;
  let store: CustomerStore;
  let worker: BatchingCustomerStore;
  const now = new Date('2026-03-02T02:00:00Z'); // Monday 10:00 in Shanghai

  beforeAll(async () => {
    ds = await openCustomerStoreDataSource({ url: await createTestDatabase('cc_assign'), poolSize: 3 });
    store = new CustomerStore(ds, { now: () => now });
    worker = new BatchingCustomerStore(store);
    for (const [id, name] of [['east-1', '王一'], ['east-2', '王二'], ['pool-1', '池'], ['lead', '主管']]) {
      await store.owners.createOwner({ id, name, wecomUserId: id.toUpperCase(), workingHours: { timezone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' } });
    }
    await store.owners.createTeam({ id: 'east', name: '华东', members: ['east-1', 'east-2'], leadOwnerId: 'lead' });
    await store.owners.createTeam({ id: 'pool', name: '公海', members: ['pool-1'], leadOwnerId: 'lead' });
  });
  afterAll(async () => {
    await worker?.flush();
    await ds?.destroy();
  });

  const assignConfig = { rules: [{ name: '华东', when: [{ field: 'city', op: 'in', value: ['上海', '杭州'] }], team: 'east' }], defaultTeam: 'pool' };

  it('assigns web-form leads by region, creates a follow-up for the owner, and tells open from done later', async () => {
    const leads = [
      { 姓名: '张三', 手机: '13900001111', 城市: '上海市' },
      { 姓名: '李四', 手机: '13900002222', 城市: '杭州' },
      { 姓名: '王五', 手机: '13900003333', 城市: '成都' },
    ];
    const saved = await runNode(upsertNode, { config: { source: 'webform' }, items: leads, store: worker, runId: 'run-1', nodeId: 'save', now });
    const assigned = await runNode(assignNode, { config: assignConfig, items: saved.out, store: worker, runId: 'run-1', nodeId: 'assign', now });
    expect(assigned.out!.map((i) => [i['姓名'], i.teamId, i.ownerId])).toEqual([
      ['张三', 'east', 'east-1'],
      ['李四', 'east', 'east-2'],
      ['王五', 'pool', 'pool-1'],
    ]);
    // The step again (a retry): the same decisions, nothing new.
    const retried = await runNode(assignNode, { config: assignConfig, items: saved.out, store: worker, runId: 'run-1', nodeId: 'assign', now });
    expect(retried.out!.map((i) => i.ownerId)).toEqual(['east-1', 'east-2', 'pool-1']);
    expect(await ds.query(`SELECT count(*)::int AS n FROM assignments`)).toEqual([{ n: 3 }]);

    const tasks = await runNode(taskNode, {
      config: { title: '跟进新线索 {{姓名}} {{手机}}', dueInHours: 24, businessHours: true },
      items: assigned.out,
      store: worker,
      runId: 'run-1',
      nodeId: 'task',
      now,
    });
    expect(tasks.out!.map((i) => [(i.task as { title: string }).title, (i.task as { ownerId: string }).ownerId, (i.task as { dueAt: string }).dueAt])).toEqual([
      ['跟进新线索 张三 13900001111', 'east-1', '2026-03-04T08:00:00.000Z'], // 24 business hours from Monday 10:00: 8 + 9 + 7 → Wednesday 16:00 in Shanghai
      ['跟进新线索 李四 13900002222', 'east-2', '2026-03-04T08:00:00.000Z'],
      ['跟进新线索 王五 13900003333', 'pool-1', '2026-03-04T08:00:00.000Z'],
    ]);

    // Days later: the first lead was followed up, the others were not.
    await store.tasks.complete(tasks.out![0]!.taskId as string, { actor: 'east-1' });
    const check = await runNode(taskCheckNode, { config: {}, items: tasks.out, store: worker, runId: 'run-1', nodeId: 'check', now: new Date('2026-03-05T02:00:00Z') });
    expect(check.done!.map((i) => i['姓名'])).toEqual(['张三']);
    expect(check.open!.map((i) => [i['姓名'], (i.task as { overdue: boolean }).overdue])).toEqual([
      ['李四', true],
      ['王五', true],
    ]);
    // Escalate the open ones to the team lead.
    const escalated = await runNode(taskNode, {
      config: { title: '超时未跟进：{{姓名}}（负责人 {{task.owner.name}}）', assignTo: 'team_lead' },
      items: check.open,
      store: worker,
      runId: 'run-2',
      nodeId: 'escalate',
      now,
    });
    expect(escalated.out!.map((i) => [(i.task as { ownerId: string }).ownerId, (i.task as { title: string }).title])).toEqual([
      ['lead', '超时未跟进：李四（负责人 王二）'],
      ['lead', '超时未跟进：王五（负责人 池）'],
    ]);

    const view = (await store.getCustomer(saved.out![0]!.customerId as string))!;
    expect(view.owner).toEqual({ id: 'east-1', name: '王一', assignedAt: expect.any(String) });
    expect(view.timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['owner_assigned', 'task_created', 'task_completed']));
  });
});
