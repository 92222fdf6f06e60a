import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ConnectorDefinition, HttpClient } from '@tributary/engine';
import { badRequest, notFound } from '../errors.js';
import { decryptSecrets, encryptSecrets } from '../secrets/secret-box.js';
import { sql } from '../db/sql.js';

export interface ConnectionSummary {
  id: string;
  type: string;
  name: string;
  secretKeys: string[];
  createdAt: string;
  updatedAt: string;
}

/**
 * Credentials for connectors. Secrets are sealed with AES-256-GCM under
 * TRIBUTARY_SECRET_KEY before they reach the database, and are never returned
 * by the API or written to logs; only nodes get them, through their context.
 */
export class ConnectionService {
  private readonly cache = new Map<string, { at: number; secrets: Record<string, string> }>();

  constructor(
    private readonly ds: DataSource,
    private readonly key: Buffer,
    private readonly connectors: ConnectorDefinition[],
    private readonly http: HttpClient,
  ) {}

  async create(input: { type?: unknown; name?: unknown; secrets?: unknown }): Promise<{ id: string }> {
    if (typeof input.type !== 'string' || !input.type) throw badRequest('invalid_connection', 'type is required (the connector or trigger type, e.g. "core.webhook" or "wecom")');
    if (typeof input.name !== 'string' || !input.name) throw badRequest('invalid_connection', 'name is required');
    const secrets = input.secrets;
    if (!secrets || typeof secrets !== 'object' || Array.isArray(secrets)) throw badRequest('invalid_connection', 'secrets must be an object of strings');
    for (const [k, v] of Object.entries(secrets)) if (typeof v !== 'string') throw badRequest('invalid_connection', `secret ${k} must be a string`);
    const id = randomUUID();
    await sql(this.ds, `INSERT INTO connections (id, type, name, secrets) VALUES ($1, $2, $3, $4)`, [
      id,
      input.type,
      input.name,
      encryptSecrets(this.key, secrets as Record<string, string>, id),
    ]);
    return { id };
  }

  async list(): Promise<ConnectionSummary[]> {
    const rows: any[] = await sql(this.ds, `SELECT id, type, name, secrets, created_at, updated_at FROM connections ORDER BY created_at, id`);
    return rows.map((r) => this.summary(r));
  }

  async remove(id: string): Promise<void> {
    const rows = await sql(this.ds, `DELETE FROM connections WHERE id::text = $1 RETURNING id`, [id]);
    if (rows.length === 0) throw notFound('connection', id);
    this.cache.delete(id);
  }

  /** Decrypted secrets for a node's context; cached briefly (the webhook hot path). */
  async secretsFor(id: string): Promise<Record<string, string>> {
    const hit = this.cache.get(id);
    if (hit && Date.now() - hit.at < 5000) return hit.secrets;
    const rows: { secrets: string }[] = await sql(this.ds, `SELECT secrets FROM connections WHERE id::text = $1`, [id]);
    // The connection id is bound into the ciphertext (AAD): a sealed blob copied to another row does not open.
    const row = rows[0];
    if (!row) throw notFound('connection', id);
    const secrets = decryptSecrets(this.key, row.secrets, id);
    this.cache.set(id, { at: Date.now(), secrets });
    return secrets;
  }

  /** Runs the connector's check(); `ok: false` carries the vendor's reason. */
  async check(id: string): Promise<{ ok: boolean; message: string }> {
    const rows: any[] = await sql(this.ds, `SELECT id, type, name, secrets, created_at, updated_at FROM connections WHERE id::text = $1`, [id]);
    const row = rows[0];
    if (!row) throw notFound('connection', id);
    const pkg = String(row.type).split('.')[0];
    const connector = this.connectors.find((c) => c.id === pkg);
    if (!connector?.check) return { ok: true, message: `connector ${row.type} has nothing to check online; secrets decrypt correctly` };
    try {
      await connector.check(decryptSecrets(this.key, row.secrets, row.id), { http: this.http, now: () => new Date() });
      return { ok: true, message: 'connection works' };
    } catch (err) {
      return { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
  }

  private summary(r: any): ConnectionSummary {
    let keys: string[] = [];
    try {
      keys = Object.keys(decryptSecrets(this.key, r.secrets, r.id));
    } catch {
      keys = [];
    }
    return { id: r.id, type: r.type, name: r.name, secretKeys: keys, createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString() };
  }
}
