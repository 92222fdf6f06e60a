// The reading half of `tributary match` on large files: parse the CSV, normalize and prepare
// each record in this thread while the main thread links the previous ones.
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { parse } from 'csv-parse';
import { compileConfig, prepareBatchRecord, recordFromRow, type BatchRecordInput, type MatchConfig } from '@tributary/customer-store';
import { MATCH_CSV_OPTIONS, RowGate, type CsvRow } from './match-csv.util.js';

const BATCH = 1000;
// Batches sent but not yet taken by the matcher: bounds the memory between the two threads.
const MAX_IN_FLIGHT = 8;

const { input, config } = workerData as { input: string; config: MatchConfig };
const cc = compileConfig(config);
const port = parentPort!;
const parser = createReadStream(input).pipe(parse(MATCH_CSV_OPTIONS));
const gate = new RowGate();
let batch: BatchRecordInput[] = [];
let inFlight = 0;

function pump(): void {
  let row: CsvRow | null;
  while (inFlight < MAX_IN_FLIGHT && (row = parser.read() as CsvRow | null) !== null) {
    const idColumn = gate.accept(row);
    if (idColumn === undefined) continue;
    batch.push(prepareBatchRecord(recordFromRow(row.record, config, idColumn), cc));
    if (batch.length === BATCH) {
      port.postMessage({ batch });
      batch = [];
      inFlight++;
    }
  }
}

port.on('message', () => {
  inFlight--;
  pump();
});
parser.on('readable', pump);
parser.on('skip', gate.unreadable);
parser.on('error', (err) => {
  throw err;
});
parser.on('end', () => {
  port.postMessage({ batch, done: true, skipped: gate.skipped() });
});
