import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
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

  async versionsOf(id: string): Promise<{ version: number; createdAt: string }[]> {
    const rows: { version: number; created_at: Date }[] = await sql(this.ds,
      `SELECT version, created_at FROM flow_versions WHERE flow_id = $1 ORDER BY version DESC`,
      [id],
    );
    return rows.map((r) => ({ version: r.version, createdAt: r.created_at.toISOString() }));
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

  async publish(id: string, version?: number): Promise<{ id: string; version: number; document: FlowDocument }> {
    const current = await this.get(id);
    const v = version ?? current.version;
    const doc = await this.getVersion(id, v);
    // Node versions may have been removed since the draft was saved: re-check before activating.
    this.validate(doc);
    await sql(this.ds, `UPDATE flows SET published_version = $2, updated_at = now() WHERE id = $1`, [id, v]);
    this.published.set(id, { at: Date.now(), version: v });
    return { id, version: v, document: doc };
  }

  async unpublish(id: string): Promise<void> {
    const rows = await sql(this.ds, `UPDATE flows SET published_version = NULL, updated_at = now() WHERE id = $1 AND deleted_at IS NULL RETURNING id`, [id]);
    if (rows.length === 0) throw notFound('flow', id);
    this.published.set(id, { at: Date.now(), version: null });
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
