import type { DataSource, QueryRunner } from 'typeorm';
import { CustomerStoreError } from '../customer-store.errors.js';
import { inTransaction } from '../util/transaction.util.js';
import { uuidv7 } from '../util/uuid-v7.util.js';
import { parseOwnerInput, parseOwnerPatch, parseTeamInput, parseTeamPatch } from './owner.schema.js';
import type { Owner, OwnerPage, OwnerQuery, Team, TeamPage, TeamQuery } from './owner.types.js';
import type { OwnerRow } from './owner-row.query.js';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
/** Stages that no longer count as an owner's open customers (load and capacity). */
export const DEFAULT_CLOSED_STAGES = ['customer', 'churn_risk', 'churned'];

/** An owners row with what the directory adds: times, teams and current load. */
interface OwnerDirectoryRow extends OwnerRow {
  created_at: Date;
  updated_at: Date;
  teams: string[];
  open_customers: string;
  open_tasks: string;
}

interface TeamRow {
  id: string;
  name: string;
  lead_owner_id: string | null;
  rr_position: string;
  created_at: Date;
  updated_at: Date;
  members: { ownerId: string; name: string; active: boolean; position: number }[] | null;
}

const OWNER_COLUMNS = `o.id, o.name, o.email, o.phone, o.wecom_userid, o.active, o.away_until, o.capacity, o.working_hours, o.attributes, o.created_at, o.updated_at,
  COALESCE((SELECT array_agg(tm.team_id ORDER BY tm.team_id) FROM team_members tm WHERE tm.owner_id = o.id), '{}') AS teams,
  (SELECT count(*) FROM customers c WHERE c.owner_id = o.id AND c.merged_into IS NULL AND c.erased_at IS NULL AND NOT (c.stage = ANY($1::text[]))) AS open_customers,
  (SELECT count(*) FROM tasks t WHERE t.owner_id = o.id AND t.status = 'open') AS open_tasks`;

const TEAM_COLUMNS = `t.id, t.name, t.lead_owner_id, t.rr_position, t.created_at, t.updated_at,
  (SELECT json_agg(json_build_object('ownerId', o.id, 'name', o.name, 'active', o.active, 'position', tm.position) ORDER BY tm.position, tm.owner_id)
     FROM team_members tm JOIN owners o ON o.id = tm.owner_id WHERE tm.team_id = t.id) AS members`;

// Owner fields → columns, for partial updates.
const OWNER_SET: Record<string, { column: string; cast: string; json?: boolean }> = {
  name: { column: 'name', cast: 'text' },
  email: { column: 'email', cast: 'text' },
  phone: { column: 'phone', cast: 'text' },
  wecomUserId: { column: 'wecom_userid', cast: 'text' },
  active: { column: 'active', cast: 'boolean' },
  awayUntil: { column: 'away_until', cast: 'timestamptz' },
  capacity: { column: 'capacity', cast: 'integer' },
  workingHours: { column: 'working_hours', cast: 'jsonb', json: true },
  attributes: { column: 'attributes', cast: 'jsonb', json: true },
};

/**
 * Owners (the people customers are assigned to) and teams (ordered members and a lead), as
 * the API manages them and customer.assign reads them. Bodies are validated here (JSON
 * Schema), so any caller gets the same 400s: CustomerStoreError invalid_input with one
 * problem per bad field, not_found, conflict.
 */
export class OwnerDirectory {
  constructor(
    private readonly ds: DataSource,
    private readonly now: () => Date = () => new Date(),
    private readonly closedStages: string[] = DEFAULT_CLOSED_STAGES,
  ) {}

  async createOwner(body: unknown): Promise<Owner> {
    const input = parseOwnerInput(body);
    const id = input.id ?? uuidv7(this.now().getTime());
    const at = this.now().toISOString();
    try {
      await this.ds.query(
        `INSERT INTO owners (id, name, email, phone, wecom_userid, active, away_until, capacity, working_hours, attributes, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8, $9::jsonb, $10::jsonb, $11::timestamptz, $11::timestamptz)`,
        [
          id,
          input.name.trim(),
          input.email ?? null,
          input.phone ?? null,
          input.wecomUserId ?? null,
          input.active ?? true,
          input.awayUntil ?? null,
          input.capacity ?? null,
          input.workingHours ? JSON.stringify(input.workingHours) : null,
          JSON.stringify(input.attributes ?? {}),
          at,
        ],
      );
    } catch (err) {
      throw uniqueAsConflict(err, `owner ${id} already exists`);
    }
    return (await this.getOwner(id))!;
  }

  async getOwner(id: string): Promise<Owner | undefined> {
    const [row]: OwnerDirectoryRow[] = await this.ds.query(`SELECT ${OWNER_COLUMNS} FROM owners o WHERE o.id = $2`, [this.closedStages, id]);
    return row ? toOwner(row) : undefined;
  }

