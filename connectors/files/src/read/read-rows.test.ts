import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
// exceljs's own zip library (a dependency of it): here only to store a workbook's parts in another order.
import JSZip from 'jszip';
import { readRows } from './read-rows.js';
import { FileFormatError, type FileInfo, type ReadConfig, type RowResult } from './read.types.js';

/** The bytes as a stream of `size`-byte chunks (multi-byte characters get cut between chunks). */
async function* chunked(bytes: Buffer, size = 64 * 1024): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(bytes: Buffer, cfg: Partial<ReadConfig> = {}, chunk?: number, filename?: string): Promise<{ rows: RowResult[]; info?: FileInfo }> {
  const rows: RowResult[] = [];
  let info: FileInfo | undefined;
  for await (const r of readRows(chunked(bytes, chunk), cfg, { filename, onInfo: (i) => (info = i) })) rows.push(r);
  return { rows, info };
}

const CUSTOMERS = [
  '姓名,手机,邮箱,公司,城市,会员等级',
  '张三,13800138000,zhangsan@example.com,杭州云帆科技有限公司,杭州,金卡',
  '李四,0571-88776655,,上海晨星贸易有限公司,上海,',
  '王五,+86 139 2468 1357,wangwu@example.cn,,北京,银卡',
].join('\r\n');

