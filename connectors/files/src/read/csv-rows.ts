import { parse, type CsvError, type Options, type Parser } from 'csv-parse';
import { StreamingTextDecoder } from './encoding.util.js';
import { mapHeaders } from './header-map.util.js';
import { RowBuilder } from './row-builder.js';
import { FileFormatError, type FileInfo, type ReadConfig, type RowResult } from './read.types.js';

// A record longer than this is a quote left open (or one enormous line): the rest of the file cannot be read.
const MAX_RECORD_CHARS = 1024 * 1024;
// Text looked at to choose the delimiter when it is `auto`.
const DELIMITER_SAMPLE_CHARS = 64 * 1024;
const DELIMITERS = [',', '\t', ';', '|'] as const;

type Parsed = { record: string[]; endLine: number } | { error: CsvError; endLine: number };

/**
 * The rows of a CSV file, streamed: bytes → text (encoding detected on the first non-ASCII
 * bytes) → one line-ending convention → csv-parse, whose records are collected synchronously
 * per chunk so that rows and row errors come out in file order with their line numbers.
 * Memory stays at a chunk's worth of rows whatever the file's size.
 */
export async function* readCsvRows(chunks: AsyncIterable<Buffer>, cfg: ReadConfig, onInfo?: (info: FileInfo) => void): AsyncGenerator<RowResult> {
  const decoder = new StreamingTextDecoder(cfg.encoding);
  const eol = new LineEndings();
  const parsed: Parsed[] = [];
  let parser: Parser | undefined;
  let head = '';
  let delimiter = '';

  const feed = (text: string, last: boolean) => {
    if (!parser) {
      head += text;
      if (!last && head.length < DELIMITER_SAMPLE_CHARS && countLines(head) <= cfg.headerRow + 10) return;
      delimiter = cfg.delimiter === 'auto' ? detectDelimiter(head, cfg.headerRow) : cfg.delimiter;
      parser = parse({
        delimiter,
        record_delimiter: '\n',
        relax_column_count: true, // a ragged row becomes a row error below, not a parser failure
        relax_quotes: true, // a stray quote inside an unquoted value is kept as text
        skip_empty_lines: true,
        skip_records_with_error: true,
        max_record_size: MAX_RECORD_CHARS,
        // Collected here, synchronously, in file order; nothing is pushed to the stream side.
        on_record: (record: string[], ctx: { lines: number }) => {
          parsed.push({ record, endLine: ctx.lines });
          return null;
        },
        on_skip: (err: CsvError | undefined) => {
          if (err) parsed.push({ error: err, endLine: (err as CsvError & { lines?: number }).lines ?? 0 });
          return undefined;
        },
      } as Options);
      parser.resume();
      text = head;
      head = '';
    }
    if (text) parser.write(text);
  };

  const rows = new CsvRowState(cfg, () => ({ encoding: decoder.encoding, delimiter }), onInfo);
  for await (const chunk of chunks) {
    feed(eol.push(decoder.write(chunk)), false);
    yield* rows.take(parsed);
  }
  feed(eol.push(decoder.end()) + eol.end(), true);
  if (parser) {
    const p = parser;
    await new Promise<void>((resolve, reject) => {
      p.once('end', resolve);
      p.once('error', reject);
      p.end();
    });
  }
  yield* rows.take(parsed);
  rows.finish();
}

/** Turns parsed records into rows: header, line numbers, ragged rows, the end of a broken file. */
class CsvRowState {
  private records = 0;
  private prevEnd = 0;
  private builder?: RowBuilder;
  private headers: string[] = [];
  private reportedEncoding?: string;

  constructor(
    private readonly cfg: ReadConfig,
    private readonly detected: () => { encoding?: string; delimiter: string },
    private readonly onInfo?: (info: FileInfo) => void,
  ) {}

