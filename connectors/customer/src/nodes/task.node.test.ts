import { describe, expect, it } from '@jest/globals';
import type { TaskOutcome, TaskRequest } from '@tributary/engine';
import { checkNodeConfig } from '@tributary/engine';
import { describeNodeContract, InMemoryCustomerStore, runNode } from '@tributary/node-sdk';
import { renderTemplate, taskNode } from './task.node.js';

class ScriptedStore extends InMemoryCustomerStore {
  readonly calls: TaskRequest[][] = [];
  async createTasks(requests: TaskRequest[]): Promise<TaskOutcome[]> {
    this.calls.push(requests);
    return requests.map((r, i) =>
      r.customerId === 'nobody'
        ? { status: 'no_owner', customerId: r.customerId, message: 'no task: the customer has no active owner' }
        : {
            status: 'created',
            customerId: r.customerId,
            task: { id: `t${i}`, customerId: r.customerId, ownerId: 'li.lei', title: r.title, description: r.description ?? null, dueAt: null, status: 'open', createdAt: '2026-03-02T02:00:00.000Z', completedAt: null, owner: { id: 'li.lei', name: '李雷', email: null, phone: null, wecomUserId: 'LiLei' } },
          },
    );
  }
}

await describeNodeContract(taskNode, { now: new Date('2026-03-02T02:00:00Z'), store: new ScriptedStore() });

describe('customer.task', () => {
  it('fills the title from item fields', () => {
    const item = { name: '张三', phone: '13912345670', lead: { form: '试用申请' }, tags: ['a', 'b'] };
    expect(renderTemplate('跟进 {{name}} ({{ phone }})：{{lead.form}}', item)).toBe('跟进 张三 (13912345670)：试用申请');
    expect(renderTemplate('{{nickname|name}} {{missing}} {{tags}}', item)).toBe('张三 a, b');
    expect(renderTemplate('{{missing}}', item)).toBe('');
  });

  it('asks the store for one keyed task per item, with the owner rule, due time and rendered text', async () => {
    const store = new ScriptedStore();
    const r = await runNode(taskNode, {
      config: { title: '跟进 {{name}}', description: '电话 {{phone}}', assignTo: 'team_lead', teamId: 'east', fallback: 'unowned', dueInHours: 8, businessHours: true, dueAtField: 'followUpBy' },
      items: [{ customerId: 'c1', name: '张三', phone: '139' }, { customerId: 'c2', name: '李四', followUpBy: '2026-03-05T10:00:00+08:00' }, { name: 'no id' }, { customerId: 'c3', followUpBy: 'someday' }, { customerId: 'nobody' }],
      store,
      runId: 'run-3',
      nodeId: 'task',
    });
    expect(store.calls[0]).toEqual([
      {
        customerId: 'c1',
        assignTo: { kind: 'team_lead', teamId: 'east' },
        fallback: 'unowned',
        title: '跟进 张三',
        description: '电话 139',
        due: { hours: 8, businessHours: true },
        idempotencyKey: 'run-3:task:0',
        provenance: { source: 'task', flowId: 'flow-test', flowVersion: 1, runId: 'run-3', nodeId: 'task' },
      },
      expect.objectContaining({ customerId: 'c2', title: '跟进 李四', due: { at: '2026-03-05T02:00:00.000Z' }, idempotencyKey: 'run-3:task:1' }),
      expect.objectContaining({ customerId: 'nobody', title: '跟进', idempotencyKey: 'run-3:task:4' }),
    ]);
    expect(r.out!.map((i) => [i.customerId, i.taskId, (i.task as { owner: { wecomUserId: string } }).owner.wecomUserId])).toEqual([
      ['c1', 't0', 'LiLei'],
      ['c2', 't1', 'LiLei'],
    ]);
    expect(r.error!.map((e) => (e as { error: { code: string } }).error.code)).toEqual(['no_customer', 'invalid_time', 'no_owner']);
  });

  it('needs an owner id for a fixed owner, and balanced placeholders', () => {
    expect(checkNodeConfig(taskNode, { title: 'x', assignTo: 'owner' }).checkIssues.map((i) => i.path)).toEqual(['/ownerId']);
    expect(checkNodeConfig(taskNode, { title: '跟进 {{name' }).checkIssues.map((i) => i.path)).toEqual(['/title']);
  });
});