describe('readRows: CSV text', () => {
  it('reads UTF-8 with a BOM: headers mapped to item fields, values as text, blank cells left out', async () => {
    const { rows, info } = await read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CUSTOMERS, 'utf8')]));
    expect(rows).toEqual([
      { line: 2, item: { name: '张三', phone: '13800138000', email: 'zhangsan@example.com', company: '杭州云帆科技有限公司', city: '杭州', 会员等级: '金卡' } },
      { line: 3, item: { name: '李四', phone: '0571-88776655', company: '上海晨星贸易有限公司', city: '上海' } },
      { line: 4, item: { name: '王五', phone: '+86 139 2468 1357', email: 'wangwu@example.cn', city: '北京', 会员等级: '银卡' } },
    ]);
    expect(info).toMatchObject({ format: 'csv', encoding: 'utf-8', delimiter: ',', headers: ['姓名', '手机', '邮箱', '公司', '城市', '会员等级'] });
  });

  it('detects GBK bytes (Excel/WPS on Chinese Windows), even when characters are cut between chunks', async () => {
    const gbk = iconv.encode(CUSTOMERS, 'gbk');
    for (const size of [7, 1024, 64 * 1024]) {
      const { rows, info } = await read(gbk, {}, size);
      expect(info?.encoding).toBe('gb18030');
      expect(rows.map((r) => r.item?.name)).toEqual(['张三', '李四', '王五']);
      expect(rows[0]!.item).toMatchObject({ company: '杭州云帆科技有限公司', 会员等级: '金卡' });
    }
  });

  it('detects GBK when the header is ASCII and the Chinese text starts far into the file', async () => {
    const lines = ['name,phone,city'];
    for (let i = 0; i < 3000; i++) lines.push(`user${i},1380000${String(i).padStart(4, '0')},hz`);
    lines.push('赵六,13912345678,深圳');
    const { rows, info } = await read(iconv.encode(lines.join('\n'), 'gbk'), {}, 4096);
    expect(rows).toHaveLength(3001);
    expect(rows[3000]).toEqual({ line: 3002, item: { name: '赵六', phone: '13912345678', city: '深圳' } });
    expect(info?.encoding).toBe('gb18030');
  });

  it('uses a configured encoding as is', async () => {
    const { rows } = await read(iconv.encode('姓名,手机\n张三,13800138000', 'gbk'), { encoding: 'gbk' });
    expect(rows).toEqual([{ line: 2, item: { name: '张三', phone: '13800138000' } }]);
  });

  it('reads UTF-16LE with a BOM, tab-delimited (Excel "Unicode text")', async () => {
    const text = '姓名\t手机\r\n张三\t13800138000\r\n';
    const { rows, info } = await read(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]), {}, 5);
    expect(info).toMatchObject({ encoding: 'utf-16le', delimiter: '\t' });
    expect(rows).toEqual([{ line: 2, item: { name: '张三', phone: '13800138000' } }]);
  });

  it('gives each row the line it starts on, across quoted newlines, CRLF and blank lines', async () => {
    const csv = ['name,note,phone', 'Ann,"two\r\nlines",13800000001', '', 'Bob,"three', 'whole', 'lines",13800000002', 'Cy,plain,13800000003'].join('\r\n');
    const { rows } = await read(Buffer.from(csv), {}, 3);
    expect(rows).toEqual([
      { line: 2, item: { name: 'Ann', note: 'two\nlines', phone: '13800000001' } },
      { line: 5, item: { name: 'Bob', note: 'three\nwhole\nlines', phone: '13800000002' } },
      { line: 8, item: { name: 'Cy', note: 'plain', phone: '13800000003' } },
    ]);
  });

  it('reports a ragged row with its line and goes on', async () => {
    const csv = 'name,phone,city\nAnn,13800000001,杭州\nBob,13800000002,上海,extra,values\nCy,13800000003\nDee,13800000004,北京\nEve,13800000005,深圳,\n';
    const { rows } = await read(Buffer.from(csv));
    expect(rows).toEqual([
      { line: 2, item: { name: 'Ann', phone: '13800000001', city: '杭州' } },
      { line: 3, error: expect.stringMatching(/5 values but the header has 3 columns.*quoted/) },
      { line: 4, error: '2 values but the header has 3 columns' },
      { line: 5, item: { name: 'Dee', phone: '13800000004', city: '北京' } },
      // A trailing delimiter (an empty extra value) is not an error.
      { line: 6, item: { name: 'Eve', phone: '13800000005', city: '深圳' } },
    ]);
  });

  it('reports a quote that is never closed at the line it opens', async () => {
    const { rows } = await read(Buffer.from('name,phone\nAnn,1\n"Bob,2\nCy,3\n'));
    expect(rows[0]).toEqual({ line: 2, item: { name: 'Ann', phone: '1' } });
    expect(rows[1]).toEqual({ line: 3, error: expect.stringMatching(/closing quote is missing: lines 3–\d could not be read/) });
  });

  it('stops with a FileFormatError when an open quote runs past 1 MiB, after the rows before it', async () => {
    const csv = Buffer.from(`name,phone\nAnn,1\n"Bob,2\n${'x,y\n'.repeat(300_000)}`);
    const rows: RowResult[] = [];
    await expect(async () => {
      for await (const r of readRows(chunked(csv))) rows.push(r);
    }).rejects.toThrow(/line 3: a quoted value is never closed/);
    expect(rows[0]).toEqual({ line: 2, item: { name: 'Ann', phone: '1' } });
    expect(rows[1]).toMatchObject({ line: 3, error: expect.stringMatching(/rest of the file cannot be read/) });
  });

  it('tells one enormous line from a quote left open', async () => {
    const csv = Buffer.from(`name,phone\nAnn,1\n${'a'.repeat(1_100_000)},2\nBob,3\n`);
    const rows: RowResult[] = [];
    await expect(async () => {
      for await (const r of readRows(chunked(csv))) rows.push(r);
    }).rejects.toMatchObject({ code: 'line_too_long', message: 'line 3 holds more than 1 MiB of text, far more than any record; the file cannot be read past it' });
    expect(rows).toEqual([{ line: 2, item: { name: 'Ann', phone: '1' } }, { line: 3, error: 'this line holds more than 1 MiB of text: the rest of the file cannot be read' }]);
  });

  it('refuses a binary file (a PDF, an image, an archive, random bytes) by what it is, and takes a CSV with a stray NUL', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(500, 0x41)]);
    await expect(read(pdf, {}, undefined, 'customers.csv')).rejects.toMatchObject({ code: 'binary', message: expect.stringMatching(/^the file is a PDF document, not CSV or \.xlsx/) });
    await expect(read(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array(100).fill(1)]))).rejects.toMatchObject({ message: expect.stringMatching(/a PNG image/) });
    const noise = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 37) % 256));
    await expect(read(noise)).rejects.toMatchObject({ code: 'binary', message: expect.stringMatching(/^the file is a binary file, not CSV or \.xlsx/) });
    const { rows } = await read(Buffer.from('姓名,手机\n张\u0000三,13924689801\n'));
    expect(rows).toHaveLength(1);
    // UTF-16 without a BOM has a NUL in every other byte, and is text.
    expect((await read(iconv.encode('name,phone\n' + 'Ann,13924689801\nBob,13924689802\n'.repeat(5), 'utf-16le'))).rows).toHaveLength(10);
  });

  it('keeps ids and phones as text: leading zeros, long numbers, Excel\'s ="…" and a leading tab', async () => {
    const csv = 'member_id,phone,id_card,amount\n00123,="013800138000",\t440101199001011234,12.50\n';
    const { rows } = await read(Buffer.from(csv));
    expect(rows[0]!.item).toEqual({ pos_member_id: '00123', phone: '013800138000', id_card: '440101199001011234', amount: '12.50' });
  });

  it('detects ; and tab delimiters, and honours a configured one', async () => {
    expect((await read(Buffer.from('name;phone;city\nAnn;1;"a;b"'))).rows[0]!.item).toEqual({ name: 'Ann', phone: '1', city: 'a;b' });
    expect((await read(Buffer.from('name\tphone\nAnn\t1'))).rows[0]!.item).toEqual({ name: 'Ann', phone: '1' });
    expect((await read(Buffer.from('a|b\n1|2'), { delimiter: '|' })).rows[0]!.item).toEqual({ a: '1', b: '2' });
  });

  it('maps headers: own map first (an empty field drops the column), then the defaults, duplicates kept apart', async () => {
    const csv = '客户手机,内部编号,Phone Number,电话,E-Mail：,手机号（必填）,,名字\n13800000001,X1,13800000002,13800000003,a@b.cn,13800000004,orphan,Ann\n';
    const { rows, info } = await read(Buffer.from(csv), { headerMap: { 客户手机: 'phone', 内部编号: '' } });
    expect(info?.fields).toEqual(['phone', null, 'Phone Number', '电话', 'email', '手机号（必填）', 'column_7', 'name']);
    expect(rows[0]!.item).toEqual({ phone: '13800000001', 'Phone Number': '13800000002', 电话: '13800000003', email: 'a@b.cn', '手机号（必填）': '13800000004', column_7: 'orphan', name: 'Ann' });
    const plain = await read(Buffer.from('手机,邮箱\n1,a@b.cn'), { defaultHeaderMap: false });
    expect(plain.rows[0]!.item).toEqual({ 手机: '1', 邮箱: 'a@b.cn' });
  });

  it('skips rows above the header and empty rows (unless told not to)', async () => {
    const csv = '客户导出 2026-03-01,,\n姓名,手机,城市\n张三,13800138000,杭州\n,,\n李四,13900139000,\n';
    const { rows } = await read(Buffer.from(csv), { headerRow: 2 });
    expect(rows).toEqual([
      { line: 3, item: { name: '张三', phone: '13800138000', city: '杭州' } },
      { line: 5, item: { name: '李四', phone: '13900139000' } },
    ]);
    const all = await read(Buffer.from(csv), { headerRow: 2, skipEmptyRows: false });
    expect(all.rows[1]).toEqual({ line: 4, item: {} });
  });

  it('streams: the first row comes out before the source is read to its end, and 10,000 rows come out in order', async () => {
    let produced = 0;
    let producedAtFirstRow = -1;
    const rowsTotal = 10_000;
    async function* source(): AsyncGenerator<Buffer> {
      yield Buffer.from('姓名,手机,城市\n');
      for (let i = 0; i < rowsTotal; i += 100) {
        let s = '';
        for (let j = i; j < i + 100; j++) s += `客户${j},139${String(j).padStart(8, '0')},杭州\n`;
        produced++;
        yield Buffer.from(s);
      }
    }
    let n = 0;
    for await (const r of readRows(source())) {
      if (n === 0) producedAtFirstRow = produced;
      expect(r).toEqual({ line: n + 2, item: { name: `客户${n}`, phone: `139${String(n).padStart(8, '0')}`, city: '杭州' } });
      n++;
    }
    expect(n).toBe(rowsTotal);
    // About 30 of the 100 chunks: the 64 KiB the encoding is detected on, not the whole file.
    expect(producedAtFirstRow).toBeLessThan(30);
  });

  it('reads from a Node Readable too, and an empty file as no rows', async () => {
    const rows: RowResult[] = [];
    for await (const r of readRows(Readable.from([Buffer.from('a,b\n1,2\n')]))) rows.push(r);
    expect(rows).toEqual([{ line: 2, item: { a: '1', b: '2' } }]);
    expect((await read(Buffer.alloc(0))).rows).toEqual([]);
  });
});

