import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** One GET; resolves with the status code or the error code. */
function probe(url: string, token: string | undefined, timeoutMs: number): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const req = request(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode }));
      res.on('error', () => resolve({ status: res.statusCode }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.end();
  });
}

export interface WaitForHealthOptions {
  url: string;
  token?: string;
  signal: AbortSignal;
  /** After this long without an answer, `onSlow` is called once (default 60 s); waiting goes on. */
  slowAfterMs?: number;
  onSlow?: (last: string) => void;
  intervalMs?: number;
}

/**
 * Polls until the URL answers with any HTTP status (an unhealthy 503 is an answer too: the
 * server is up and says why); the status, or undefined if aborted first.
 */
export async function waitForHealth(opts: WaitForHealthOptions): Promise<number | undefined> {
  const started = Date.now();
  let warned = false;
  while (!opts.signal.aborted) {
    const r = await probe(opts.url, opts.token, 2000);
    if (r.status !== undefined) return r.status;
    if (!warned && Date.now() - started > (opts.slowAfterMs ?? 60_000)) {
      warned = true;
      opts.onSlow?.(r.status !== undefined ? `HTTP ${r.status}` : (r.error ?? 'no answer'));
    }
    await sleep(opts.intervalMs ?? 250, undefined, { signal: opts.signal }).catch(() => undefined);
  }
  return undefined;
}
