import type { TaskOutcome, TaskRequest } from '@tributary/engine';
import type { QueryRunner } from 'typeorm';
import { followToSurvivors } from '../assignment/live-customer.query.js';
import { CustomerStoreError } from '../customer-store.errors.js';
import { loadOwners, type OwnerRow } from '../owners/owner-row.query.js';
import { addWorkingHours } from '../owners/working-hours.util.js';
import { isUuid, uuidv7 } from '../util/uuid-v7.util.js';
import { loadTasks } from './task.query.js';
import type { Task } from './task.types.js';

const MAX_TITLE = 500;
const MAX_DESCRIPTION = 5000;

interface Planned {
  index: number;
  id: string;
  customerId: string;
  ownerId: string | null;
  dueAt: string | null;
  request: TaskRequest;
}

/**
 * Creates one task per request inside the caller's transaction: the owner resolved from
 * `assignTo` (then `fallback`), the due time (business hours in the owner's working hours),
 * and a `task_created` timeline event. A request whose idempotency key already made a task
 * answers `existing` with it.
 */
export async function runCreateTasks(q: QueryRunner, requests: TaskRequest[], now: Date): Promise<TaskOutcome[]> {
  const outcomes: (TaskOutcome | undefined)[] = new Array(requests.length);
  for (const r of requests) {
    if (typeof r.title !== 'string' || !r.title.trim()) throw new CustomerStoreError('invalid_input', 'a task needs a title');
  }
  const existingRows: { id: string; idempotency_key: string }[] = await q.query(`SELECT id, idempotency_key FROM tasks WHERE idempotency_key = ANY($1::text[])`, [
    requests.map((r) => r.idempotencyKey),
  ]);
  const existing = new Map(existingRows.map((r) => [r.idempotency_key, r.id]));
  const survivors = await followToSurvivors(q, [...new Set(requests.map((r) => r.customerId).filter(isUuid))]);
  const liveIds = [...new Set([...survivors.values()].filter((v) => v !== 'erased'))];
  const customerOwner = new Map<string, string | null>();
  if (liveIds.length > 0) {
    const rows: { id: string; owner_id: string | null }[] = await q.query(`SELECT id, owner_id FROM customers WHERE id = ANY($1::uuid[])`, [liveIds]);
    for (const r of rows) customerOwner.set(r.id, r.owner_id);
  }

  // The team each customer was last assigned through, and every team's lead, for team_lead.
  const needsLead = requests.some((r) => r.assignTo.kind === 'team_lead' || r.fallback === 'team_lead');
  const assignedTeam = new Map<string, string>();
  const memberTeam = new Map<string, string>();
  const leads = new Map<string, string | null>();
  if (needsLead && liveIds.length > 0) {
    const rows: { customer_id: string; team_id: string }[] = await q.query(
      `SELECT DISTINCT ON (a.customer_id) a.customer_id, a.team_id FROM assignments a JOIN customers c ON c.id = a.customer_id
        WHERE a.customer_id = ANY($1::uuid[]) AND a.team_id IS NOT NULL AND a.owner_id = c.owner_id
        ORDER BY a.customer_id, a.assigned_at DESC`,
      [liveIds],
    );
    for (const r of rows) assignedTeam.set(r.customer_id, r.team_id);
    const owned = [...new Set([...customerOwner.values()].filter((o): o is string => !!o))];
    const member: { owner_id: string; team_id: string }[] = owned.length
      ? await q.query(`SELECT owner_id, min(team_id) AS team_id FROM team_members WHERE owner_id = ANY($1::text[]) GROUP BY owner_id`, [owned])
      : [];
    for (const r of member) memberTeam.set(r.owner_id, r.team_id);
    const teamIds = [...new Set([...assignedTeam.values(), ...memberTeam.values(), ...requests.flatMap((r) => (r.assignTo.kind === 'team_lead' && r.assignTo.teamId ? [r.assignTo.teamId] : []))])];
    const teams: { id: string; lead_owner_id: string | null }[] = teamIds.length ? await q.query(`SELECT id, lead_owner_id FROM teams WHERE id = ANY($1::text[])`, [teamIds]) : [];
    for (const t of teams) leads.set(t.id, t.lead_owner_id);
  }
  const owners = new Map<string, OwnerRow>();
  await loadOwners(
    q,
    [
      ...[...customerOwner.values()].filter((o): o is string => !!o),
      ...[...leads.values()].filter((o): o is string => !!o),
      ...requests.flatMap((r) => (r.assignTo.kind === 'owner' ? [r.assignTo.ownerId] : [])),
    ],
    owners,
    false,
  );
  const activeOwner = (id: string | null | undefined) => (id && owners.get(id)?.active ? id : undefined);
  const leadOf = (customerId: string, teamId?: string) => {
    const team = teamId ?? assignedTeam.get(customerId) ?? memberTeam.get(customerOwner.get(customerId) ?? '');
    return team ? activeOwner(leads.get(team)) : undefined;
  };

  const planned: Planned[] = [];
  requests.forEach((req, index) => {
    const live = survivors.get(req.customerId);
    if (existing.has(req.idempotencyKey)) return; // answered below with the stored task
    if (!live || live === 'erased') {
      outcomes[index] = { status: 'not_found', customerId: req.customerId, message: live === 'erased' ? `customer ${req.customerId} was erased` : `no customer ${req.customerId}` };
      return;
    }
    const a = req.assignTo;
    let ownerId =
      a.kind === 'customer_owner' ? activeOwner(customerOwner.get(live)) : a.kind === 'team_lead' ? leadOf(live, a.teamId) : activeOwner(a.ownerId);
    if (!ownerId && req.fallback === 'team_lead') ownerId = leadOf(live);
    if (!ownerId && req.fallback !== 'unowned') {
      const who = a.kind === 'customer_owner' ? 'the customer has no active owner' : a.kind === 'team_lead' ? 'no active team lead' : `owner ${a.ownerId} is unknown or inactive`;
      outcomes[index] = { status: 'no_owner', customerId: live, message: `no task: ${who}${req.fallback === 'team_lead' ? ' and no active team lead' : ''}` };
      return;
    }
    planned.push({ index, id: uuidv7(now.getTime()), customerId: live, ownerId: ownerId ?? null, dueAt: dueAtOf(req, ownerId ? owners.get(ownerId) : undefined, now), request: req });
  });

  if (planned.length > 0) {
    const rows = planned.map((p) => ({
      id: p.id,
      customer_id: p.customerId,
      owner_id: p.ownerId,
      title: p.request.title.trim().slice(0, MAX_TITLE),
      description: p.request.description?.slice(0, MAX_DESCRIPTION) || null,
      due_at: p.dueAt,
      idempotency_key: p.request.idempotencyKey,
      flow_id: p.request.provenance.flowId || null,
      flow_version: p.request.provenance.flowVersion || null,
      run_id: p.request.provenance.runId || null,
      node_id: p.request.provenance.nodeId || null,
      source: p.request.provenance.source || 'task',
    }));
    // A concurrent attempt with the same key may win: its task is read back below.
    const inserted: { id: string; idempotency_key: string }[] = await q.query(
      `WITH d AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS d(id uuid, customer_id uuid, owner_id text, title text, description text, due_at timestamptz,
                idempotency_key text, flow_id text, flow_version integer, run_id text, node_id text, source text)
       ), t AS (
         INSERT INTO tasks (id, customer_id, owner_id, title, description, due_at, idempotency_key, flow_id, run_id, created_at, updated_at)
         SELECT id, customer_id, owner_id, title, description, due_at, idempotency_key, flow_id, run_id, $2::timestamptz, $2::timestamptz FROM d
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING id, idempotency_key
       ), e AS (
         INSERT INTO customer_events (customer_id, type, occurred_at, payload, source, flow_id, flow_version, run_id, node_id, idempotency_key)
         SELECT d.customer_id, 'task_created', $2::timestamptz,
                jsonb_build_object('taskId', d.id, 'ownerId', d.owner_id, 'title', d.title, 'dueAt', d.due_at),
                d.source, d.flow_id, d.flow_version, d.run_id, d.node_id, d.idempotency_key || ':task_created'
           FROM d JOIN t ON t.id = d.id
         ON CONFLICT (idempotency_key) DO NOTHING
       )
       SELECT id, idempotency_key FROM t`,
      [JSON.stringify(rows), now.toISOString()],
    );
    const created = new Set(inserted.map((r) => r.id));
    const lost = planned.filter((p) => !created.has(p.id));
    if (lost.length > 0) {
      const again: { id: string; idempotency_key: string }[] = await q.query(`SELECT id, idempotency_key FROM tasks WHERE idempotency_key = ANY($1::text[])`, [
        lost.map((p) => p.request.idempotencyKey),
      ]);
      for (const r of again) existing.set(r.idempotency_key, r.id);
    }
    for (const p of planned) if (created.has(p.id)) outcomes[p.index] = { status: 'created', customerId: p.customerId };
  }

  // Snapshots of every task named, new or stored.
  const taskIdOf = (i: number) => (outcomes[i]?.status === 'created' ? planned.find((p) => p.index === i)!.id : existing.get(requests[i]!.idempotencyKey));
  const ids = requests.map((_, i) => taskIdOf(i)).filter((id): id is string => !!id);
  const tasks = new Map((await loadTasks(q, ids, now)).filter((t): t is Task => !!t).map((t) => [t.id, t]));
  return requests.map((req, i) => {
    const id = taskIdOf(i);
    const task = id ? tasks.get(id) : undefined;
    if (task) {
      const { id: taskId, customerId, ownerId, title, description, dueAt, status, createdAt, completedAt, owner } = task;
      return { status: outcomes[i]?.status === 'created' ? 'created' : 'existing', customerId, task: { id: taskId, customerId, ownerId, title, description, dueAt, status, createdAt, completedAt, owner } };
    }
    return outcomes[i] ?? { status: 'not_found', customerId: req.customerId, message: `no customer ${req.customerId}` };
  });
}

