import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { BatchMatcher, DEFAULT_MATCH_CONFIG, compileConfig, recordFromRow, type MatchConfig } from '@tributary/customer-store';

const USAGE = 'usage: tributary match --input <records.csv> --output <clusters.csv> [--config <rules.json>]';

/** Reads a rules file (a MatchConfig) and checks it compiles. */
export function loadMatchConfig(path: string | undefined): MatchConfig {
  if (!path) return DEFAULT_MATCH_CONFIG;
  const config = JSON.parse(readFileSync(path, 'utf8')) as MatchConfig;
  if (!Array.isArray(config.identifiers) || !config.fuzzy || !Array.isArray(config.fuzzy.fields) || !Array.isArray(config.fuzzy.blocking)) {
    throw new Error(`${path}: a rules file needs identifiers[] and fuzzy.{fields[], blocking[], autoMergeThreshold, reviewThreshold}`);
  }
  compileConfig(config);
  return config;
}

export interface MatchRunResult {
  records: number;
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
  // FEBRL-style files separate values with ", ": trim handles the blank after each comma.
  const parser = createReadStream(input).pipe(parse({ columns: true, trim: true, record_delimiter: ['\r\n', '\n', '\r'], skip_empty_lines: true, relax_column_count: true, bom: true }));
  let idColumn: string | undefined;
  // A readable loop rather than `for await`: one promise per row costs more than matching it.
  await new Promise<void>((resolve, reject) => {
    parser.on('readable', () => {
      let row: Record<string, string> | null;
      while ((row = parser.read() as Record<string, string> | null) !== null) {
        idColumn ??= 'record_id' in row ? 'record_id' : Object.keys(row)[0]!;
        matcher.add(recordFromRow(row, config, idColumn));
        if (progress && matcher.count % 100_000 === 0) progress(matcher.count);
      }
    });
    parser.on('end', resolve);
    parser.on('error', reject);
  });

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
  return { records: matcher.count, clusters: ids.size, seconds, recordsPerSecond: matcher.count / seconds };
}

/** `tributary match --input <records.csv> --output <clusters.csv> [--config <rules.json>]` (CONTRACT §5). */
export async function matchCommand(argv: string[]): Promise<number> {
  let values: { input?: string; output?: string; config?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { input: { type: 'string' }, output: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
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
  const config = loadMatchConfig(values.config);
  const result = await runMatch(values.input, values.output, config, (n) => process.stderr.write(`match: ${n} records\n`));
  console.log(
    `match: ${result.records} records, ${result.clusters} clusters in ${result.seconds.toFixed(2)} s (${Math.round(result.recordsPerSecond)} records/s)`,
  );
  return 0;
}
