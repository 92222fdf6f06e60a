import { describe, expect, it } from '@jest/globals';
import { formatDuration, ProgressReporter, summaryLine, type ImportProgress } from './import-progress.js';

function sink(columns = 80) {
  const chunks: string[] = [];
  const out = { isTTY: false, columns, write: (s: string) => chunks.push(s) } as unknown as NodeJS.WriteStream;
  return { out, text: () => chunks.join('') };
}

const progress = (p: Partial<ImportProgress>): ImportProgress => ({
  id: 'imp-1',
  status: 'running',
  fileName: '客户.csv',
  rowsRead: 0,
  rowsAccepted: 0,
  rowsDuplicate: 0,
  rowsFailed: 0,
  bytesRead: 0,
  bytesTotal: 1000,
  etaSeconds: null,
  errors: [],
  error: null,
  ...p,
});

describe('import progress on stderr', () => {
  it('redraws one bar in place on a terminal, with bad rows printed above it', () => {
    const s = sink(200);
    const r = new ProgressReporter(s.out, true);
    r.update(progress({ rowsRead: 500, rowsAccepted: 499, rowsFailed: 1, bytesRead: 500, etaSeconds: 75 }), [{ line: 7, message: '5 values but the header has 4 columns' }]);
    r.update(progress({ status: 'succeeded', rowsRead: 1000, rowsAccepted: 999, rowsFailed: 1, bytesRead: 1000 }), []);
    r.end();
    expect(s.text()).toBe(
      'line 7: 5 values but the header has 4 columns\n' +
        '\r\x1b[2Kimporting [############............] 50% 500 rows · 499 new · 0 duplicate · 1 bad · ETA 1m15s' +
        '\r\x1b[2Kimporting [########################] 100% 1,000 rows · 999 new · 0 duplicate · 1 bad\n',
    );
    expect(r.errorsSeen).toBe(1);
  });

  it('writes a plain line every few seconds when stderr is not a terminal, and the last state always', () => {
    const s = sink();
    let now = 0;
    const r = new ProgressReporter(s.out, false, 5000, () => now);
    r.update(progress({ rowsRead: 10, bytesRead: 10 }), []);
    now = 1000;
    r.update(progress({ rowsRead: 20, bytesRead: 20 }), []); // too soon: not printed
    now = 6000;
    r.update(progress({ rowsRead: 30, bytesRead: 30 }), []);
    now = 6500;
    r.update(progress({ status: 'succeeded', rowsRead: 40, bytesRead: 1000 }), []);
    expect(s.text().trim().split('\n')).toEqual([
      'importing 1% 10 rows · 0 new · 0 duplicate · 0 bad',
      'importing 3% 30 rows · 0 new · 0 duplicate · 0 bad',
      'importing 100% 40 rows · 0 new · 0 duplicate · 0 bad',
    ]);
  });

  it('prints the first 20 bad rows and then only says there are more', () => {
    const s = sink();
    const r = new ProgressReporter(s.out, false);
    const errors = Array.from({ length: 25 }, (_, i) => ({ line: i + 2, message: 'bad' }));
    r.update(progress({ rowsFailed: 25 }), errors);
    const lines = s.text().split('\n').filter((l) => l.startsWith('line ') || l.startsWith('…'));
    expect(lines).toHaveLength(21);
    expect(lines[20]).toMatch(/more bad rows.*GET \/api\/imports\/imp-1/);
  });

  it('ends with one summary line', () => {
    const p = progress({ status: 'succeeded', rowsRead: 12345, rowsAccepted: 12000, rowsDuplicate: 340, rowsFailed: 5 });
    expect(summaryLine(p, 2.5)).toBe('客户.csv: succeeded, 12,345 rows, 12,000 accepted, 340 duplicates, 5 failed, 4,938 rows/s (import imp-1)');
    expect(formatDuration(3725)).toBe('1h02m');
  });
});
