import type { DataSource } from 'typeorm';
import { CustomerStoreError } from '../customer-store.errors.js';
import { inTransaction } from '../util/transaction.util.js';
import { runCloseTask } from './task.command.js';
import { listTasks, loadTasks } from './task.query.js';
import type { Task, TaskPage, TaskQuery } from './task.types.js';

/** Follow-up tasks as people work them through the API: list, complete, cancel. */
export class TaskBoard {
  constructor(
    private readonly ds: DataSource,
    private readonly now: () => Date = () => new Date(),
    private readonly attempts = 5,
  ) {}

  /** Throws CustomerStoreError invalid_query / invalid_cursor on a malformed query. */
  list(query: TaskQuery = {}): Promise<TaskPage> {
    return listTasks(this.ds, query, this.now());
  }

  async get(id: string): Promise<Task | undefined> {
    return (await loadTasks(this.ds, [id], this.now()))[0];
  }

  /** Done, with `task_completed` on the customer's timeline; not_found, or conflict when cancelled. Completing twice is a no-op. */
  complete(id: string, options: { actor: string; note?: string }): Promise<Task> {
    return this.close(id, 'done', options);
  }

  /** Cancelled, with `task_cancelled` on the timeline; not_found, or conflict when done. */
  cancel(id: string, options: { actor: string; note?: string }): Promise<Task> {
    return this.close(id, 'cancelled', options);
  }

  private async close(id: string, to: 'done' | 'cancelled', options: { actor: string; note?: string }): Promise<Task> {
    const found = await inTransaction(this.ds, (q) => runCloseTask(q, id, to, options, this.now()), { attempts: this.attempts });
    if (!found) throw new CustomerStoreError('not_found', `task ${id} not found`, { task: id });
    return (await this.get(id))!;
  }
}
