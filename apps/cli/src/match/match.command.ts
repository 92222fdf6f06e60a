import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { BatchMatcher, DEFAULT_MATCH_CONFIG, recordFromRow, validateMatchConfig, type BatchRecordInput, type MatchConfig } from '@tributary/customer-store';
import { MATCH_CSV_OPTIONS, RowGate, type CsvRow, type SkipReport } from './match-csv.util.js';

// Below this size a second thread costs more than it saves.
const WORKER_MIN_BYTES = 4 << 20;

const USAGE = 'usage: tributary match --input <records.csv> --output <clusters.csv> [--config <rules.json>] [--memory <MB>]';

// The matcher holds every record until the clusters are final. Measured on 969,198 generated
// records (91 MB of CSV): 1.0 GB live after the last full collection, about 11 bytes per byte,
// and it ran (slower) in a heap of 1,100 MB; 16 leaves room for the garbage between collections.
// A file wider than the rules read (columns nobody matches on) needs less.
const HEAP_PER_INPUT_BYTE = 16;
// Beside the records: the code, the parser's buffers, the output.
const HEAP_BASE = 128 << 20;
// The most of this machine's memory a match takes by itself.
const MACHINE_SHARE = 0.75;
// Set in a match that runs with the heap its input needs: it does not plan again.
const HEAP_ENV = 'TRIBUTARY_MATCH_HEAP_MB';
const MB = 1 << 20;
// The CLI's entry, which a match with another heap runs again (absent where the sources run, in tests).
const CLI_MAIN = fileURLToPath(new URL('../main.js', import.meta.url));

/**
 * The heap a match runs with, in MB, when the one it has will not do: what `--memory` asks for,
 * or what the input needs (up to MACHINE_SHARE of the machine) when that is more than the
 * current limit. Undefined: run here.
 */
export function matchHeapMb(inputBytes: number, askedMb: number | undefined, limitBytes = getHeapStatistics().heap_size_limit, machineBytes = totalmem()): number | undefined {
  if (askedMb !== undefined) return Math.abs(askedMb * MB - limitBytes) > 64 * MB ? askedMb : undefined;
  const need = HEAP_BASE + inputBytes * HEAP_PER_INPUT_BYTE;
  if (need <= limitBytes * 0.9) return undefined;
  const mb = Math.floor(Math.min(need * 1.25, machineBytes * MACHINE_SHARE) / MB);
  return mb * MB > limitBytes ? mb : undefined;
}

/**
 * Runs this match again in a Node with `heapMb` of heap (V8's limit is set when a process
 * starts), and answers for it: its exit code, or what running out of memory means.
 */
async function matchWithHeap(argv: string[], heapMb: number, inputBytes: number): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv.filter((a) => !a.startsWith('--max-old-space-size')), `--max-old-space-size=${heapMb}`, CLI_MAIN, 'match', ...argv], {
    stdio: 'inherit',
    env: { ...process.env, [HEAP_ENV]: String(heapMb) },
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  // V8 aborts a process whose heap is full (after printing its own report).
  if (signal === 'SIGABRT' || code === 134) {
    console.error(
      `match: ran out of memory with a heap of ${heapMb.toLocaleString('en-US')} MB for ${Math.round(inputBytes / MB).toLocaleString('en-US')} MB of records ` +
        `(this machine has ${Math.round(totalmem() / MB).toLocaleString('en-US')} MB): give it more with --memory <MB>, or split the input (by region, by channel) and match the parts`,
    );
    return 1;
  }
  if (signal) {
    console.error(`match: stopped by ${signal}`);
    return 1;
  }
  return code ?? 1;
}