/**
 * Marks a task done (`complete`) or cancelled, once: the same change again returns the task
 * unchanged; the other one on a closed task is a conflict. Completing writes `task_completed`
 * on the customer's timeline (reports read it for time to first contact); cancelling writes
 * `task_cancelled`.
 */
export async function runCloseTask(q: QueryRunner, id: string, to: 'done' | 'cancelled', options: { actor: string; note?: string }, now: Date): Promise<string | undefined> {
  if (!isUuid(id)) return undefined;
  const [task]: { id: string; customer_id: string; owner_id: string | null; status: string; created_at: Date; due_at: Date | null; title: string }[] = await q.query(
    `SELECT id, customer_id, owner_id, status, created_at, due_at, title FROM tasks WHERE id = $1 FOR UPDATE`,
    [id],
  );
  if (!task) return undefined;
  if (task.status === to) return task.id;
  if (task.status !== 'open') throw new CustomerStoreError('conflict', `task ${id} is already ${task.status}`, { task: id, status: task.status });
  const at = now.toISOString();
  await q.query(`UPDATE tasks SET status = $2, updated_at = $3::timestamptz, completed_at = CASE WHEN $2 = 'done' THEN $3::timestamptz ELSE completed_at END WHERE id = $1`, [
    id,
    to,
    at,
  ]);
  const live = (await followToSurvivors(q, [task.customer_id])).get(task.customer_id);
  if (live && live !== 'erased') {
    const payload = {
      taskId: id,
      ownerId: task.owner_id,
      title: task.title,
      createdAt: task.created_at.toISOString(),
      dueAt: task.due_at ? task.due_at.toISOString() : null,
      [to === 'done' ? 'completedAt' : 'cancelledAt']: at,
      ...(to === 'done' ? { overdue: !!task.due_at && task.due_at.getTime() < now.getTime() } : {}),
      by: options.actor,
      ...(options.note ? { note: options.note.slice(0, MAX_DESCRIPTION) } : {}),
    };
    await q.query(
      `INSERT INTO customer_events (customer_id, type, occurred_at, payload, source, node_id, idempotency_key)
       VALUES ($1, $2, $3::timestamptz, $4::jsonb, 'manual', $5, $6) ON CONFLICT (idempotency_key) DO NOTHING`,
      [live, to === 'done' ? 'task_completed' : 'task_cancelled', at, JSON.stringify(payload), options.actor, `task:${id}:${to}`],
    );
  }
  return task.id;
}

function dueAtOf(req: TaskRequest, owner: OwnerRow | undefined, now: Date): string | null {
  const due = req.due;
  if (!due) return null;
  if ('at' in due) {
    const t = Date.parse(due.at);
    if (!Number.isFinite(t)) throw new CustomerStoreError('invalid_input', `due time ${JSON.stringify(due.at)} is not an ISO 8601 time`);
    return new Date(t).toISOString();
  }
  if (!Number.isFinite(due.hours) || due.hours < 0) throw new CustomerStoreError('invalid_input', 'due hours must be a number ≥ 0');
  if (due.businessHours && owner?.working_hours) {
    const at = addWorkingHours(owner.working_hours, now, due.hours);
    if (at) return at.toISOString();
  }
  return new Date(now.getTime() + due.hours * 3_600_000).toISOString();
}
