import { describe, expect, it } from '@jest/globals';
import type { TaskSnapshot } from '@tributary/engine';
import { describeNodeContract, InMemoryCustomerStore, runNode } from '@tributary/node-sdk';
import { taskCheckNode } from './task-check.node.js';

const task = (id: string, status: TaskSnapshot['status'], dueAt: string | null): TaskSnapshot => ({
  id,
  customerId: 'c1',
  ownerId: 'li.lei',
  title: '跟进',
  description: null,
  dueAt,
  status,
  createdAt: '2026-03-01T00:00:00.000Z',
  completedAt: status === 'done' ? '2026-03-02T00:00:00.000Z' : null,
  owner: { id: 'li.lei', name: '李雷', email: 'lilei@corp.cn', phone: null, wecomUserId: 'LiLei' },
});

class ScriptedStore extends InMemoryCustomerStore {
  readonly tasks = new Map<string, TaskSnapshot>([
    ['t-open', task('t-open', 'open', '2026-03-03T00:00:00.000Z')],
    ['t-done', task('t-done', 'done', null)],
    ['t-cancelled', task('t-cancelled', 'cancelled', null)],
    ['0190c6f2-7d1e-7c3a-9f00-0000000000aa', task('0190c6f2-7d1e-7c3a-9f00-0000000000aa', 'open', null)],
  ]);
  async getTasks(ids: string[]) {
    return ids.map((id) => this.tasks.get(id));
  }
}

await describeNodeContract(taskCheckNode, { now: new Date('2026-03-02T02:00:00Z'), store: new ScriptedStore() });

describe('customer.task-check', () => {
  it('sends each item on by its task’s status now', async () => {
    const r = await runNode(taskCheckNode, {
      config: {},
      items: [{ taskId: 't-open' }, { taskId: 't-done' }, { taskId: 't-cancelled' }, { taskId: 't-gone' }, { name: 'no task' }],
      store: new ScriptedStore(),
      now: new Date('2026-03-04T00:00:00Z'),
    });
    expect(r.open).toEqual([{ taskId: 't-open', task: expect.objectContaining({ id: 't-open', status: 'open', overdue: true, owner: expect.objectContaining({ wecomUserId: 'LiLei' }) }) }]);
    expect(r.done!.map((i) => i.taskId)).toEqual(['t-done']);
    expect(r.cancelled!.map((i) => i.taskId)).toEqual(['t-cancelled']);
    expect(r.error!.map((e) => (e as { error: { code: string } }).error.code)).toEqual(['no_task', 'task_not_found']);
  });

  it('sends items to error when the store keeps no tasks', async () => {
    const r = await runNode(taskCheckNode, { config: {}, items: [{ taskId: 'x' }] });
    expect(r.error![0]).toMatchObject({ error: { code: 'store_unsupported' } });
  });
});
