// Bulk file import end to end: the real CLI uploads a GBK CSV (as Excel/WPS export it on
// Chinese Windows) to the real API, the worker runs every row through
// flows/customer-import.flow.json into the customer store; re-importing creates nothing twice.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { REPO_ROOT, startSystem, type System } from './support/system.js';

const exec = promisify(execFile);
const CLI = join(REPO_ROOT, 'apps/cli/bin/tributary.js');
const dir = mkdtempSync(join(tmpdir(), 'tributary-file-import-'));
const importDir = mkdtempSync(join(tmpdir(), 'tributary-import-store-'));
const customerImport = JSON.parse(readFileSync(join(REPO_ROOT, 'flows/customer-import.flow.json'), 'utf8'));

const SURNAMES = ['张', '李', '王', '赵', '刘', '陈', '杨', '黄', '周', '吴'];
const CITIES = ['杭州', '上海', '北京', '深圳', '成都'];
const phoneOf = (i: number) => `139${String(20_000_000 + i * 7_919).padStart(8, '0')}`;
const PEOPLE = 30;

/** The export: a header, 30 people, one of them twice (moved city), one without contact details, a note over two lines, a broken row. */
function exportCsv(): { bytes: Buffer; badLine: number; rows: number } {
  const lines = ['姓名,手机,邮箱,公司,城市,备注'];
  for (let i = 0; i < PEOPLE; i++) {
    const note = i === 5 ? '"VIP,老客户\r\n二次购买"' : '';
    lines.push(`${SURNAMES[i % 10]}${'小明华'[i % 3]}${i},${phoneOf(i)},user${i}@qq.com,杭州云帆${i}有限公司,${CITIES[i % 5]},${note}`);
  }
  // The quoted note spans two lines, so the next row is one line further down.
  lines.push('没有联系方式,,,某公司,杭州,');
  lines.push(`${SURNAMES[0]}小0,${phoneOf(0)},,,宁波,搬家了`);
  lines.push(`坏行,${phoneOf(99)},bad@qq.com,公司,杭州,备注,多余的一列`);
  const badLine = lines.length + 1; // +1: the note's second line
  lines.push(`${SURNAMES[1]}最后,${phoneOf(100)},last@163.com,,上海,`);
  return { bytes: iconv.encode(lines.join('\r\n') + '\r\n', 'gbk'), badLine, rows: PEOPLE + 4 };
}

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await exec(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, cwd: dir });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('file import: CSV / xlsx → files.import → normalize → customer.upsert', () => {
  let sys: System;
  let firstImportId = '';
  const csv = exportCsv();
  const csvFile = join(dir, '客户导出.csv');

  const finished = async (id: string) => {
    let last: any;
    await sys.waitFor(async () => {
      last = (await sys.request('GET', `/api/imports/${id}`)).body;
      return last.status !== 'running';
    }, 60_000, `import ${id} to finish`);
    return last;
  };
  const customerCount = async () => (await sys.db.query(`SELECT count(*)::int AS n FROM customers`)).rows[0].n as number;

  beforeAll(async () => {
    sys = await startSystem({ label: 'fileimport', env: { TRIBUTARY_IMPORT_DIR: importDir } });
    await sys.createFlow(customerImport);
    writeFileSync(csvFile, csv.bytes);
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('imports a GBK CSV through the real CLI: a progress line, the bad row by its line number, a summary', async () => {
    const r = await cli(['import', csvFile, '--flow', 'customer-import', '--url', sys.url, '--token', sys.token]);
    expect(r.stderr).toContain(`line ${csv.badLine}: 7 values but the header has 6 columns`);
    expect(r.stderr).toMatch(/importing \d+% \d+ rows · \d+ new · 0 duplicate · 1 bad/);
    expect(r.code).toBe(0);
    const summary = r.stdout.trim().split('\n').pop()!;
    expect(summary).toMatch(new RegExp(`^客户导出\\.csv: succeeded, ${csv.rows} rows, ${csv.rows - 1} accepted, 0 duplicates, 1 failed, [\\d,]+ rows/s \\(import [0-9a-f-]{36}\\)$`));
    firstImportId = /\(import ([0-9a-f-]{36})\)/.exec(summary)![1]!;

    await sys.drain();
    expect(await sys.runCounts()).toEqual({ succeeded: csv.rows - 1 });
    // The stored upload is gone once its rows are runs.
    expect(readdirSync(importDir)).toEqual([]);
  });

  it('shows the progress in the API: counts, the bad row with its line, what was detected', async () => {
    const res = await sys.request('GET', `/api/imports/${firstImportId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: firstImportId,
      flowId: 'customer-import',
      nodeId: 'file',
      fileName: '客户导出.csv',
      status: 'succeeded',
      rowsRead: csv.rows,
      rowsAccepted: csv.rows - 1,
      rowsDuplicate: 0,
      rowsFailed: 1,
      bytesRead: csv.bytes.length,
      bytesTotal: csv.bytes.length,
      etaSeconds: null,
      errors: [{ line: csv.badLine, message: expect.stringMatching(/7 values but the header has 6 columns/) }],
      file: { format: 'csv', encoding: 'gb18030', delimiter: ',', fields: ['name', 'phone', 'email', 'company', 'city', 'note'] },
    });
    const list = await sys.request('GET', '/api/imports?flowId=customer-import');
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([firstImportId]);
  });

  it('stored one customer per person, with the file as the source and an imported event', async () => {
    // 30 people plus the last row; the row without contact details made no customer, the repeated person no second one.
    expect(await customerCount()).toBe(PEOPLE + 1);
    const found = await sys.request('GET', `/api/customers?phone=${phoneOf(0)}`);
    expect(found.body.items).toHaveLength(1);
    const view = (await sys.request('GET', `/api/customers/${found.body.items[0].id}`)).body;
    expect(view.attributes.name).toMatchObject({ value: '张小0', source: 'file_import' });
    expect(['杭州', '宁波']).toContain(view.attributes.city.value);
    expect(view.identities).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'phone', value: `+86${phoneOf(0)}` })]));
    expect(view.timeline.map((e: { type: string }) => e.type)).toEqual(['imported', 'imported']);

    const vip = (await sys.request('GET', `/api/customers?phone=${phoneOf(5)}`)).body.items[0];
    const vipView = (await sys.request('GET', `/api/customers/${vip.id}`)).body;
    expect(vipView.attributes.note.value).toBe('VIP,老客户\n二次购买');
    expect(vipView.attributes.company.value).toBe('杭州云帆5有限公司');
  });

  it('makes nothing twice when the same file is imported again (API upload)', async () => {
    const before = { runs: await sys.runCounts(), customers: await customerCount() };
    const res = await sys.request('POST', '/api/flows/customer-import/imports?filename=again.csv', csv.bytes, { 'content-type': 'text/csv' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: expect.any(String), status: 'running' });
    const again = await finished(res.body.id);
    expect(again).toMatchObject({ status: 'succeeded', rowsRead: csv.rows, rowsAccepted: 0, rowsDuplicate: csv.rows - 1, rowsFailed: 1 });
    await sys.drain();
    expect(await sys.runCounts()).toEqual(before.runs);
    expect(await customerCount()).toBe(before.customers);
  });

  it('imports an .xlsx workbook: numeric phones stay exact, dates become ISO text', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('客户');
    ws.addRow(['姓名', '手机', '城市', '注册时间']);
    ws.addRow(['表格客户', 13_712_345_678, '苏州', new Date(Date.UTC(2026, 0, 15, 9, 0))]);
    ws.getCell('D2').numFmt = 'yyyy-mm-dd hh:mm';
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await sys.request('POST', '/api/flows/customer-import/imports?filename=%E5%AE%A2%E6%88%B7.xlsx', xlsx, {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
    expect(res.status).toBe(202);
    expect(await finished(res.body.id)).toMatchObject({ status: 'succeeded', fileName: '客户.xlsx', rowsAccepted: 1, file: { format: 'xlsx', sheet: '客户' } });
    await sys.drain();
    const found = (await sys.request('GET', '/api/customers?phone=13712345678')).body.items;
    expect(found).toHaveLength(1);
    const view = (await sys.request('GET', `/api/customers/${found[0].id}`)).body;
    expect(view.attributes['注册时间'].value).toBe('2026-01-15T09:00:00.000Z');
  });

  it('ends an import of a file that is no customer list with the reason, and never hangs: a PDF named .csv, random bytes, a cut-off workbook, a line of megabytes', async () => {
    const whole = Buffer.from(await (() => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('客户');
      ws.addRow(['姓名', '手机']);
      for (let i = 0; i < 200; i++) ws.addRow([`客户${i}`, phoneOf(500 + i)]);
      return wb.xlsx.writeBuffer();
    })());
    const uploads: [string, Buffer, string, Record<string, unknown>][] = [
      ['report.csv', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 0x41)]), 'text/csv', { code: 'binary', message: expect.stringMatching(/^the file is a PDF document, not CSV or \.xlsx/) }],
      ['noise.csv', Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 37) % 256)), 'text/csv', { code: 'binary' }],
      ['cut.xlsx', whole.subarray(0, Math.floor(whole.length / 2)), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', { code: 'unreadable_xlsx', message: expect.stringMatching(/ends before the workbook does/) }],
      ['long.csv', Buffer.from(`姓名,手机\n${'a'.repeat(1_200_000)},${phoneOf(900)}\n`), 'text/csv', { code: 'line_too_long', line: 2 }],
    ];
    for (const [name, bytes, type, error] of uploads) {
      const res = await sys.request('POST', `/api/flows/customer-import/imports?filename=${name}`, bytes, { 'content-type': type });
      expect(res.status).toBe(202);
      expect(await finished(res.body.id)).toMatchObject({ status: 'failed', rowsAccepted: 0, error });
    }
  });

  it('answers what cannot be imported: 404 unknown flow, 409 no files.import trigger, 400 empty, 415 wrong type, 401 without token', async () => {
    const unknown = await sys.request('POST', '/api/flows/nope/imports', csv.bytes, { 'content-type': 'text/csv' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');

    await sys.createFlow({ schemaVersion: 1, id: 'manual-only', name: 'manual', nodes: [{ id: 'm', type: 'core.manual', version: 1, config: {} }], edges: [] });
    const noTrigger = await sys.request('POST', '/api/flows/manual-only/imports', csv.bytes, { 'content-type': 'text/csv' });
    expect(noTrigger.status).toBe(409);
    expect(noTrigger.body.error).toMatchObject({ code: 'no_file_import_trigger', message: expect.stringMatching(/has no files\.import trigger/) });

    const empty = await sys.request('POST', '/api/flows/customer-import/imports', '', { 'content-type': 'text/csv' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('empty_file');

    const pdf = await sys.request('POST', '/api/flows/customer-import/imports', Buffer.from('%PDF-1.4'), { 'content-type': 'application/pdf' });
    expect(pdf.status).toBe(415);
    expect(pdf.body.error.code).toBe('unsupported_media_type');
    const json = await sys.request('POST', '/api/flows/customer-import/imports', { rows: [] });
    expect(json.status).toBe(415);
    expect(json.body.error.message).toMatch(/text\/csv/);

    const noToken = await fetch(`${sys.url}/api/flows/customer-import/imports`, { method: 'POST', body: csv.bytes, headers: { 'content-type': 'text/csv' } });
    expect(noToken.status).toBe(401);
    // Other routes do not take file bodies.
    const elsewhere = await sys.request('POST', '/api/flows', csv.bytes, { 'content-type': 'text/csv' });
    expect(elsewhere.status).toBe(415);
    expect(elsewhere.body.error.code).toBe('unsupported_media_type');
  });

  it('exits non-zero when the import fails or cannot start', async () => {
    const env = { TRIBUTARY_URL: sys.url, TRIBUTARY_ADMIN_TOKEN: sys.token };
    const xls = join(dir, 'old.xls');
    writeFileSync(xls, Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(1024)]));
    const failed = await cli(['import', xls, '--flow', 'customer-import'], env);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/import failed: .*97–2003 \.xls/);
    expect(failed.stdout).toMatch(/old\.xls: failed, 0 rows/);

    const missing = await cli(['import', csvFile, '--flow', 'nope'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/not_found: flow nope not found/);

    const usage = await cli(['import', csvFile]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/usage: tributary import/);
  });
});