/** Reads a rules file (a MatchConfig) and checks it against the rules schema; every problem is named with its place. */
export function loadMatchConfig(path: string | undefined): MatchConfig {
  if (!path) return DEFAULT_MATCH_CONFIG;
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: the rules file cannot be read as JSON: ${(err as Error).message}`);
  }
  const issues = validateMatchConfig(config);
  if (issues.length > 0) {
    const list = issues.map((i) => `  ${i.path || '/'} ${i.message}`).join('\n');
    throw new Error(`${path}: not a valid rules file (docs/identity-resolution.md, "Batch matching"):\n${list}`);
  }
  return config as MatchConfig;
}

export interface MatchRunResult {
  records: number;
  /** Lines not read as records: unreadable CSV, an empty or repeated id. */
  skipped: SkipReport;
  clusters: number;
  seconds: number;
  recordsPerSecond: number;
}

/**
 * Streams the input CSV through the batch matcher and writes `record_id,cluster_id,reason`
 * once every record has been seen (clusters are only final at the end).
 */
export async function runMatch(input: string, output: string, config: MatchConfig, progress?: (n: number) => void): Promise<MatchRunResult> {
  const started = process.hrtime.bigint();
  const matcher = new BatchMatcher(config);
  const workerUrl = new URL('./match.worker.js', import.meta.url);
  const skipped =
    statSync(input).size >= WORKER_MIN_BYTES && existsSync(fileURLToPath(workerUrl))
      ? await readInWorker(workerUrl, input, config, matcher, progress)
      : await readInThread(input, config, matcher, progress);

  const clusterIds = matcher.clusterIds();
  const out = createWriteStream(output);
  const csv = stringify({ header: true, columns: ['record_id', 'cluster_id', 'reason'] });
  csv.pipe(out);
  const ids = new Set<string>();
  for (let i = 0; i < clusterIds.length; i++) {
    ids.add(clusterIds[i]!);
    if (!csv.write([matcher.idOf(i), clusterIds[i], matcher.reason(i)])) await once(csv, 'drain');
  }
  csv.end();
  await once(out, 'finish');
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { records: matcher.count, skipped, clusters: ids.size, seconds, recordsPerSecond: matcher.count / seconds };
}

/** Parsing and normalizing in a worker thread, linking here: the two halves of the work on two cores. */
async function readInWorker(url: URL, input: string, config: MatchConfig, matcher: BatchMatcher, progress?: (n: number) => void): Promise<SkipReport> {
  const worker = new Worker(url, { workerData: { input, config } });
  try {
    return await new Promise<SkipReport>((resolve, reject) => {
      worker.on('message', (m: { batch: BatchRecordInput[]; done?: boolean; skipped?: SkipReport }) => {
        const before = matcher.count;
        for (const r of m.batch) matcher.addPrepared(r);
        if (progress && Math.floor(matcher.count / 100_000) > Math.floor(before / 100_000)) progress(Math.floor(matcher.count / 100_000) * 100_000);
        if (m.done) resolve(m.skipped ?? { count: 0, listed: [] });
        else worker.postMessage('ack');
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`match worker exited with code ${code}`)));
    });
  } finally {
    await worker.terminate();
  }
}

async function readInThread(input: string, config: MatchConfig, matcher: BatchMatcher, progress?: (n: number) => void): Promise<SkipReport> {
  const parser = createReadStream(input).pipe(parse(MATCH_CSV_OPTIONS));
  const gate = new RowGate();
  // A readable loop rather than `for await`: one promise per row costs more than matching it.
  await new Promise<void>((resolve, reject) => {
    parser.on('readable', () => {
      let row: CsvRow | null;
      while ((row = parser.read() as CsvRow | null) !== null) {
        const idColumn = gate.accept(row);
        if (idColumn === undefined) continue;
        matcher.add(recordFromRow(row.record, config, idColumn));
        if (progress && matcher.count % 100_000 === 0) progress(matcher.count);
      }
    });
    parser.on('skip', gate.unreadable);
    parser.on('end', resolve);
    parser.on('error', reject);
  });
  return gate.skipped();
}

/** `tributary match --input <records.csv> --output <clusters.csv> [--config <rules.json>]` (CONTRACT §5). */
export async function matchCommand(argv: string[]): Promise<number> {
  let values: { input?: string; output?: string; config?: string; memory?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { input: { type: 'string' }, output: { type: 'string' }, config: { type: 'string' }, memory: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.input || !values.output) {
    console.error(USAGE);
    return 2;
  }
  let config: MatchConfig;
  try {
    config = loadMatchConfig(values.config);
  } catch (err) {
    // A bad rules file is the caller's to fix: its problems, not a stack trace.
    console.error((err as Error).message);
    return 2;
  }
  const askedMb = values.memory === undefined ? undefined : Number(values.memory);
  if (askedMb !== undefined && !(Number.isInteger(askedMb) && askedMb >= 64)) {
    console.error(`--memory is the matcher's heap in MB, a whole number of at least 64 (got ${values.memory})\n${USAGE}`);
    return 2;
  }
  // A file that needs more heap than Node starts with: run with the heap it needs, where a full
  // heap is reported as such instead of killing the match with a V8 trace.
  if (!process.env[HEAP_ENV] && existsSync(CLI_MAIN)) {
    let inputBytes = 0;
    try {
      inputBytes = statSync(values.input).size;
    } catch {
      // Missing: runMatch says so.
    }
    const heapMb = matchHeapMb(inputBytes, askedMb);
    if (heapMb !== undefined) return matchWithHeap(argv, heapMb, inputBytes);
  }
  let result: MatchRunResult;
  try {
    result = await runMatch(values.input, values.output, config, (n) => process.stderr.write(`match: ${n} records\n`));
  } catch (err) {
    // A file that cannot be read or written: what the system said, not a stack trace.
    console.error(`match: ${(err as Error).message}`);
    return 1;
  }
  const { skipped } = result;
  for (const s of skipped.listed) console.error(`match: line ${s.line} skipped: ${s.reason}`);
  if (skipped.count > skipped.listed.length) console.error(`match: … and ${skipped.count - skipped.listed.length} more lines skipped`);
  console.log(
    `match: ${result.records} records${skipped.count ? ` (${skipped.count} ${skipped.count === 1 ? 'line' : 'lines'} skipped)` : ''}, ${result.clusters} clusters in ${result.seconds.toFixed(2)} s (${Math.round(result.recordsPerSecond)} records/s)`,
  );
  return 0;
}
