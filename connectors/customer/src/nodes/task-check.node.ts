import type { TaskSnapshot } from '@tributary/engine';
import { defineNode, errorItem, type Item } from '@tributary/node-sdk';
import { taskCheckNodeLocales } from './task-check.node.locale.js';

export interface TaskCheckConfig {
  taskIdField: string;
}

export const taskCheckNode = defineNode<TaskCheckConfig>({
  id: 'customer.task-check',
  version: 1,
  title: 'Check a task',
  description:
    'Reads the task customer.task made (its id in `taskId`) as it is now and sends the item on by its status: `open`, `done` or `cancelled`, with `task` refreshed (status, due time, `overdue`, owner with e-mail, phone and WeCom userid). Put it after core.delay for "no follow-up 3 days after assignment → remind the owner; 2 days later still open → escalate to the team lead". Reads only: safe to retry.',
  category: 'customer',
  locales: taskCheckNodeLocales,
  icon: 'list-checks',
  outputs: ['open', 'done', 'cancelled', 'error'],
  configSchema: {
    type: 'object',
    properties: {
      taskIdField: { type: 'string', minLength: 1, maxLength: 100, default: 'taskId', title: 'Task id field', description: 'Set by customer.task.' },
    },
    additionalProperties: false,
  },
  retry: { maxAttempts: 5, backoffMs: 200, maxBackoffMs: 5000 },
  sample: {
    config: { taskIdField: 'taskId' },
    input: [{ customerId: '0190c6f2-7d1e-7c3a-9f00-000000000001', taskId: '0190c6f2-7d1e-7c3a-9f00-0000000000aa' }],
  },
  async run(ctx, items) {
    const field = ctx.config.taskIdField;
    const ports: Record<'open' | 'done' | 'cancelled' | 'error', Item[]> = { open: [], done: [], cancelled: [], error: [] };
    const store = ctx.store;
    const pending: { item: Item; id: string }[] = [];
    for (const item of items) {
      const id = item[field];
      if (typeof id !== 'string' || !id.trim()) ports.error.push(errorItem(item, 'no_task', `the item has no ${field}: put customer.task before customer.task-check`));
      else if (!store.getTasks) ports.error.push(errorItem(item, 'store_unsupported', 'this customer store keeps no tasks (customer.task-check needs the built-in customer store)'));
      else pending.push({ item, id: id.trim() });
    }
    if (pending.length === 0) return ports;
    const tasks = await store.getTasks!(pending.map((p) => p.id));
    const now = ctx.now().getTime();
    pending.forEach(({ item, id }, n) => {
      const t = tasks[n] as TaskSnapshot | undefined;
      if (!t) {
        ports.error.push(errorItem(item, 'task_not_found', `no task ${id}`));
        return;
      }
      const task = {
        id: t.id,
        customerId: t.customerId,
        ownerId: t.ownerId,
        title: t.title,
        status: t.status,
        dueAt: t.dueAt,
        overdue: t.status === 'open' && !!t.dueAt && Date.parse(t.dueAt) < now,
        createdAt: t.createdAt,
        completedAt: t.completedAt,
        owner: t.owner ? { ...t.owner } : null,
      };
      ports[t.status].push({ ...item, task });
    });
    return ports;
  },
});
