import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { validateFlow, type FlowDocument, type NodeRegistry } from '@tributary/engine';
import { badRequest, conflict, notFound } from '../errors.js';
import { sql } from '../db/sql.js';

export interface FlowSummary {
  id: string;
  name: string;
  version: number;
  publishedVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface FlowDetail extends FlowSummary {
  document: FlowDocument;
}

/** One saved version, as the versions list shows it. */
export interface FlowVersionSummary {
  version: number;
  createdAt: string;
  /** The flow's name in that version. */
  name: string;
  nodeCount: number;
  /** The version the triggers run. */
  published: boolean;
  /** The newest saved version (what the editor opens). */
  latest: boolean;
  /** Set on a version saved by a rollback: the version it copies. */
  restoredFrom: number | null;
}

/** Who changed a flow's versions, in the audit log (`entity = 'flow'`). */
export interface FlowActor {
  actor?: string;
}

interface FlowRow {
  id: string;
  name: string;
  latest_version: number;
  published_version: number | null;
  created_at: Date;
  updated_at: Date;
}

const toSummary = (r: FlowRow): FlowSummary => ({
  id: r.id,
  name: r.name,
  version: r.latest_version,
  publishedVersion: r.published_version,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** An entry in the shared audit log (the customer store's table: one log for who changed what). */
async function audit(m: EntityManager, by: FlowActor, action: string, flowId: string, details: Record<string, unknown>): Promise<void> {
  await sql(m, `INSERT INTO audit_log (actor, action, entity, entity_id, details) VALUES ($1, $2, 'flow', $3, $4::jsonb)`, [
    by.actor ?? 'admin',
    action,
    flowId,
    JSON.stringify(details),
  ]);
}

/** Flows and their immutable versions. A save is a new draft version; publishing points triggers at one version. */
export class FlowService {
  // Versions never change once written, so they are cached for good.
  private readonly versions = new Map<string, FlowDocument>();
  // Which version is published changes; cache briefly so the webhook path does no query per request.
  private readonly published = new Map<string, { at: number; version: number | null }>();
  private readonly publishedTtlMs: number;

  constructor(
    private readonly ds: DataSource,
    private readonly registry: NodeRegistry,
    opts: { publishedTtlMs?: number } = {},
  ) {
    this.publishedTtlMs = opts.publishedTtlMs ?? 1000;
  }

  validate(doc: unknown): FlowDocument {
    const res = validateFlow(doc, this.registry);
    if (!res.ok) throw badRequest('flow_invalid', `flow is invalid: ${res.problems.length} problem(s)`, res.problems);
    return res.flow;
  }

  async create(doc: unknown): Promise<{ id: string; version: number }> {
    const flow = this.validate(doc);
    const id = flow.id ?? randomUUID();
    const stored: FlowDocument = { ...flow, id };
    return this.ds.transaction(async (m) => {
      const inserted = await sql(m,
        `INSERT INTO flows (id, name, latest_version) VALUES ($1, $2, 1) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [id, flow.name],
      );
      if (inserted.length === 0) throw conflict('flow_exists', `a flow with id ${id} already exists; PUT /api/flows/${id} saves a new version`, { id });
      await sql(m, `INSERT INTO flow_versions (flow_id, version, document) VALUES ($1, 1, $2)`, [id, stored]);
      return { id, version: 1 };
    });
  }

  async update(id: string, doc: unknown): Promise<{ id: string; version: number }> {
    const flow = this.validate(doc);
    if (flow.id && flow.id !== id) throw badRequest('flow_id_mismatch', `the document's id ${flow.id} differs from ${id}`);
    const stored: FlowDocument = { ...flow, id };
    return this.ds.transaction(async (m) => {
      const rows: { latest_version: number }[] = await sql(m,
        `UPDATE flows SET latest_version = latest_version + 1, name = $2, updated_at = now()
         WHERE id = $1 AND deleted_at IS NULL RETURNING latest_version`,
        [id, flow.name],
      );
      const row = rows[0];
      if (!row) throw notFound('flow', id);
      await sql(m, `INSERT INTO flow_versions (flow_id, version, document) VALUES ($1, $2, $3)`, [id, row.latest_version, stored]);
      return { id, version: row.latest_version };
    });
  }

  async list(): Promise<FlowSummary[]> {
    const rows: FlowRow[] = await sql(this.ds, `SELECT * FROM flows WHERE deleted_at IS NULL ORDER BY created_at, id`);
    return rows.map(toSummary);
  }

  async get(id: string, version?: number): Promise<FlowDetail> {
    const rows: FlowRow[] = await sql(this.ds, `SELECT * FROM flows WHERE id = $1 AND deleted_at IS NULL`, [id]);
    const row = rows[0];
    if (!row) throw notFound('flow', id);
    const document = await this.getVersion(id, version ?? row.latest_version);
    return { ...toSummary(row), document };
  }

  async versionsOf(id: string): Promise<FlowVersionSummary[]> {
    const rows: { version: number; created_at: Date; name: string; node_count: number; restored_from: number | null; published_version: number | null; latest_version: number }[] =
      await sql(this.ds,
        `SELECT v.version, v.created_at, v.document->>'name' AS name, jsonb_array_length(v.document->'nodes') AS node_count, v.restored_from,
                f.published_version, f.latest_version
         FROM flow_versions v JOIN flows f ON f.id = v.flow_id
         WHERE v.flow_id = $1 ORDER BY v.version DESC`,
        [id],
      );
    return rows.map((r) => ({
      version: r.version,
      createdAt: r.created_at.toISOString(),
      name: r.name,
      nodeCount: r.node_count,
      published: r.version === r.published_version,
      latest: r.version === r.latest_version,
      restoredFrom: r.restored_from,
    }));
  }

  async getVersion(id: string, version: number): Promise<FlowDocument> {
    const key = `${id}@${version}`;
    const hit = this.versions.get(key);
    if (hit) return hit;
    const rows: { document: FlowDocument }[] = await sql(this.ds,
      `SELECT document FROM flow_versions WHERE flow_id = $1 AND version = $2`,
      [id, version],
    );
    const doc = rows[0]?.document;
    if (!doc) throw notFound('flow version', `${id}@${version}`);
    this.versions.set(key, doc);
    return doc;
  }

  async publish(id: string, version?: number, by: FlowActor = {}): Promise<{ id: string; version: number; document: FlowDocument }> {
    const current = await this.get(id);
    const v = version ?? current.version;
    const doc = await this.getVersion(id, v);
    // Node versions may have been removed since the draft was saved: re-check before activating.
    this.validate(doc);
    await this.ds.transaction(async (m) => {
      await sql(m, `UPDATE flows SET published_version = $2, updated_at = now() WHERE id = $1`, [id, v]);
      await audit(m, by, 'flow.published', id, { version: v, previous: current.publishedVersion });
    });
    this.published.set(id, { at: Date.now(), version: v });
    return { id, version: v, document: doc };
  }

  async unpublish(id: string, by: FlowActor = {}): Promise<void> {
    await this.ds.transaction(async (m) => {
      const rows: { previous: number | null }[] = await sql(m,
        `UPDATE flows f SET published_version = NULL, updated_at = now() FROM flows old
         WHERE f.id = $1 AND old.id = f.id AND f.deleted_at IS NULL RETURNING old.published_version AS previous`,
        [id],
      );
      if (rows.length === 0) throw notFound('flow', id);
      await audit(m, by, 'flow.unpublished', id, { previous: rows[0]!.previous });
    });
    this.published.set(id, { at: Date.now(), version: null });
  }

  /**
   * Rollback as one step: saves a copy of `version` as a new draft version (recording where it came
   * from) and, with `publish`, points the triggers at it, in one transaction with its audit entry.
   * A copy rather than re-publishing the old number keeps the history linear: the newest version is
   * always what the editor opens, and runs name the version they ran.
   */
  async restore(id: string, version: number, opts: { publish?: boolean } & FlowActor = {}): Promise<{ id: string; version: number; restoredFrom: number; publishedVersion: number | null; document: FlowDocument }> {
    const source = await this.getVersion(id, version);
    // The old version may use node versions removed since: refuse it as a save would.
    this.validate(source);
    const document: FlowDocument = { ...source, id };
    const res = await this.ds.transaction(async (m) => {
      const rows: { latest_version: number; published_version: number | null; previous: number | null }[] = await sql(m,
        `UPDATE flows f SET latest_version = f.latest_version + 1, name = $2, updated_at = now(),
                published_version = CASE WHEN $3::boolean THEN f.latest_version + 1 ELSE f.published_version END
         FROM flows old
         WHERE f.id = $1 AND old.id = f.id AND f.deleted_at IS NULL
         RETURNING f.latest_version, f.published_version, old.published_version AS previous`,
        [id, document.name, opts.publish === true],
      );
      const row = rows[0];
      if (!row) throw notFound('flow', id);
      await sql(m, `INSERT INTO flow_versions (flow_id, version, document, restored_from) VALUES ($1, $2, $3, $4)`, [id, row.latest_version, document, version]);
      await audit(m, opts, 'flow.restored', id, { from: version, version: row.latest_version, published: opts.publish === true, previousPublished: row.previous });
      return { version: row.latest_version, publishedVersion: row.published_version };
    });
    if (opts.publish) this.published.set(id, { at: Date.now(), version: res.version });
    return { id, version: res.version, restoredFrom: version, publishedVersion: res.publishedVersion, document };
  }

  async remove(id: string): Promise<void> {
    // Soft delete: runs keep pointing at their flow version for history.
    const rows = await sql(this.ds,
      `UPDATE flows SET deleted_at = now(), published_version = NULL, updated_at = now() WHERE id = $1 AND deleted_at IS NULL RETURNING id`,
      [id],
    );
    if (rows.length === 0) throw notFound('flow', id);
    this.published.set(id, { at: Date.now(), version: null });
  }

  /** The published version of a flow, or null; cached for a second (the webhook hot path). */
  async publishedVersion(id: string): Promise<number | null> {
    const hit = this.published.get(id);
    if (hit && Date.now() - hit.at < this.publishedTtlMs) return hit.version;
    const rows: { published_version: number | null }[] = await sql(this.ds,
      `SELECT published_version FROM flows WHERE id = $1 AND deleted_at IS NULL`,
      [id],
    );
    const version = rows[0]?.published_version ?? null;
    this.published.set(id, { at: Date.now(), version });
    return version;
  }

  async publishedFlows(): Promise<{ id: string; version: number; document: FlowDocument }[]> {
    const rows: { id: string; published_version: number }[] = await sql(this.ds,
      `SELECT id, published_version FROM flows WHERE published_version IS NOT NULL AND deleted_at IS NULL`,
    );
    return Promise.all(rows.map(async (r) => ({ id: r.id, version: r.published_version, document: await this.getVersion(r.id, r.published_version) })));
  }
}
