// `npm run bench:match`: quality on FEBRL (febrl4 linkage, febrl3 dedupe) and on synthetic
// Chinese multi-channel data (pairwise and B-cubed, against the data's evidence ceiling),
// and batch speed of `tributary match` on 1M generated records. Each part prints one
// summary line; the last line sums them all up. Every figure comes from running the real CLI.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ceilingClusters } from './evidence.js';
import { evaluate, f3, prf, readCsv } from './evaluate.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const febrl = process.env.FEBRL_DIR ?? resolve(root, '../shared/data/febrl');
const work = resolve(process.env.BENCH_TMP ?? '/tmp/tributary-bench-match');
const cli = join(root, 'apps/cli/dist/main.js');
const febrlRules = process.env.FEBRL_RULES ?? join(here, 'febrl.rules.json');
const people = Number(process.env.SYNTH_PEOPLE ?? 50000);
// Noise rates other than the generator's defaults, as its --rates takes them (commonName=0.005,…).
const synthRates = process.env.SYNTH_RATES ?? '';
const speedRecords = Number(process.env.SPEED_RECORDS ?? 1_000_000);
const speedRuns = Math.max(1, Number(process.env.SPEED_RUNS ?? 3));
mkdirSync(work, { recursive: true });

/** Runs `tributary match` and returns its last stdout line and the records/s it reported. */
function runMatch(input, output, config) {
  const args = [cli, 'match', '--input', input, '--output', output];
  if (config) args.push('--config', config);
  const r = spawnSync(process.execPath, ['--max-old-space-size=6144', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`tributary match failed (${r.status}): ${r.stderr}`);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  const m = /\((\d+) records\/s\)/.exec(last);
  return { last, rps: m ? Number(m[1]) : NaN };
}

function clustersOf(outputPath) {
  const m = new Map();
  for (const r of readCsv(outputPath)) m.set(r.record_id, r.cluster_id);
  return m;
}

const entityOf = (id) => /^rec-(\d+)-/.exec(id)?.[1] ?? id;
const results = {};

// --- febrl4: link dataset4a × dataset4b (pairs across the two files only) ---
{
  const a = readFileSync(join(febrl, 'dataset4a.csv'), 'utf8').replace(/\s*$/, '\n');
  const b = readFileSync(join(febrl, 'dataset4b.csv'), 'utf8').split('\n').slice(1).join('\n');
  const input = join(work, 'febrl4.csv');
  writeFileSync(input, a + b);
  const out = join(work, 'febrl4.clusters.csv');
  runMatch(input, out, febrlRules);
  const clusters = clustersOf(out);
  const members = new Map();
  for (const [id, c] of clusters) {
    const m = members.get(c) ?? { a: [], b: [] };
    (id.endsWith('-org') ? m.a : m.b).push(id);
    members.set(c, m);
  }
  let predicted = 0;
  let tp = 0;
  for (const { a: as, b: bs } of members.values()) {
    predicted += as.length * bs.length;
    for (const x of as) for (const y of bs) if (entityOf(x) === entityOf(y)) tp++;
  }
  const s = prf(tp, predicted, 5000);
  results.febrl4 = s;
  console.log(`febrl4 link: P ${f3(s.p)} R ${f3(s.r)} F1 ${f3(s.f1)} (${tp} true of ${predicted} predicted pairs, 5000 true)`);
}

// --- febrl3: dedupe within dataset3 ---
{
  const out = join(work, 'febrl3.clusters.csv');
  runMatch(join(febrl, 'dataset3.csv'), out, febrlRules);
  const pred = clustersOf(out);
  const truth = new Map([...pred.keys()].map((id) => [id, entityOf(id)]));
  const e = evaluate(pred, truth);
  results.febrl3 = e.pairwise;
  console.log(
    `febrl3 dedupe: pairwise P ${f3(e.pairwise.p)} R ${f3(e.pairwise.r)} F1 ${f3(e.pairwise.f1)} (${e.tp} true of ${e.predicted} predicted, ${e.truePairs} true); B-cubed F1 ${f3(e.bcubed.f1)}`,
  );
}

// --- synthetic Chinese multi-channel data, default rules ---
const fullGenerator = join(here, 'synthetic/generate.js');
function generate(n, seed, dir, rates = '') {
  const gen = existsSync(fullGenerator) ? fullGenerator : join(here, 'mini-synthetic.generator.js');
  if (rates && gen !== fullGenerator) throw new Error('SYNTH_RATES needs synthetic/generate.js');
  const r = spawnSync(process.execPath, [gen, '--people', String(n), '--seed', String(seed), '--out', dir, ...(rates ? ['--rates', rates] : [])], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`generator failed: ${r.stderr}`);
  return gen === fullGenerator ? 'synthetic/generate.js' : 'mini-synthetic.generator.js';
}

/** The evidence ceiling (evidence.js), with the built library's normalizers. */
async function ceiling(rows, truth, withNames = true) {
  const cs = await import(join(root, 'libs/customer-store/dist/index.js'));
  return ceilingClusters(cs, rows, truth, { names: withNames });
}

{
  const dir = join(work, 'synthetic');
  const gen = generate(people, 7, dir, synthRates);
  const out = join(dir, 'clusters.csv');
  runMatch(join(dir, 'records.csv'), out);
  const truth = new Map(readCsv(join(dir, 'truth.csv')).map((r) => [r.record_id, r.person_id]));
  const rows = readCsv(join(dir, 'records.csv'));
  const e = evaluate(clustersOf(out), truth);
  const c = evaluate(await ceiling(rows, truth), truth);
  const ci = evaluate(await ceiling(rows, truth, false), truth);
  results.synthetic = e;
  results.ceiling = c;
  console.log(
    `synthetic CN (${gen}${synthRates ? ` with ${synthRates}` : ''}, ${people} people, ${truth.size} records): pairwise P ${f3(e.pairwise.p)} R ${f3(e.pairwise.r)} F1 ${f3(e.pairwise.f1)}; ` +
      `B-cubed P ${f3(e.bcubed.p)} R ${f3(e.bcubed.r)} F1 ${f3(e.bcubed.f1)}; ` +
      `ceiling pairwise P ${f3(c.pairwise.p)} R ${f3(c.pairwise.r)} F1 ${f3(c.pairwise.f1)}, B-cubed F1 ${f3(c.bcubed.f1)}; ` +
      `gap ${f3(c.pairwise.f1 - e.pairwise.f1)}; identifiers-only ceiling pairwise R ${f3(ci.pairwise.r)} F1 ${f3(ci.pairwise.f1)}`,
  );
}

// --- speed: `tributary match` on 1M generated records ---
{
  const dir = join(work, 'speed');
  // About 3.2 records per person (synthetic/generate.js) or 1.8 (the mini generator); cut to speedRecords.
  const perPerson = existsSync(fullGenerator) ? 3.1 : 1.75;
  generate(Math.ceil(speedRecords / perPerson), 11, dir);
  let lines = readFileSync(join(dir, 'records.csv'), 'utf8').split('\n').length - 2;
  const input = join(dir, 'records.csv');
  if (lines > speedRecords) {
    const text = readFileSync(input, 'utf8').split('\n');
    writeFileSync(input, text.slice(0, speedRecords + 1).join('\n') + '\n');
    lines = speedRecords;
  }
  // This machine's speed varies by ±20 % from minute to minute (shared cores): the median of
  // several runs, with each run printed.
  const runs = [];
  for (let i = 0; i < speedRuns; i++) {
    const { last, rps } = runMatch(input, join(dir, 'clusters.csv'));
    runs.push(rps);
    console.log(`batch speed, run ${i + 1} of ${speedRuns}: ${last.replace(/^match: /, '')}`);
  }
  const sorted = [...runs].sort((a, b) => a - b);
  const rps = sorted[Math.floor((sorted.length - 1) / 2)];
  results.speed = { records: lines, rps, runs };
}

const s = results.synthetic;
const c = results.ceiling;
console.log(
  `bench:match febrl4 P/R/F1 ${f3(results.febrl4.p)}/${f3(results.febrl4.r)}/${f3(results.febrl4.f1)} | ` +
    `febrl3 P/R/F1 ${f3(results.febrl3.p)}/${f3(results.febrl3.r)}/${f3(results.febrl3.f1)} | ` +
    `synthetic pairwise P/R/F1 ${f3(s.pairwise.p)}/${f3(s.pairwise.r)}/${f3(s.pairwise.f1)} B-cubed F1 ${f3(s.bcubed.f1)} (ceiling F1 ${f3(c.pairwise.f1)}) | ` +
    `batch ${results.speed.rps} records/s on ${results.speed.records} records (median of ${results.speed.runs.join(', ')})`,
);