  *take(parsed: Parsed[]): Generator<RowResult> {
    for (let i = 0; i < parsed.length; i++) {
      const p = parsed[i]!;
      const startLine = 'record' in p ? p.endLine - newlinesIn(p.record) : this.prevEnd + 1;
      this.prevEnd = p.endLine;
      this.records++;
      if ('error' in p) {
        const fatal = p.error.code === 'CSV_MAX_RECORD_SIZE';
        // Past the size limit on the line it started on: one enormous line, not a quote left open
        // (which runs on over many lines before it reaches the limit).
        const unquoted = fatal && p.endLine <= startLine;
        if (unquoted) {
          yield { line: startLine, error: `this line holds more than ${MAX_RECORD_CHARS / (1024 * 1024)} MiB of text: the rest of the file cannot be read` };
          parsed.length = 0;
          throw new FileFormatError('line_too_long', `line ${startLine} holds more than 1 MiB of text, far more than any record; the file cannot be read past it`, startLine);
        }
        if (p.error.code === 'CSV_QUOTE_NOT_CLOSED' || fatal) {
          const rest = fatal ? 'the rest of the file cannot be read' : `lines ${startLine}–${Math.max(startLine, p.endLine)} could not be read`;
          yield { line: startLine, error: `a quoted value starts on this line and its closing quote is missing: ${rest}` };
          if (fatal) {
            parsed.length = 0;
            throw new FileFormatError('quote_not_closed', `line ${startLine}: a quoted value is never closed; the file cannot be read past it`, startLine);
          }
        } else {
          yield { line: startLine, error: p.error.message.replace(/ at line \d+.*$/s, '') };
        }
        continue;
      }
      if (this.records < this.cfg.headerRow) continue;
      if (this.records === this.cfg.headerRow) {
        this.headers = p.record.map((h) => h.trim());
        this.builder = new RowBuilder(mapHeaders(this.headers, this.cfg), this.cfg.skipEmptyRows);
        this.report();
        continue;
      }
      const cells = RowBuilder.clean(p.record);
      const width = this.headers.length;
      if (cells.length > width && cells.slice(width).some((c) => c !== undefined)) {
        yield { line: startLine, error: `${cells.length} values but the header has ${width} columns (a value with the delimiter "${printable(this.detected().delimiter)}" in it must be quoted)` };
        continue;
      }
      if (cells.length < width && !(cells.length === 1 && cells[0] === undefined)) {
        yield { line: startLine, error: `${cells.length} values but the header has ${width} columns` };
        continue;
      }
      const item = this.builder!.build(cells);
      if (item) yield { line: startLine, item };
    }
    parsed.length = 0;
    if (this.builder && this.detected().encoding !== this.reportedEncoding) this.report();
  }

  finish(): void {
    if (this.builder) this.report();
  }

  private report(): void {
    const { encoding, delimiter } = this.detected();
    this.reportedEncoding = encoding;
    this.onInfo?.({ format: 'csv', encoding, delimiter, headers: this.headers, fields: this.builder!.fields });
  }
}

/** Line endings as `\n` only (csv-parse counts lines by its record delimiter); a `\r` at a chunk's end waits for the next. */
class LineEndings {
  private carry = false;

  push(text: string): string {
    let s = this.carry ? `\r${text}` : text;
    this.carry = s.endsWith('\r');
    if (this.carry) s = s.slice(0, -1);
    return s.includes('\r') ? s.replace(/\r\n?/g, '\n') : s;
  }

  end(): string {
    const s = this.carry ? '\n' : '';
    this.carry = false;
    return s;
  }
}

function newlinesIn(record: string[]): number {
  let n = 0;
  for (const v of record) {
    if (!v.includes('\n')) continue;
    for (let i = v.indexOf('\n'); i >= 0; i = v.indexOf('\n', i + 1)) n++;
  }
  return n;
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** The candidate that splits the header line most often (outside quotes); `,` for a one-column file. */
export function detectDelimiter(text: string, headerRow = 1): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = lines[Math.min(headerRow, lines.length) - 1] ?? '';
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best: string = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const c = counts.get(d)!;
    if (c > bestCount) {
      best = d;
      bestCount = c;
    }
  }
  return best;
}

function printable(d: string): string {
  return d === '\t' ? '\\t' : d;
}
