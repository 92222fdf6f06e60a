import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Talks to a running Tributary API: TRIBUTARY_URL (default http://localhost:$PORT) with the admin token. */
export class ApiClient {
  readonly baseUrl: string;
  private readonly token: string;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.baseUrl = (env.TRIBUTARY_URL || `http://localhost:${env.PORT || 3000}`).replace(/\/$/, '');
    const dataDir = env.TRIBUTARY_DATA_DIR || join(process.cwd(), '.data');
    const tokenFile = join(dataDir, 'admin-token');
    const token = env.TRIBUTARY_ADMIN_TOKEN || (existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : '');
    if (!token) throw new Error(`no admin token: set TRIBUTARY_ADMIN_TOKEN (or run from the directory whose .data/admin-token npm start wrote)`);
    this.token = token;
  }

  async call<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new Error(`cannot reach the Tributary API at ${this.baseUrl} (${(err as Error).message}); is it running? (npm start, or set TRIBUTARY_URL)`);
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // keep text
    }
    return { status: res.status, body: parsed as T };
  }
}

export function describeError(body: unknown): string {
  const e = (body as { error?: { code?: string; message?: string; details?: unknown } })?.error;
  if (!e) return JSON.stringify(body);
  const details = Array.isArray(e.details) ? '\n' + e.details.map((d: { path?: string; message?: string }) => `  - ${d.path ?? ''}: ${d.message ?? JSON.stringify(d)}`).join('\n') : '';
  return `${e.code}: ${e.message}${details}`;
}
