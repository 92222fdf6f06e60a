import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MATCH_CONFIG } from '@tributary/customer-store';
import { matchCommand, matchHeapMb } from './match.command.js';

const dir = mkdtempSync(join(tmpdir(), 'tributary-match-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The command's exit code and what it printed: stdout lines, stderr lines (progress left out). */
async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const progress = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await matchCommand(args);
    return { code, out: log.mock.calls.map((c) => String(c[0])), err: error.mock.calls.map((c) => String(c[0])) };
  } finally {
    log.mockRestore();
    error.mockRestore();
    progress.mockRestore();
  }
}

describe('tributary match', () => {
  it('writes record_id,cluster_id,reason per record and ends with a summary line', async () => {
    const input = join(dir, 'records.csv');
    const output = join(dir, 'clusters.csv');
    writeFileSync(
      input,
      'record_id,name,phone,email,company,city,channel\r\n' +
        'r1,张伟,+86 139 1234 5678,,,上海,web_form\r\n' +
        'r2,張偉,００８６１３９１２３４５６７８,,,,pos\n' +
        'r3,李娜,,test@test.com,"腾讯科技（中国）有限公司",深圳,web_form\n' +
        'r4,王芳,,,,,wechat\n',
    );
    const { code, out } = await run(['--input', input, '--output', output]);
    expect(code).toBe(0);
    expect(out.at(-1)).toMatch(/^match: 4 records, 3 clusters in [\d.]+ s \(\d+ records\/s\)$/);
    expect(readFileSync(output, 'utf8').trim().split('\n')).toEqual([
      'record_id,cluster_id,reason',
      'r1,r1,new',
      'r2,r1,identifier:phone r1',
      'r3,r3,new',
      'r4,r4,new',
    ]);
  });

  it('skips, with line and reason, the rows it cannot take as records, and matches the rest', async () => {
    const input = join(dir, 'bad.csv');
    const output = join(dir, 'bad-clusters.csv');
    writeFileSync(
      input,
      'record_id,name,phone\n' +
        'r1,张伟,13912345678\n' +
        'r2,"王\n芳",13912345679\n' + // a quoted line break: one record over two lines
        'r3,李"娜",13912345678\n' + // a quote inside a field is text
        'r1,赵强,13912345670\n' + // another person with r1's id
        ',钱芳,13912345671\n' +
        'r4,"孙丽,13912345672\nr5,周杰,13912345673\n', // a quote never closed takes the rest of the file
    );
    const { code, out, err: warnings } = await run(['--input', input, '--output', output]);
    expect(code).toBe(0);
    expect(out.at(-1)).toMatch(/^match: 3 records \(3 lines skipped\), 3 clusters in /);
    expect(warnings).toEqual([
      'match: line 6 skipped: record_id r1 is an earlier record\'s too',
      'match: line 7 skipped: record_id is empty',
      expect.stringMatching(/^match: line \d+ skipped: Quote Not Closed/),
    ]);
    // r3 is read (its name 李"娜 is not 张伟's, so r1's phone alone does not link it).
    expect(readFileSync(output, 'utf8').trim().split('\n')).toEqual(['record_id,cluster_id,reason', 'r1,r1,new', 'r2,r2,new', 'r3,r3,new (review -5 r1)']);
  });

  it('says what went wrong with the files, without a stack trace', async () => {
    const missing = await run(['--input', join(dir, 'missing.csv'), '--output', join(dir, 'out.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toEqual([expect.stringMatching(/^match: ENOENT: no such file or directory, stat '.*missing\.csv'$/)]);
    writeFileSync(join(dir, 'one.csv'), 'record_id,name\nr1,张伟\n');
    const unwritable = await run(['--input', join(dir, 'one.csv'), '--output', join(dir, 'no-such-dir', 'out.csv')]);
    expect(unwritable.code).toBe(1);
    expect(unwritable.err).toEqual([expect.stringMatching(/^match: ENOENT: no such file or directory, open '.*no-such-dir\/out\.csv'$/)]);
  });

  it('reads a rules file and rejects bad arguments', async () => {
    const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await matchCommand(['--input', 'x.csv'])).toBe(2);
    expect(await matchCommand(['--bogus'])).toBe(2);
    const rules = join(dir, 'rules.json');
    const run = () => matchCommand(['--input', 'x.csv', '--output', 'y.csv', '--config', rules]);
    const printed = () => String(err.mock.calls.at(-1)?.[0]);
    writeFileSync(rules, JSON.stringify({ identifiers: [] }));
    expect(await run()).toBe(2);
    expect(printed()).toMatch(/not a valid rules file[\s\S]*\/fuzzy must have required property 'fuzzy'/);
    // A typo is named with its place instead of a rule that never fires.
    const typo = structuredClone(DEFAULT_MATCH_CONFIG) as unknown as { fuzzy: { fields: { comparator: string }[] } };
    typo.fuzzy.fields[4]!.comparator = 'phone-near';
    writeFileSync(rules, JSON.stringify(typo));
    expect(await run()).toBe(2);
    expect(printed()).toMatch(/\/fuzzy\/fields\/4\/comparator must be equal to one of the allowed values: .*"phone_near"/);
    writeFileSync(rules, '{ "identifiers": [');
    expect(await run()).toBe(2);
    expect(printed()).toMatch(/cannot be read as JSON/);
    err.mockRestore();
  });
});

describe('the heap a match runs with', () => {
  const MB = 1 << 20;
  const GB = 1 << 30;
  it('stays in this process while the input fits its heap', () => {
    expect(matchHeapMb(94 * MB, undefined, 4 * GB, 24 * GB)).toBeUndefined();
  });
  it('asks for what a large input needs, up to three quarters of the machine', () => {
    // 400 MB of CSV: 128 MB + 16 × 400 MB, and a quarter more.
    expect(matchHeapMb(400 * MB, undefined, 4 * GB, 24 * GB)).toBe(Math.floor(((128 + 16 * 400) * MB * 1.25) / MB));
    expect(matchHeapMb(4 * GB, undefined, 4 * GB, 24 * GB)).toBe(18 * 1024);
    // A machine no larger than the heap Node has: nothing to gain.
    expect(matchHeapMb(4 * GB, undefined, 4 * GB, 5 * GB)).toBeUndefined();
  });
  it('takes what --memory asks for, unless it is the heap this process has', () => {
    expect(matchHeapMb(MB, 512, 4 * GB, 24 * GB)).toBe(512);
    expect(matchHeapMb(MB, 4096, 4 * GB, 24 * GB)).toBeUndefined();
  });
});
