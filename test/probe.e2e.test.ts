import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, startSystem, type System } from './support/system.js';

describe('probe', () => {
  let sys: System;
  beforeAll(async () => {
    sys = await startSystem({ label: 'probe', env: { TRIBUTARY_IMPORT_DIR: mkdtempSync(join(tmpdir(), 'probe-imp-')) } });
    await sys.createFlow(JSON.parse(readFileSync(join(REPO_ROOT, 'flows/customer-import.flow.json'), 'utf8')));
  });
  afterAll(async () => { await sys?.stop(); });
  it('probe', async () => {
    const out: string[] = [];
    const files: [string, Buffer, string][] = [
      ['nul csv', Buffer.from('姓名,手机\n张\u0000三,13924689801\n李四,139246898\u000002\n'), 'text/csv'],
      ['binary', Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 37) % 256)), 'text/csv'],
      ['header only', Buffer.from('姓名,手机\n'), 'text/csv'],
      ['one huge field', Buffer.from('姓名,手机\n' + 'a'.repeat(3_000_000) + ',13924689803\n'), 'text/csv'],
      ['unclosed quote', Buffer.from('姓名,手机\n"王五,13924689804\n赵六,13924689805\n'), 'text/csv'],
      ['truncated xlsx', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(3000, 7)]), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ];
    for (const [label, body, type] of files) {
      const r = await sys.request('POST', `/api/flows/customer-import/imports?filename=${encodeURIComponent(label)}.csv`, body, { 'content-type': type });
      let last: any = r.body;
      if (r.status === 202) {
        await sys.waitFor(async () => { last = (await sys.request('GET', `/api/imports/${r.body.id}`)).body; return last.status !== 'running'; }, 60_000, 'import');
        await sys.drain();
      }
      out.push(`${label}: ${r.status} -> ${last.status} read=${last.rowsRead} acc=${last.rowsAccepted} failed=${last.rowsFailed} err=${JSON.stringify(last.error ?? last.errors?.slice?.(0, 2)).slice(0, 200)}`);
    }
    writeFileSync('/tmp/probe/out9.txt', out.join('\n') + '\n' + sys.recentLogs().split('\n').filter((l) => /"level":50/.test(l)).slice(0, 5).join('\n').slice(0, 2000));
  }, 300_000);
});
