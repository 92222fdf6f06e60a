/** The part of an import's progress (GET /api/imports/:id) the CLI shows. */
export interface ImportProgress {
  id: string;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  fileName: string;
  rowsRead: number;
  rowsAccepted: number;
  rowsDuplicate: number;
  rowsFailed: number;
  bytesRead: number;
  bytesTotal: number;
  etaSeconds: number | null;
  errors: { line: number; message: string }[];
  error: { code: string; message: string; line?: number } | null;
}

// Bad rows printed one by one; past this the count says the rest.
const ERRORS_PRINTED = 20;

const n = (v: number) => v.toLocaleString('en-US');

export function formatBytes(b: number): string {
  if (b < 1024) return `${b} B`;
  if (b < 1024 * 1024) return `${(b / 1024).toFixed(1)} KiB`;
  if (b < 1024 ** 3) return `${(b / 1024 / 1024).toFixed(1)} MiB`;
  return `${(b / 1024 ** 3).toFixed(2)} GiB`;
}

export function formatDuration(s: number): string {
  if (s < 60) return `${Math.max(0, Math.round(s))}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * Draws an import's progress on stderr: a bar redrawn in place on a terminal, a plain line
 * every few seconds otherwise (CI logs, pipes). Bad rows are printed above the bar as they
 * are found, with their line numbers.
 */
export class ProgressReporter {
  private drawn = false;
  private lastPlain = -Infinity;
  private errorsShown = 0;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly tty = Boolean(out.isTTY),
    private readonly plainEveryMs = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Errors already printed: the next poll asks only for those after them. */
  get errorsSeen(): number {
    return this.errorsShown;
  }

  upload(sent: number, total: number): void {
    const pct = total > 0 ? sent / total : 1;
    this.show(`uploading ${this.bar(pct)} ${Math.floor(pct * 100)}% ${formatBytes(sent)} of ${formatBytes(total)}`, sent >= total);
  }

  /** One poll's answer, whose `errors` are those after `errorsSeen`. */
  update(p: ImportProgress, newErrors: { line: number; message: string }[]): void {
    for (const e of newErrors) {
      this.errorsShown++;
      if (this.errorsShown <= ERRORS_PRINTED) this.line(`line ${e.line}: ${e.message}`);
      else if (this.errorsShown === ERRORS_PRINTED + 1) this.line(`… more bad rows; all of them (up to 1000) are listed by GET /api/imports/${p.id}`);
    }
    const pct = p.bytesTotal > 0 ? Math.min(1, p.bytesRead / p.bytesTotal) : 0;
    const eta = p.etaSeconds !== null && p.status === 'running' ? ` · ETA ${formatDuration(p.etaSeconds)}` : '';
    const counts = `${n(p.rowsRead)} rows · ${n(p.rowsAccepted)} new · ${n(p.rowsDuplicate)} duplicate · ${n(p.rowsFailed)} bad`;
    // On a narrow terminal the bar gives way before the counts do.
    const room = (this.out.columns ?? 100) - 1 - `importing [] 100% ${counts}${eta}`.length;
    this.show(`importing ${this.bar(pct, Math.max(10, Math.min(24, room)))} ${Math.floor(pct * 100)}% ${counts}${eta}`, p.status !== 'running');
  }

  /** Prints a line above the bar. */
  line(text: string): void {
    this.clear();
    this.out.write(`${text}\n`);
  }

  /** Leaves the bar where it is (the summary goes below it). */
  end(): void {
    if (this.drawn && this.tty) this.out.write('\n');
    this.drawn = false;
  }

  private show(text: string, final: boolean): void {
    if (this.tty) {
      const width = Math.max(20, (this.out.columns ?? 100) - 1);
      this.out.write(`\r\x1b[2K${text.length > width ? text.slice(0, width) : text}`);
      this.drawn = true;
      return;
    }
    const t = this.now();
    if (!final && t - this.lastPlain < this.plainEveryMs) return;
    this.lastPlain = t;
    this.out.write(`${text.replace(/ \[[#.]+\]/, '')}\n`);
  }

  private clear(): void {
    if (this.drawn && this.tty) this.out.write('\r\x1b[2K');
  }

  private bar(fraction: number, width = 24): string {
    const full = Math.round(Math.min(1, Math.max(0, fraction)) * width);
    return `[${'#'.repeat(full)}${'.'.repeat(width - full)}]`;
  }
}

/** The last line of `tributary import`: what happened to the rows, and how fast. */
export function summaryLine(p: ImportProgress, seconds: number): string {
  const rate = seconds > 0 ? Math.round(p.rowsRead / seconds) : p.rowsRead;
  return `${p.fileName}: ${p.status}, ${n(p.rowsRead)} rows, ${n(p.rowsAccepted)} accepted, ${n(p.rowsDuplicate)} duplicates, ${n(p.rowsFailed)} failed, ${n(rate)} rows/s (import ${p.id})`;
}