  /** Owners by id, keyset-paginated; filters by active, team, and a text match on name, email or id. */
  async listOwners(query: OwnerQuery = {}): Promise<OwnerPage> {
    const limit = limitOf(query.limit);
    const params: unknown[] = [this.closedStages, limit + 1];
    const where: string[] = [];
    if (query.cursor) where.push(`o.id > $${params.push(decodeIdCursor(query.cursor))}`);
    if (query.active !== undefined) where.push(`o.active = $${params.push(query.active)}`);
    if (query.teamId) where.push(`EXISTS (SELECT 1 FROM team_members tm WHERE tm.owner_id = o.id AND tm.team_id = $${params.push(query.teamId)})`);
    if (query.q?.trim()) {
      const n = params.push(`%${query.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`(o.name ILIKE $${n} OR o.email ILIKE $${n} OR o.id ILIKE $${n})`);
    }
    const rows: OwnerDirectoryRow[] = await this.ds.query(
      `SELECT ${OWNER_COLUMNS} FROM owners o ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY o.id LIMIT $2`,
      params,
    );
    const page = rows.slice(0, limit);
    return { items: page.map(toOwner), nextCursor: rows.length > limit ? encodeIdCursor(page[page.length - 1]!.id) : null };
  }

  /** Changes only the fields given (null clears an optional one); not_found when there is no such owner. */
  async updateOwner(id: string, body: unknown): Promise<Owner> {
    const patch = parseOwnerPatch(body) as Record<string, unknown>;
    const params: unknown[] = [id, this.now().toISOString()];
    const sets = ['updated_at = $2::timestamptz'];
    for (const [field, value] of Object.entries(patch)) {
      const col = OWNER_SET[field];
      if (!col) continue;
      const v = field === 'name' ? String(value).trim() : col.json && value !== null ? JSON.stringify(value) : value;
      sets.push(`${col.column} = $${params.push(v)}::${col.cast}`);
    }
    const rows: { id: string }[] = await this.ds.query(`WITH u AS (UPDATE owners SET ${sets.join(', ')} WHERE id = $1 RETURNING id) SELECT id FROM u`, params);
    if (rows.length === 0) throw new CustomerStoreError('not_found', `owner ${id} not found`, { owner: id });
    return (await this.getOwner(id))!;
  }

  /**
   * Deletes an owner who owns no live customer and has no open task (deactivate owners who
   * still do: `active: false`). Their team memberships go with them; teams they led have no lead.
   */
  async deleteOwner(id: string): Promise<void> {
    await inTransaction(this.ds, async (q) => {
      const [row]: { id: string }[] = await q.query(`SELECT id FROM owners WHERE id = $1 FOR UPDATE`, [id]);
      if (!row) throw new CustomerStoreError('not_found', `owner ${id} not found`, { owner: id });
      const [use]: { customers: number; tasks: number }[] = await q.query(
        `SELECT (SELECT count(*)::int FROM customers WHERE owner_id = $1 AND merged_into IS NULL AND erased_at IS NULL) AS customers,
                (SELECT count(*)::int FROM tasks WHERE owner_id = $1 AND status = 'open') AS tasks`,
        [id],
      );
      if (use!.customers > 0 || use!.tasks > 0) {
        throw new CustomerStoreError(
          'conflict',
          `owner ${id} still owns ${use!.customers} customer(s) and ${use!.tasks} open task(s): deactivate them (active: false) or reassign first`,
          { owner: id, customers: use!.customers, openTasks: use!.tasks },
        );
      }
      await q.query(`DELETE FROM owners WHERE id = $1`, [id]);
    });
  }

  async createTeam(body: unknown): Promise<Team> {
    const input = parseTeamInput(body);
    const id = input.id ?? uuidv7(this.now().getTime());
    const at = this.now().toISOString();
    await inTransaction(this.ds, async (q) => {
      await this.checkOwnersExist(q, [...(input.members ?? []), ...(input.leadOwnerId ? [input.leadOwnerId] : [])]);
      try {
        await q.query(`INSERT INTO teams (id, name, lead_owner_id, created_at, updated_at) VALUES ($1, $2, $3, $4::timestamptz, $4::timestamptz)`, [
          id,
          input.name.trim(),
          input.leadOwnerId ?? null,
          at,
        ]);
      } catch (err) {
        throw uniqueAsConflict(err, `team ${id} already exists`);
      }
      await setMembers(q, id, input.members ?? []);
    });
    return (await this.getTeam(id))!;
  }

  async getTeam(id: string): Promise<Team | undefined> {
    const [row]: TeamRow[] = await this.ds.query(`SELECT ${TEAM_COLUMNS} FROM teams t WHERE t.id = $1`, [id]);
    return row ? toTeam(row) : undefined;
  }

  async listTeams(query: TeamQuery = {}): Promise<TeamPage> {
    const limit = limitOf(query.limit);
    const params: unknown[] = [limit + 1];
    const after = query.cursor ? `WHERE t.id > $${params.push(decodeIdCursor(query.cursor))}` : '';
    const rows: TeamRow[] = await this.ds.query(`SELECT ${TEAM_COLUMNS} FROM teams t ${after} ORDER BY t.id LIMIT $1`, params);
    const page = rows.slice(0, limit);
    return { items: page.map(toTeam), nextCursor: rows.length > limit ? encodeIdCursor(page[page.length - 1]!.id) : null };
  }

  /** `members` replaces the whole list (in order); the round-robin pointer carries on from where it was. */
  async updateTeam(id: string, body: unknown): Promise<Team> {
    const patch = parseTeamPatch(body);
    await inTransaction(this.ds, async (q) => {
      // Waits for assignments in flight on this team, and makes them wait for the new members.
      const [row]: { id: string }[] = await q.query(`SELECT id FROM teams WHERE id = $1 FOR NO KEY UPDATE`, [id]);
      if (!row) throw new CustomerStoreError('not_found', `team ${id} not found`, { team: id });
      await this.checkOwnersExist(q, [...(patch.members ?? []), ...(patch.leadOwnerId ? [patch.leadOwnerId] : [])]);
      const params: unknown[] = [id, this.now().toISOString()];
      const sets = ['updated_at = $2::timestamptz'];
      if (patch.name !== undefined) sets.push(`name = $${params.push(patch.name.trim())}`);
      if (patch.leadOwnerId !== undefined) sets.push(`lead_owner_id = $${params.push(patch.leadOwnerId)}`);
      await q.query(`UPDATE teams SET ${sets.join(', ')} WHERE id = $1`, params);
      if (patch.members) await setMembers(q, id, patch.members);
    });
    return (await this.getTeam(id))!;
  }

  async deleteTeam(id: string): Promise<void> {
    const rows: { id: string }[] = await this.ds.query(`WITH d AS (DELETE FROM teams WHERE id = $1 RETURNING id) SELECT id FROM d`, [id]);
    if (rows.length === 0) throw new CustomerStoreError('not_found', `team ${id} not found`, { team: id });
  }

  private async checkOwnersExist(q: QueryRunner, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    // KEY SHARE: the owners cannot be deleted before this transaction commits.
    const rows: { id: string }[] = await q.query(`SELECT id FROM owners WHERE id = ANY($1::text[]) FOR KEY SHARE`, [[...new Set(ids)]]);
    const known = new Set(rows.map((r) => r.id));
    const unknown = [...new Set(ids)].filter((i) => !known.has(i));
    if (unknown.length > 0) throw new CustomerStoreError('invalid_input', `unknown owner(s): ${unknown.join(', ')}`, { unknownOwners: unknown });
  }
}

async function setMembers(q: QueryRunner, teamId: string, members: string[]): Promise<void> {
  await q.query(
    // Two CTEs touching different rows: members who left, and the rest in their new order.
    `WITH gone AS (DELETE FROM team_members WHERE team_id = $1 AND NOT (owner_id = ANY($2::text[])))
     INSERT INTO team_members (team_id, owner_id, position) SELECT $1, m.owner_id, (m.n - 1)::int FROM unnest($2::text[]) WITH ORDINALITY AS m(owner_id, n)
     ON CONFLICT (team_id, owner_id) DO UPDATE SET position = EXCLUDED.position`,
    [teamId, members],
  );
}

function toOwner(r: OwnerDirectoryRow): Owner {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    phone: r.phone,
    wecomUserId: r.wecom_userid,
    active: r.active,
    awayUntil: r.away_until ? r.away_until.toISOString() : null,
    capacity: r.capacity,
    workingHours: r.working_hours,
    attributes: r.attributes ?? {},
    teams: r.teams ?? [],
    load: { openCustomers: Number(r.open_customers), openTasks: Number(r.open_tasks) },
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function toTeam(r: TeamRow): Team {
  return {
    id: r.id,
    name: r.name,
    leadOwnerId: r.lead_owner_id,
    members: r.members ?? [],
    rrPosition: Number(r.rr_position),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function limitOf(raw: number | undefined): number {
  const limit = raw === undefined ? DEFAULT_LIMIT : Math.trunc(Number(raw));
  if (!Number.isFinite(limit) || limit < 1 || limit > MAX_LIMIT) throw new CustomerStoreError('invalid_query', `limit must be 1–${MAX_LIMIT}`);
  return limit;
}

export function encodeIdCursor(id: string): string {
  return Buffer.from(JSON.stringify([id])).toString('base64url');
}

export function decodeIdCursor(cursor: string): string {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && typeof v[0] === 'string' && v[0].length <= 200) return v[0];
  } catch {
    // fall through
  }
  throw new CustomerStoreError('invalid_cursor', 'cursor is not one this API returned');
}

function uniqueAsConflict(err: unknown, message: string): unknown {
  return (err as { code?: string })?.code === '23505' ? new CustomerStoreError('conflict', message) : err;
}
