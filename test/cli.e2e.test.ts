// The CLI: `tributary run` locally without a server, `flows import|export` against a server.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, startSystem, type System } from './support/system.js';

const exec = promisify(execFile);
const CLI = join(REPO_ROOT, 'apps/cli/bin/tributary.js');
const dir = mkdtempSync(join(tmpdir(), 'tributary-cli-'));

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await exec(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, cwd: dir });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('tributary CLI', () => {
  let sys: System;

  beforeAll(async () => {
    sys = await startSystem({ label: 'cli' });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('runs a flow locally and prints each step', async () => {
    const input = join(dir, 'items.json');
    writeFileSync(input, JSON.stringify([{ mobile: '+86 139 2468 1357', name: '张三' }, { name: 'no contact' }]));
    const r = await cli(['run', join(REPO_ROOT, 'flows/lead-intake.flow.json'), '--input', input]);
    expect(r.stderr).toMatch(/in-memory store/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/── webhook \[succeeded\]/);
    expect(r.stdout).toMatch(/── map \[succeeded\]/);
    expect(r.stdout).toMatch(/"phone":"\+86 139 2468 1357"/);
    expect(r.stdout).toMatch(/── upsert \[succeeded\]/);
    expect(r.stdout).toMatch(/"customerId":"/);
    expect(r.stdout).toMatch(/run succeeded/);
  });

  it('refuses an invalid flow file with the problems listed', async () => {
    const bad = join(dir, 'bad.flow.json');
    writeFileSync(bad, JSON.stringify({ schemaVersion: 1, name: 'bad', nodes: [{ id: 'x', type: 'core.nope', version: 1, config: {} }], edges: [] }));
    const r = await cli(['run', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\/nodes\/0/);
  });

  it('imports flows into a server (a new version when the id exists) and exports them', async () => {
    const env = { TRIBUTARY_URL: sys.url, TRIBUTARY_ADMIN_TOKEN: sys.token };
    const file = join(REPO_ROOT, 'flows/lead-intake.flow.json');
    const first = await cli(['flows', 'import', file, '--publish'], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/lead-intake version 1 \(published\)/);
    const second = await cli(['flows', 'import', file], env);
    expect(second.stdout).toMatch(/lead-intake version 2/);
    const out = await cli(['flows', 'export', 'lead-intake'], env);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ id: 'lead-intake', schemaVersion: 1, nodes: expect.any(Array) });
    const missing = await cli(['flows', 'export', 'nope'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/not_found/);
  });

  it('match reads a large file on a second thread and reports the rows it skipped there too', async () => {
    // 4 MiB and more are parsed in a worker thread: its skipped rows come back with the results.
    const rows = ['record_id,name,phone,city'];
    for (let i = 0; i < 60_000; i++) rows.push(`p${i},客户${i % 5000},139${String(10_000_000 + i).slice(-8)},上海`);
    rows.splice(30_001, 0, 'p7,另一个人,13800001111,北京'); // the id of an earlier row
    rows.push('p-last,"未闭合,13912340000,上海');
    writeFileSync(join(dir, 'big.csv'), rows.join('\n') + '\n');
    const r = await cli(['match', '--input', 'big.csv', '--output', 'big-clusters.csv']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('match: line 30002 skipped: record_id p7 is an earlier record\'s too');
    expect(r.stderr).toMatch(/match: line \d+ skipped: Quote Not Closed/);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^match: 60000 records \(2 lines skipped\), \d+ clusters in /);
  });

  it('prints usage for an unknown command', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).toMatch(/usage/i);
  });
});
