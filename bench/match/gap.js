// Where the synthetic data's evidence ceiling and the rules part ways: the true pairs the
// ceiling links and the clustering leaves apart, by the evidence that joins them.
//
//   node bench/match/gap.js DIR      (DIR holds records.csv, truth.csv and clusters.csv, as
//                                     `npm run bench:match` leaves them in /tmp/tributary-bench-match/synthetic)
//
// The pieces of one person are its records grouped by predicted cluster. Two pieces the ceiling
// joins share a value: an identity the rules did not link on (a family phone, an e-mail shared
// with other phones) or a name. Edges are taken strongest first (identities, then names held by
// fewer people), and each join of two groups of pieces counts |A| × |B| missed pairs under the
// edge's kind, so the rows add up to every pair the ceiling has and the rules miss.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evidenceValues, isNameValue } from './evidence.js';

const dir = resolve(process.argv[2] ?? '/tmp/tributary-bench-match/synthetic');
const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const cs = await import(join(root, 'libs/customer-store/dist/index.js'));

function readCsv(path) {
  const [head, ...lines] = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  const cols = head.split(',');
  // The generator quotes no field of the columns read here except rare company names; a
  // split is enough for ids, names, identities and cities, which never hold a comma.
  return lines.map((l) => {
    const c = l.split(',');
    return Object.fromEntries(cols.map((k, i) => [k, c[i] ?? '']));
  });
}

const records = readCsv(join(dir, 'records.csv'));
const truth = new Map(readCsv(join(dir, 'truth.csv')).map((r) => [r.record_id, r.person_id]));
const cluster = new Map(readCsv(join(dir, 'clusters.csv')).map((r) => [r.record_id, r.cluster_id]));

// Per record: its values as the ceiling reads them, and its city.
const valuesOf = new Map();
const holders = new Map(); // value → Set(person)
for (const row of records) {
  const values = evidenceValues(cs, row);
  valuesOf.set(row.record_id, { values, city: row.city ? cs.normalizeCity(row.city) : undefined });
  const person = truth.get(row.record_id);
  for (const v of values) {
    if (!isNameValue(v)) continue;
    let s = holders.get(v);
    if (!s) holders.set(v, (s = new Set()));
    s.add(person);
  }
}

// Pieces: (person, cluster) → records.
const pieces = new Map();
for (const row of records) {
  const key = `${truth.get(row.record_id)}\u0001${cluster.get(row.record_id)}`;
  let p = pieces.get(key);
  if (!p) pieces.set(key, (p = { person: truth.get(row.record_id), ids: [], values: new Set(), cities: new Set() }));
  p.ids.push(row.record_id);
  const v = valuesOf.get(row.record_id);
  for (const x of v.values) p.values.add(x);
  if (v.city) p.cities.add(v.city);
}
const byPerson = new Map();
for (const p of pieces.values()) {
  const list = byPerson.get(p.person) ?? [];
  list.push(p);
  byPerson.set(p.person, list);
}

function kindOf(value, a, b) {
  if (!isNameValue(value)) return [0, `an identifier the rules did not link on (${value.slice(0, value.indexOf(':'))})`];
  const n = holders.get(value)?.size ?? 1;
  const band = n === 1 ? 'no other person holds' : n <= 3 ? 'held by 2–3 people' : n <= 10 ? 'held by 4–10 people' : 'held by > 10 people';
  const rank = n === 1 ? 1 : n <= 3 ? 2 : n <= 10 ? 3 : 4;
  let city;
  if (a.cities.size === 0 || b.cities.size === 0) city = 'city missing on a side';
  else if ([...a.cities].some((c) => b.cities.has(c))) city = 'same city';
  else city = 'different cities';
  return [rank, `a name ${band}, ${city}`];
}

const missed = new Map();
let total = 0;
for (const list of byPerson.values()) {
  if (list.length < 2) continue;
  const edges = [];
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      let best;
      for (const v of list[i].values) {
        if (!list[j].values.has(v)) continue;
        const k = kindOf(v, list[i], list[j]);
        if (!best || k[0] < best[0]) best = k;
      }
      if (best) edges.push([best[0], best[1], i, j]);
    }
  }
  edges.sort((x, y) => x[0] - y[0]);
  const parent = list.map((_, i) => i);
  const size = list.map((p) => p.ids.length);
  const find = (x) => (parent[x] === x ? x : (parent[x] = find(parent[x])));
  for (const [, label, i, j] of edges) {
    const a = find(i);
    const b = find(j);
    if (a === b) continue;
    const pairs = size[a] * size[b];
    missed.set(label, (missed.get(label) ?? 0) + pairs);
    total += pairs;
    parent[b] = a;
    size[a] += size[b];
  }
}

console.log(`true pairs the ceiling links and the clustering misses: ${total}`);
for (const [label, n] of [...missed].sort((x, y) => y[1] - x[1])) console.log(`${String(n).padStart(7)}  ${label}`);
