// `npm start` as a user runs it: the launcher brings up embedded Postgres, Redis (or the
// Postgres queue when no redis-server is on the PATH), the API and a worker; a delivery
// runs end to end; Ctrl-C stops everything; a restart keeps the data.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../libs/dev-services/src/index.js';
import { REPO_ROOT } from './support/system.js';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

interface Launched {
  child: ChildProcess;
  out: () => string;
  port: number;
}

async function launch(dataDir: string, path: string): Promise<Launched> {
  const port = await freePort();
  let out = '';
  const child = spawn(process.execPath, [join(REPO_ROOT, 'apps/cli/dist/main.js'), 'start'], {
    env: { PATH: path, HOME: process.env.HOME ?? '/tmp', TRIBUTARY_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (b) => (out += b));
  child.stderr!.on('data', (b) => (out += b));
  const deadline = Date.now() + 60_000;
  while (!out.includes('Press Ctrl-C to stop')) {
    if (child.exitCode !== null) throw new Error(`launcher exited ${child.exitCode}:\n${out}`);
    if (Date.now() > deadline) throw new Error(`launcher did not come up:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, out: () => out, port };
}

async function stop(l: Launched): Promise<number | null> {
  const exited = new Promise<number | null>((res) => l.child.once('exit', (code) => res(code)));
  l.child.kill('SIGINT');
  return exited;
}

async function api(l: Launched, token: string, method: string, path: string, body?: unknown) {
  const r = await fetch(`http://127.0.0.1:${l.port}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as any };
}

async function scenario(path: string, expectQueue: 'redis' | 'postgres') {
  const root = mkdtempSync(join(tmpdir(), 'tributary-start-'));
  chmodSync(root, 0o755);
  roots.push(root);
  const dataDir = join(root, '.data');

  const first = await launch(dataDir, path);
  expect(first.out()).toContain(`http://localhost:${first.port}`);
  if (expectQueue === 'postgres') expect(first.out()).toMatch(/redis-server not found on PATH: the queue runs on BullMQ's Postgres backend/);
  else expect(first.out()).toMatch(/Queue\s+Redis/);
  const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  expect(first.out()).toContain(token);

  const flows = await api(first, token, 'GET', '/api/flows');
  expect(flows.body.items.map((f: { id: string }) => f.id)).toContain('lead-intake');
  expect((await api(first, token, 'POST', '/api/flows/lead-intake/publish', {})).status).toBe(200);
  const ack = await fetch(`http://127.0.0.1:${first.port}/hooks/lead-intake/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone: '+86 139 2468 1357', name: '张三' }),
  });
  expect(ack.status).toBe(202);
  const runId = ((await ack.json()) as { runIds: string[] }).runIds[0];
  const deadline = Date.now() + 30_000;
  let status = '';
  while (status !== 'succeeded' && Date.now() < deadline) {
    status = (await api(first, token, 'GET', `/api/runs/${runId}`)).body.status;
    if (status !== 'succeeded') await new Promise((r) => setTimeout(r, 100));
  }
  expect(status).toBe('succeeded');
  const health = await api(first, token, 'GET', '/api/health');
  expect(health.body.checks.queue.detail.backend).toBe(expectQueue);

  expect(await stop(first)).toBe(0);
  expect(existsSync(join(dataDir, 'pg/data/postmaster.pid'))).toBe(false);

  // Restart: same token, same data, example flows not imported twice.
  const second = await launch(dataDir, path);
  const again = await api(second, token, 'GET', `/api/runs/${runId}`);
  expect(again.body.status).toBe('succeeded');
  const flows2 = await api(second, token, 'GET', '/api/flows');
  expect(flows2.body.items.filter((f: { id: string }) => f.id === 'lead-intake')).toHaveLength(1);
  expect(await stop(second)).toBe(0);
}

describe('npm start (the launcher)', () => {
  it('runs on embedded Postgres and a redis-server from the PATH', async () => {
    await scenario(process.env.PATH ?? '', 'redis');
  });

  it('runs the queue on Postgres when no redis-server is on the PATH', async () => {
    // A PATH with the tools the launcher needs but no redis-server.
    const bin = mkdtempSync(join(tmpdir(), 'tributary-path-'));
    roots.push(bin);
    mkdirSync(bin, { recursive: true });
    for (const tool of ['sh', 'id', 'getent', 'groupadd', 'useradd']) {
      const found = ['/usr/bin', '/bin', '/usr/sbin', '/sbin'].map((d) => join(d, tool)).find((p) => existsSync(p));
      if (found) symlinkSync(found, join(bin, tool));
    }
    symlinkSync(process.execPath, join(bin, 'node'));
    await scenario(bin, 'postgres');
  });
});