describe('readRows: what is not CSV', () => {
  it('refuses an old .xls workbook and an HTML page named .xls with a clear error', async () => {
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...Buffer.alloc(100)]);
    await expect(read(xls)).rejects.toThrow(/97–2003 \.xls.*save it as \.xlsx or CSV/);
    await expect(read(Buffer.from('<html><table><tr><td>姓名</td></tr></table></html>'), {}, undefined, 'export.xls')).rejects.toThrow(/HTML or XML page although it is named export\.xls/);
    await expect(read(Buffer.from('a,b\n1,2'), { format: 'xlsx' })).rejects.toBeInstanceOf(FileFormatError);
  });
});

describe('readRows: xlsx', () => {
  async function workbook(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    build(wb);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  const customers = (wb: ExcelJS.Workbook) => {
    wb.addWorksheet('说明').addRow(['这一页是说明']);
    const ws = wb.addWorksheet('客户');
    ws.addRow(['客户列表']);
    ws.addRow(['姓名', '手机', '注册时间', '积分', '会员号', '备注', '邮箱']);
    ws.addRow(['张三', 13800138000, new Date(Date.UTC(2026, 2, 1, 8, 30)), 12.5, 1234567890123456789012, { richText: [{ text: '老' }, { text: '客户' }] }, { text: 'zs@example.com', hyperlink: 'mailto:zs@example.com' }]);
    ws.addRow([]);
    ws.addRow(['李四', '013900139000', null, { formula: '1+1', result: 2 }, '00042', null, null]);
    ws.getCell('C3').numFmt = 'yyyy-mm-dd hh:mm';
  };

  it('streams the chosen sheet: numbers as text without exponents, dates as UTC ISO, rich text, hyperlinks, formulas', async () => {
    const file = await workbook(customers);
    const { rows, info } = await read(file, { sheet: '客户', headerRow: 2 }, 1000, 'customers.xlsx');
    expect(info).toMatchObject({ format: 'xlsx', sheet: '客户', headers: ['姓名', '手机', '注册时间', '积分', '会员号', '备注', '邮箱'] });
    expect(rows).toEqual([
      {
        line: 3,
        item: { name: '张三', phone: '13800138000', 注册时间: '2026-03-01T08:30:00.000Z', 积分: '12.5', pos_member_id: '1234567890123456774144', note: '老客户', email: 'zs@example.com' },
      },
      { line: 5, item: { name: '李四', phone: '013900139000', 积分: '2', pos_member_id: '00042' } },
    ]);
  });

  it('picks a sheet by position, the first tab by default, and names the sheets when one is missing', async () => {
    const file = await workbook(customers);
    expect((await read(file, { sheet: '2', headerRow: 2 })).rows).toHaveLength(2);
    expect((await read(file, { sheet: 2, headerRow: 2 })).rows).toHaveLength(2);
    expect((await read(file)).info).toMatchObject({ sheet: '说明', headers: ['这一页是说明'] });
    await expect(read(file, { sheet: 'Customers' })).rejects.toThrow(/no sheet "Customers"; its sheets are "说明", "客户"/);
  });

  /** The workbook's parts stored in another order: `first` at the start, `last` at the end. */
  async function reorder(file: Buffer, first: string[], last: string[]): Promise<Buffer> {
    const zip = await JSZip.loadAsync(file);
    const parts = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir);
    const order = [...first, ...parts.filter((n) => !first.includes(n) && !last.includes(n)), ...last];
    const reordered = new JSZip();
    for (const n of order) reordered.file(n, await zip.files[n]!.async('uint8array'));
    return reordered.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  }

  /** Runs `fn` with the temporary directory pointed at a fresh one; returns what is left in it. */
  async function leftInTmp(fn: () => Promise<void>): Promise<string[]> {
    const dir = await mkdtemp(join(tmpdir(), 'read-rows-test-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = dir;
    try {
      await fn();
      return await readdir(dir);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      await rm(dir, { recursive: true, force: true });
    }
  }

  // The orders a zip may store the parts in. Excel stores the sheets before the shared strings
  // and styles; exceljs's writer stores workbook.xml after the sheets under load (its reader
  // then failed "reading 'sheets'"); styles last would lose the date formats.
  const ORDERS: [string, string[], string[]][] = [
    ['as exceljs writes it', [], []],
    ['workbook.xml after the sheets', ['xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/styles.xml'], ['xl/workbook.xml']],
    ["Excel's: sheets before shared strings and styles", ['xl/workbook.xml', 'xl/_rels/workbook.xml.rels'], ['xl/styles.xml', 'xl/sharedStrings.xml']],
    ['styles after the sheets', ['xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml'], ['xl/styles.xml']],
  ];

  it.each(ORDERS)('reads a workbook stored %s: sheet names, positions, dates', async (_order, first, last) => {
    const file = await reorder(await workbook(customers), first, last);
    const left = await leftInTmp(async () => {
      const { rows, info } = await read(file, { sheet: '客户', headerRow: 2 });
      expect(info).toMatchObject({ sheet: '客户', headers: ['姓名', '手机', '注册时间', '积分', '会员号', '备注', '邮箱'] });
      expect(rows.map((r) => r.item.name)).toEqual(['张三', '李四']);
      expect(rows[0]!.item.注册时间).toBe('2026-03-01T08:30:00.000Z');
      expect((await read(file, { sheet: 2, headerRow: 2 })).rows).toHaveLength(2);
      expect((await read(file)).info).toMatchObject({ sheet: '说明' });
    });
    expect(left).toEqual([]);
  });

  it('leaves no temporary file when a read stops early or skips sheets, however many run at once', async () => {
    // Excel's order: every sheet is spooled until the shared strings arrive. A reader that
    // unlinked a skipped sheet's file while its stream was opening failed with ENOENT under load.
    const file = await reorder(await workbook(customers), ['xl/workbook.xml', 'xl/_rels/workbook.xml.rels'], ['xl/styles.xml', 'xl/sharedStrings.xml']);
    const left = await leftInTmp(async () => {
      const firstRow = async (cfg: Partial<ReadConfig>) => {
        for await (const r of readRows(chunked(file, 512), cfg)) return r;
        return undefined;
      };
      const results = await Promise.all(
        Array.from({ length: 24 }, (_, i) => (i % 2 ? firstRow({ sheet: '客户', headerRow: 2 }) : read(file, { sheet: 2, headerRow: 2 }, 512))),
      );
      for (const [i, r] of results.entries()) {
        if (i % 2) expect(r).toMatchObject({ line: 3, item: { name: '张三' } });
        else expect((r as { rows: RowResult[] }).rows).toHaveLength(2);
      }
    });
    expect(left).toEqual([]);
  });

  it('keeps every character of a large Chinese workbook, whichever chunk a character is cut by', async () => {
    // The zip's inflated chunks fall anywhere in the text; exceljs decoded each on its own.
    const names = Array.from({ length: 3000 }, (_, i) => `张${'伟芳娜秀英敏静丽强磊'[i % 10]}${i}号（杭州云帆科技有限公司）`);
    const file = await workbook((wb) => {
      const ws = wb.addWorksheet('客户');
      ws.addRow(['姓名', '备注']);
      for (const [i, n] of names.entries()) ws.addRow([n, `第${i}位客户：老客户，来自门店`]);
    });
    for (const order of ORDERS) {
      const { rows } = await read(await reorder(file, order[1], order[2]), {}, 4093);
      expect(rows.map((r) => r.item.name)).toEqual(names);
      expect(rows.every((r, i) => r.item.note === `第${i}位客户：老客户，来自门店`)).toBe(true);
    }
  });

  it('refuses a zip that is not a workbook, and says when a workbook is cut off', async () => {
    const notXlsx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 1)]);
    await expect(read(notXlsx)).rejects.toBeInstanceOf(FileFormatError);
    const whole = await workbook(customers);
    await expect(read(whole.subarray(0, Math.floor(whole.length / 2)))).rejects.toMatchObject({
      code: 'unreadable_xlsx',
      message: 'not a readable .xlsx workbook: the file ends before the workbook does (cut off in the upload or the export?)',
    });
    // Cut anywhere, in either part order: every read ends (the rows of a sheet complete before
    // the cut, or a FileFormatError), none waits forever for the rest of a part.
    const excelOrder = await reorder(whole, ['xl/workbook.xml', 'xl/_rels/workbook.xml.rels'], ['xl/styles.xml', 'xl/sharedStrings.xml']);
    for (const file of [whole, excelOrder]) {
      for (let cut = 0.05; cut < 1; cut += 0.05) {
        let timer: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([
          read(file.subarray(0, Math.floor(file.length * cut)), { sheet: '客户', headerRow: 2 }).then(
            () => 'rows',
            (err: unknown) => (err instanceof FileFormatError ? 'refused' : `other: ${String(err)}`),
          ),
          new Promise((resolve) => (timer = setTimeout(() => resolve('hung'), 5000))),
        ]);
        clearTimeout(timer);
        expect([`${cut.toFixed(2)} ${outcome}`]).toEqual([expect.stringMatching(/ (rows|refused)$/)]);
      }
    }
  }, 60_000);
});
