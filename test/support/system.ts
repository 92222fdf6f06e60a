// Starts the real API and worker processes (built dist) against the test Postgres
// and Redis, each test file on its own database and queue prefix.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { freePort } from '../../libs/dev-services/src/index.js';
import { createTestDatabase, testQueuePrefix, testRedisUrl } from './services.js';

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../..');

export interface SystemOptions {
  label: string;
  queue?: 'redis' | 'postgres';
  /** Overrides the shared test Redis (outage tests run their own). */
  redisUrl?: string;
  workers?: number;
  env?: Record<string, string>;
  /** Directory of flows imported on first start (default: none). */
  flowsDir?: string;
}

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class System {
  readonly token = randomBytes(16).toString('hex');
  readonly secretKey = randomBytes(32).toString('hex');
  api?: ChildProcess;
  workers: ChildProcess[] = [];
  url = '';
  dbUrl = '';
  db!: pg.Pool;
  private env: Record<string, string> = {};
  private logs: string[] = [];
  private startedWorkers = 0;

  constructor(readonly opts: SystemOptions) {}

  async start(): Promise<this> {
    this.dbUrl = await createTestDatabase(this.opts.label);
    this.db = new pg.Pool({ connectionString: this.dbUrl, max: 4 });
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    const queue = this.opts.queue ?? 'redis';
    this.env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      DATABASE_URL: this.dbUrl,
      ...(queue === 'redis' ? { REDIS_URL: this.opts.redisUrl ?? testRedisUrl() } : { TRIBUTARY_QUEUE: 'postgres' }),
      TRIBUTARY_QUEUE_PREFIX: testQueuePrefix(this.opts.label),
      PORT: String(port),
      HOST: '127.0.0.1',
      TRIBUTARY_ADMIN_TOKEN: this.token,
      TRIBUTARY_SECRET_KEY: this.secretKey,
      TRIBUTARY_FLOWS_DIR: this.opts.flowsDir ?? mkdtempSync(join(tmpdir(), 'tributary-noflows-')),
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
      WORKER_CONCURRENCY: '16',
      ...this.opts.env,
    };
    this.api = this.spawn('apps/api/dist/main.js', 'api');
    await this.waitFor(async () => {
      if (this.api?.exitCode !== null) throw new Error(`api exited with ${this.api?.exitCode}:\n${this.logs.join('')}`);
      try {
        const r = await fetch(`${this.url}/api/health`);
        return r.status > 0;
      } catch {
        return false;
      }
    }, 30_000, 'api to answer');
    for (let i = 0; i < (this.opts.workers ?? 1); i++) await this.startWorker();
    return this;
  }

  private spawn(script: string, name: string): ChildProcess {
    const child = spawn(process.execPath, [join(ROOT, script)], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (b: Buffer) => {
      if (b.includes('"worker started"')) this.startedWorkers++;
      this.logs.push(`[${name}] ${b.toString()}`);
      if (this.logs.length > 400) this.logs.splice(0, 100);
      if (process.env.TEST_SHOW_LOGS) process.stderr.write(`[${name}] ${b}`);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    return child;
  }

  async startWorker(): Promise<ChildProcess> {
    const w = this.spawn('apps/worker/dist/main.js', `worker${this.workers.length}`);
    this.workers.push(w);
    // The worker is ready once it has migrated and its processors started: it logs "worker started".
    const before = this.startedWorkers;
    await this.waitFor(async () => {
      if (w.exitCode !== null) throw new Error(`worker exited with ${w.exitCode}:\n${this.logs.join('')}`);
      return this.startedWorkers > before;
    }, 30_000, 'worker to start');
    return w;
  }

  recentLogs(): string {
    return this.logs.join('');
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
    const isRaw = typeof body === 'string' || Buffer.isBuffer(body);
    const r = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body !== undefined && !isRaw ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : isRaw ? (body as string) : JSON.stringify(body),
    });
    const text = await r.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: r.status, body: parsed as T, headers: r.headers };
  }

  async createFlow(doc: unknown, publish = true): Promise<string> {
    const created = await this.request('POST', '/api/flows', doc);
    if (created.status !== 201) throw new Error(`flow not created: ${created.status} ${JSON.stringify(created.body)}`);
    if (publish) {
      const p = await this.request('POST', `/api/flows/${created.body.id}/publish`);
      if (p.status !== 200) throw new Error(`flow not published: ${p.status} ${JSON.stringify(p.body)}`);
    }
    return created.body.id;
  }

  /** Polls `check` until it returns true (not a fixed sleep: returns as soon as the condition holds). */
  async waitFor(check: () => Promise<boolean>, timeoutMs = 30_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let delay = 20;
    for (;;) {
      if (await check()) return;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n--- recent logs ---\n${this.recentLogs().slice(-6000)}`);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 250);
    }
  }

  /** Waits until no run is queued or running: the queue has drained. */
  async drain(timeoutMs = 60_000): Promise<void> {
    await this.waitFor(async () => {
      const r = await this.db.query(`SELECT count(*)::int AS n FROM runs WHERE status IN ('queued','running')`);
      return r.rows[0].n === 0;
    }, timeoutMs, 'the queue to drain');
  }

  async runCounts(): Promise<Record<string, number>> {
    const r = await this.db.query(`SELECT status, count(*)::int AS n FROM runs GROUP BY status`);
    return Object.fromEntries(r.rows.map((x: { status: string; n: number }) => [x.status, x.n]));
  }

  async stopWorker(i: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const w = this.workers[i];
    if (!w || w.exitCode !== null || w.signalCode !== null) return;
    await new Promise<void>((res) => {
      w.once('exit', () => res());
      w.kill(signal);
    });
  }

  async stop(): Promise<void> {
    const all = [...this.workers, ...(this.api ? [this.api] : [])];
    await Promise.all(
      all.map(
        (p) =>
          new Promise<void>((res) => {
            if (p.exitCode !== null || p.signalCode !== null) return res();
            const t = setTimeout(() => p.kill('SIGKILL'), 15_000);
            p.once('exit', () => {
              clearTimeout(t);
              res();
            });
            p.kill('SIGTERM');
          }),
      ),
    );
    await this.db?.end();
  }
}

export async function startSystem(opts: SystemOptions): Promise<System> {
  return new System(opts).start();
}

export const REPO_ROOT = ROOT;

/** The smallest intake flow: a webhook (`/hooks/<id>/hook`) straight into customer.upsert with this source. */
export function intakeFlow(id: string, source: string): Record<string, unknown> {
  return {
    schemaVersion: 1,
    id,
    name: id,
    nodes: [
      { id: 'hook', type: 'core.webhook', version: 1, config: {} },
      { id: 'save', type: 'customer.upsert', version: 1, config: { source } },
    ],
    edges: [{ from: 'hook', to: 'save' }],
  };
}
