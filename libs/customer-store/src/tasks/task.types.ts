import type { TaskSnapshot, TaskStatus } from '@tributary/engine';

export type { TaskSnapshot, TaskStatus } from '@tributary/engine';

/** A task as the API shows it. */
export interface Task extends TaskSnapshot {
  /** Open and past its due time. */
  overdue: boolean;
  updatedAt: string;
  flowId: string | null;
  runId: string | null;
  customer: { id: string; displayName: string | null } | null;
}

export interface TaskQuery {
  ownerId?: string;
  customerId?: string;
  /** `open`, `done` or `cancelled`; anything else is invalid_query (it comes from a URL). */
  status?: TaskStatus | (string & {});
  /** ISO time: tasks due before it. */
  dueBefore?: string;
  /** 1–200, default 50. */
  limit?: number;
  cursor?: string;
}

/** Soonest due first (tasks without a due time last), keyset-paginated. */
export interface TaskPage {
  items: Task[];
  nextCursor: string | null;
}
