import type { DataSource, QueryRunner } from 'typeorm';
import { CustomerStoreError } from '../customer-store.errors.js';
import { isUuid } from '../util/uuid-v7.util.js';
import type { Task, TaskPage, TaskQuery, TaskStatus } from './task.types.js';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
const STATUSES = new Set<string>(['open', 'done', 'cancelled']);

interface TaskRow {
  id: string;
  customer_id: string;
  owner_id: string | null;
  title: string;
  description: string | null;
  due_at: Date | null;
  status: TaskStatus;
  flow_id: string | null;
  run_id: string | null;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
  display_name: string | null;
  customer_exists: boolean;
  owner: { id: string; name: string; email: string | null; phone: string | null; wecomUserId: string | null } | null;
  due_us: string | null;
}

const TASK_COLUMNS = `t.id, t.customer_id, t.owner_id, t.title, t.description, t.due_at, t.status, t.flow_id, t.run_id, t.created_at, t.updated_at, t.completed_at,
  c.display_name, c.id IS NOT NULL AS customer_exists,
  (extract(epoch FROM t.due_at) * 1000000)::bigint::text AS due_us,
  CASE WHEN o.id IS NULL THEN NULL ELSE json_build_object('id', o.id, 'name', o.name, 'email', o.email, 'phone', o.phone, 'wecomUserId', o.wecom_userid) END AS owner`;
const TASK_FROM = `tasks t LEFT JOIN customers c ON c.id = t.customer_id LEFT JOIN owners o ON o.id = t.owner_id`;

/** Tasks by id, in the order asked (undefined where there is none). */
export async function loadTasks(q: DataSource | QueryRunner, ids: string[], now: Date): Promise<(Task | undefined)[]> {
  const valid = [...new Set(ids.filter(isUuid))];
  if (valid.length === 0) return ids.map(() => undefined);
  const rows: TaskRow[] = await q.query(`SELECT ${TASK_COLUMNS} FROM ${TASK_FROM} WHERE t.id = ANY($1::uuid[])`, [valid]);
  const byId = new Map(rows.map((r) => [r.id, toTask(r, now)]));
  return ids.map((id) => byId.get(id));
}

/** Tasks by owner, customer, status and due time, soonest due first; keyset-paginated on (due_at, id). */
export async function listTasks(ds: DataSource, query: TaskQuery, now: Date): Promise<TaskPage> {
  const limit = query.limit === undefined ? DEFAULT_LIMIT : Math.trunc(Number(query.limit));
  if (!Number.isFinite(limit) || limit < 1 || limit > MAX_LIMIT) throw new CustomerStoreError('invalid_query', `limit must be 1–${MAX_LIMIT}`);
  const params: unknown[] = [limit + 1];
  const where: string[] = [];
  if (query.status !== undefined && query.status !== '') {
    if (!STATUSES.has(query.status)) throw new CustomerStoreError('invalid_query', 'status must be open, done or cancelled');
    where.push(`t.status = $${params.push(query.status)}`);
  }
  if (query.ownerId) where.push(`t.owner_id = $${params.push(query.ownerId)}`);
  if (query.customerId) {
    if (!isUuid(query.customerId)) throw new CustomerStoreError('invalid_query', 'customerId must be a customer id');
    where.push(`t.customer_id = $${params.push(query.customerId)}::uuid`);
  }
  if (query.dueBefore) {
    const t = Date.parse(query.dueBefore);
    if (!Number.isFinite(t)) throw new CustomerStoreError('invalid_query', 'dueBefore must be an ISO 8601 time');
    where.push(`t.due_at < $${params.push(new Date(t).toISOString())}::timestamptz`);
  }
  if (query.cursor) {
    const [dueUs, id] = decodeTaskCursor(query.cursor);
    const idParam = params.push(id);
    if (dueUs === null) where.push(`(t.due_at IS NULL AND t.id > $${idParam}::uuid)`);
    else {
      const d = params.push(dueUs);
      const due = `('epoch'::timestamptz + $${d}::bigint * interval '1 microsecond')`;
      where.push(`(t.due_at > ${due} OR (t.due_at = ${due} AND t.id > $${idParam}::uuid) OR t.due_at IS NULL)`);
    }
  }
  const rows: TaskRow[] = await ds.query(
    `SELECT ${TASK_COLUMNS} FROM ${TASK_FROM} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY t.due_at ASC NULLS LAST, t.id LIMIT $1`,
    params,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map((r) => toTask(r, now)), nextCursor: rows.length > limit && last ? encodeTaskCursor(last.due_us, last.id) : null };
}

function toTask(r: TaskRow, now: Date): Task {
  return {
    id: r.id,
    customerId: r.customer_id,
    ownerId: r.owner_id,
    title: r.title,
    description: r.description,
    dueAt: r.due_at ? r.due_at.toISOString() : null,
    status: r.status,
    overdue: r.status === 'open' && !!r.due_at && r.due_at.getTime() < now.getTime(),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    completedAt: r.completed_at ? r.completed_at.toISOString() : null,
    flowId: r.flow_id,
    runId: r.run_id,
    owner: r.owner,
    customer: r.customer_exists ? { id: r.customer_id, displayName: r.display_name } : null,
  };
}

function encodeTaskCursor(dueUs: string | null, id: string): string {
  return Buffer.from(JSON.stringify([dueUs, id])).toString('base64url');
}

function decodeTaskCursor(cursor: string): [string | null, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && (v[0] === null || (typeof v[0] === 'string' && /^-?\d{1,20}$/.test(v[0]))) && isUuid(v[1])) return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw new CustomerStoreError('invalid_cursor', 'cursor is not one this API returned');
}
