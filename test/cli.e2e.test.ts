// The CLI: `tributary run` locally without a server, `flows import|export` against a server.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('match runs with the heap it is given, and says so when the records do not fit in it', async () => {
    // In a Node started with 512 MB of heap: the same answer as in this one.
    const r = await cli(['match', '--input', 'big.csv', '--output', 'big-clusters-512.csv', '--memory', '512']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^match: 60000 records \(2 lines skipped\), \d+ clusters in /);
    expect(readFileSync(join(dir, 'big-clusters-512.csv'), 'utf8')).toBe(readFileSync(join(dir, 'big-clusters.csv'), 'utf8'));

    // 400,000 records in 64 MB: a full heap, reported as what it is, with what to do.
    const rows = ['record_id,name,phone,city'];
    for (let i = 0; i < 400_000; i++) rows.push(`q${i},客户${i},139${String(10_000_000 + i).slice(-8)},上海`);
    writeFileSync(join(dir, 'huge.csv'), rows.join('\n') + '\n');
    const full = await cli(['match', '--input', 'huge.csv', '--output', 'huge-clusters.csv', '--memory', '64']);
    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(/match: ran out of memory with a heap of 64 MB for \d+ MB of records \(this machine has [\d,]+ MB\): give it more with --memory <MB>, or split the input/);

    const bad = await cli(['match', '--input', 'huge.csv', '--output', 'x.csv', '--memory', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--memory is the matcher\'s heap in MB, a whole number of at least 64 (got lots)');
  });

  it('prints usage for an unknown command', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).toMatch(/usage/i);
  });
});
