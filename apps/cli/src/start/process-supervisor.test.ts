import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SupervisedProcess } from './process-supervisor.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tributary-supervisor-'));
  // Crashes on its first two starts (counted in a file), then runs until SIGTERM.
  writeFileSync(
    join(dir, 'crashy.mjs'),
    `import { readFileSync, writeFileSync } from 'node:fs';
     const f = process.env.COUNTER;
     let n = 0; try { n = Number(readFileSync(f, 'utf8')); } catch {}
     writeFileSync(f, String(n + 1));
     if (n < 2) { console.log('crash ' + n); process.exit(1); }
     // The handler before 'ready': a SIGTERM sent as soon as 'ready' is read must find it.
     process.on('SIGTERM', () => { console.log('finishing in-flight work'); setTimeout(() => process.exit(0), 100); });
     setInterval(() => {}, 1000);
     console.log('ready');`,
  );
  writeFileSync(join(dir, 'stubborn.mjs'), `process.on('SIGTERM', () => console.log('ignoring SIGTERM')); setInterval(() => {}, 1000); console.log('ready');`);
  writeFileSync(join(dir, 'broken.mjs'), `throw new Error('bad config');`);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !cond(); ) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(20);
  }
}

describe('SupervisedProcess', () => {
  it('makes a child shut down gracefully when the launcher dies without stopping it', async () => {
    const marker = join(dir, 'orphan-stopped');
    // A launcher stand-in that starts a child and is then killed.
    // A launcher stand-in (a separate Node process running this module, compiled by swc)
    // that starts a child and is then SIGKILLed.
    const { transformFileSync } = await import('@swc/core');
    const supervisor = join(dir, 'process-supervisor.mjs');
    const compiled = transformFileSync(new URL('./process-supervisor.ts', import.meta.url).pathname, {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'es6' },
    });
    writeFileSync(supervisor, compiled.code);
    const child = join(dir, 'graceful.mjs');
    writeFileSync(child, `import { writeFileSync } from 'node:fs'; setInterval(() => {}, 1000); process.on('SIGTERM', () => { writeFileSync(${JSON.stringify(marker)}, 'ok'); process.exit(0); }); console.log('ready');`);
    const standIn = join(dir, 'stand-in.mjs');
    writeFileSync(standIn, `
      import { SupervisedProcess } from ${JSON.stringify(supervisor)};
      new SupervisedProcess({ name: 'api', entry: ${JSON.stringify(child)}, env: {}, log: () => {}, output: (_n, l) => l === 'ready' && process.kill(process.pid, 'SIGKILL') }).start();`);
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, [standIn], { timeout: 10_000 });
    expect(r.signal).toBe('SIGKILL');
    await until(() => existsSync(marker));
  }, 30_000);


  it('restarts a crashing child with growing backoff, then stops it gracefully', async () => {
    const logs: string[] = [];
    const lines: string[] = [];
    const p = new SupervisedProcess({
      name: 'api',
      entry: join(dir, 'crashy.mjs'),
      env: { ...(process.env as Record<string, string>), COUNTER: join(dir, 'counter') },
      log: (l) => logs.push(l),
      output: (name, line) => lines.push(`${name}: ${line}`),
      backoffMs: 50,
    });
    p.start();
    await until(() => lines.includes('api: ready'));
    expect(p.starts).toBe(3);
    expect(logs).toEqual(['api exited with code 1; restarting in 50 ms', 'api exited with code 1; restarting in 100 ms']);
    await p.stop(5000);
    expect(lines).toContain('api: finishing in-flight work');
    expect(p.running).toBe(false);
    await sleep(200);
    expect(p.starts).toBe(3); // no restart after stop
  }, 30_000);

  it('kills a child that ignores SIGTERM after the timeout', async () => {
    const logs: string[] = [];
    const lines: string[] = [];
    const p = new SupervisedProcess({ name: 'worker', entry: join(dir, 'stubborn.mjs'), env: {}, log: (l) => logs.push(l), output: (_n, l) => lines.push(l) });
    p.start();
    await until(() => lines.includes('ready'));
    const started = Date.now();
    await p.stop(300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(lines).toContain('ignoring SIGTERM');
    expect(logs).toEqual(['worker did not stop within 0.3 s; killing it']);
  }, 30_000);

  it('gives up on a child that keeps crashing right after it starts', async () => {
    const logs: string[] = [];
    let gaveUp: Error | undefined;
    const p = new SupervisedProcess({
      name: 'api',
      entry: join(dir, 'broken.mjs'),
      env: {},
      log: (l) => logs.push(l),
      output: () => undefined,
      backoffMs: 10,
      maxQuickCrashes: 3,
      onGiveUp: (err) => (gaveUp = err),
    });
    p.start();
    await until(() => gaveUp !== undefined);
    expect(p.starts).toBe(3);
    expect(gaveUp?.message).toMatch(/api keeps crashing on start \(last: exited with code 1\)/);
    expect(logs.at(-1)).toMatch(/crashed 3 times in a row right after starting, giving up/);
    await p.stop(1000);
  }, 30_000);
});
