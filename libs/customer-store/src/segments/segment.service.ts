import { randomUUID } from 'node:crypto';
import type { DataSource, QueryRunner } from 'typeorm';
import { CustomerStoreError } from '../customer-store.errors.js';
import { inTransaction } from '../util/transaction.util.js';
import { isUuid } from '../util/uuid-v7.util.js';
import { compileSegmentDefinition, parseSegmentDefinition, SqlParams } from './segment-definition.compiler.js';
import { SegmentEvaluator } from './segment.evaluator.js';
import type { SegmentInput, SegmentMember, SegmentMemberPage, SegmentNode, SegmentPreview, SegmentView } from './segment.types.js';

export const SEGMENT_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
/** A preview counts over all customers; it must not hold a connection for minutes. */
const PREVIEW_TIMEOUT_MS = 30_000;

interface SegmentRow {
  id: string;
  name: string;
  description: string | null;
  definition: SegmentNode;
  enabled: boolean;
  member_count: number;
  evaluated_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const toView = (r: SegmentRow): SegmentView => ({
  id: r.id,
  name: r.name,
  description: r.description,
  definition: r.definition,
  enabled: r.enabled,
  memberCount: r.member_count,
  evaluatedAt: r.evaluated_at ? new Date(r.evaluated_at).toISOString() : null,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

/**
 * Saved segments: create, change, list, delete, members and previews. A segment created or
 * changed is evaluated over all customers in the same transaction, so it is never seen
 * without its members. Throws CustomerStoreError: invalid_input (details name each bad path of
 * the definition), not_found, conflict (an id already taken).
 */
export class SegmentService {
  readonly evaluator: SegmentEvaluator;

  constructor(
    private readonly ds: DataSource,
    evaluator?: SegmentEvaluator,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.evaluator = evaluator ?? new SegmentEvaluator(ds, { now });
  }

  async create(input: SegmentInput): Promise<SegmentView> {
    const fields = checkInput(input);
    const id = input.id ?? randomUUID();
    if (typeof id !== 'string' || !SEGMENT_ID_PATTERN.test(id)) {
      throw new CustomerStoreError('invalid_input', `id must match ${SEGMENT_ID_PATTERN.source} (lower-case letters, digits, - and _)`, [{ path: '/id', message: 'is not a valid segment id' }]);
    }
    await inTransaction(
      this.ds,
      async (q) => {
        await this.evaluator.lockAndInit(q);
        const inserted = await returning<{ id: string }>(
          q,
          `INSERT INTO segments (id, name, description, definition, enabled) VALUES ($1, $2, $3, $4::jsonb, $5)
           ON CONFLICT (id) DO NOTHING RETURNING id`,
          [id, fields.name, fields.description, JSON.stringify(fields.definition), fields.enabled],
        );
        if (inserted.length === 0) throw new CustomerStoreError('conflict', `segment ${id} already exists; PUT /api/segments/${id} changes it`, { segment: id });
        if (fields.enabled) await this.evaluator.evaluateSegment(id, q);
      },
      { attempts: 3 },
    );
    return (await this.get(id))!;
  }

  /** Replaces name, description, definition and enabled, and evaluates the segment again. */
  async update(id: string, input: SegmentInput): Promise<SegmentView> {
    const fields = checkInput(input);
    if (input.id !== undefined && input.id !== id) throw new CustomerStoreError('invalid_input', `the body's id ${String(input.id)} differs from ${id}`, [{ path: '/id', message: 'differs from the id in the path' }]);
    await inTransaction(
      this.ds,
      async (q) => {
        await this.evaluator.lockAndInit(q);
        const updated = await this.updateRow(q, id, fields);
        if (!updated) throw new CustomerStoreError('not_found', `segment ${id} not found`, { segment: id });
        if (fields.enabled) await this.evaluator.evaluateSegment(id, q);
      },
      { attempts: 3 },
    );
    return (await this.get(id))!;
  }

  /** Deletes the segment with its members and recorded changes; false when there was none. */
  async remove(id: string): Promise<boolean> {
    return inTransaction(this.ds, async (q) => {
      await this.evaluator.lockAndInit(q);
      const rows = await returning<{ id: string }>(q, `DELETE FROM segments WHERE id = $1 RETURNING id`, [id]);
      return rows.length > 0;
    });
  }

  async get(id: string): Promise<SegmentView | undefined> {
    const [row]: SegmentRow[] = await this.ds.query(`SELECT * FROM segments WHERE id = $1`, [id]);
    return row ? toView(row) : undefined;
  }

  /** All segments with their member counts, by name. */
  async list(): Promise<SegmentView[]> {
    const rows: SegmentRow[] = await this.ds.query(`SELECT * FROM segments ORDER BY name, id`);
    return rows.map(toView);
  }

  /** Members in customer-id order (uuid v7: roughly oldest customer first), keyset-paged. */
  async members(id: string, query: { cursor?: string; limit?: number } = {}): Promise<SegmentMemberPage> {
    const limit = clamp(query.limit);
    const after = query.cursor ? decodeMemberCursor(query.cursor) : null;
    const [exists]: { id: string }[] = await this.ds.query(`SELECT id FROM segments WHERE id = $1`, [id]);
    if (!exists) throw new CustomerStoreError('not_found', `segment ${id} not found`, { segment: id });
    const rows: {
      customer_id: string;
      entered_at: Date;
      display_name: string | null;
      stage: string;
      score: number;
      priority: string | null;
      owner_id: string | null;
      tags: string[];
      identities: { type: string; value: string }[] | null;
    }[] = await this.ds.query(
      `SELECT m.customer_id, m.entered_at, c.display_name, c.stage, c.score, c.priority, c.owner_id, c.tags,
              (SELECT coalesce(json_agg(json_build_object('type', i.type, 'value', i.value)
                        ORDER BY CASE i.type WHEN 'phone' THEN 0 WHEN 'email' THEN 1 ELSE 2 END, i.type, i.first_seen), '[]'::json)
                 FROM customer_identities i WHERE i.customer_id = c.id) AS identities
         FROM segment_members m JOIN customers c ON c.id = m.customer_id
        WHERE m.segment_id = $1 ${after ? 'AND m.customer_id > $3::uuid' : ''}
        ORDER BY m.customer_id
        LIMIT $2`,
      after ? [id, limit + 1, after] : [id, limit + 1],
    );
    const page = rows.slice(0, limit);
    const items: SegmentMember[] = page.map((r) => ({
      customerId: r.customer_id,
      enteredAt: new Date(r.entered_at).toISOString(),
      displayName: r.display_name,
      stage: r.stage,
      score: r.score,
      priority: r.priority,
      ownerId: r.owner_id,
      tags: r.tags,
      identities: r.identities ?? [],
    }));
    const last = page[page.length - 1];
    return { items, nextCursor: rows.length > limit && last ? Buffer.from(last.customer_id).toString('base64url') : null };
  }

  /** How many live customers a definition matches now, without saving anything. */
  async preview(definition: unknown): Promise<SegmentPreview> {
    const parsed = parseSegmentDefinition(definition);
    const now = this.now();
    const params = new SqlParams();
    const predicate = compileSegmentDefinition(parsed, params, now).sql;
    return inTransaction(
      this.ds,
      async (q) => {
        await q.query(`SET LOCAL statement_timeout = ${PREVIEW_TIMEOUT_MS}`);
        const [{ n }]: { n: number }[] = await q.query(
          `SELECT count(*)::int AS n FROM customers c WHERE c.merged_into IS NULL AND c.erased_at IS NULL AND ${predicate}`,
          params.values,
        );
        const sample: { id: string }[] = await q.query(
          `SELECT c.id FROM customers c WHERE c.merged_into IS NULL AND c.erased_at IS NULL AND ${predicate}
            ORDER BY c.updated_at DESC, c.id DESC LIMIT 10`,
          params.values,
        );
        return { count: n, sample: sample.map((s) => s.id) };
      },
      { attempts: 1 },
    );
  }

  private async updateRow(q: QueryRunner, id: string, fields: CheckedInput): Promise<boolean> {
    const rows = await returning<{ id: string }>(
      q,
      `UPDATE segments SET name = $2, description = $3, definition = $4::jsonb, enabled = $5, updated_at = now()
        WHERE id = $1 RETURNING id`,
      [id, fields.name, fields.description, JSON.stringify(fields.definition), fields.enabled],
    );
    return rows.length > 0;
  }
}

interface CheckedInput {
  name: string;
  description: string | null;
  definition: SegmentNode;
  enabled: boolean;
}

function checkInput(input: SegmentInput | undefined): CheckedInput {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new CustomerStoreError('invalid_input', 'the body must be a segment: {"name", "definition", "description"?, "enabled"?}');
  const issues: { path: string; message: string }[] = [];
  if (typeof input.name !== 'string' || !input.name.trim() || input.name.length > 200) issues.push({ path: '/name', message: 'must be a non-empty text of at most 200 characters' });
  if (input.description !== undefined && input.description !== null && (typeof input.description !== 'string' || input.description.length > 2000)) {
    issues.push({ path: '/description', message: 'must be a text of at most 2000 characters' });
  }
  if (input.enabled !== undefined && typeof input.enabled !== 'boolean') issues.push({ path: '/enabled', message: 'must be true or false' });
  if (input.definition === undefined) issues.push({ path: '/definition', message: 'is required' });
  if (issues.length) throw new CustomerStoreError('invalid_input', `segment is invalid: ${issues[0]!.path} ${issues[0]!.message}`, issues);
  let definition: SegmentNode;
  try {
    definition = parseSegmentDefinition(input.definition);
  } catch (err) {
    // Paths relative to the body, so a client can point at the field.
    if (err instanceof CustomerStoreError && Array.isArray(err.details)) {
      const details = (err.details as { path: string; message: string }[]).map((d) => ({ path: `/definition${d.path}`, message: d.message }));
      throw new CustomerStoreError('invalid_input', `segment definition is invalid: ${details[0]!.path} ${details[0]!.message}${details.length > 1 ? ` (and ${details.length - 1} more)` : ''}`, details);
    }
    throw err;
  }
  return { name: input.name.trim(), description: input.description ?? null, definition, enabled: input.enabled ?? true };
}

/** The rows a statement returned, whatever the statement (TypeORM wraps UPDATE and DELETE results). */
async function returning<T>(q: QueryRunner, sql: string, params: unknown[]): Promise<T[]> {
  const result = await q.query(sql, params, true);
  return (result.records ?? []) as T[];
}

function clamp(limit: number | undefined): number {
  if (limit === undefined || limit === null || Number.isNaN(Number(limit))) return DEFAULT_LIMIT;
  return Math.max(1, Math.min(MAX_LIMIT, Math.trunc(Number(limit))));
}

function decodeMemberCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isUuid(id)) throw new CustomerStoreError('invalid_cursor', 'cursor is not one this API returned');
  return id;
}
