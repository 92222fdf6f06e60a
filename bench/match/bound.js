// An optimistic upper bound on the pairwise recall any rule set could add to the clustering at
// precision >= 0.99, using only what a matcher can observe on the synthetic data.
//
//   node bench/match/bound.js DIR      (DIR holds records.csv, truth.csv and clusters.csv, as
//                                       `npm run bench:match` leaves them in /tmp/tributary-bench-match/synthetic)
//
// The clustering's predicted clusters are the pieces. Every pair of pieces that shares an
// evidence value (evidence.js: an identity or a name key/pinyin) is a candidate join, whoever
// the records belong to: these are all the joins the evidence ceiling needs, and all the wrong
// joins a rule reading that evidence would be tempted by. Each join gets a signature built only
// from observable features (the strongest shared value's kind and how many clusters hold it,
// and whether the two pieces agree on name, city, company and title), so a rule set can at
// best take or leave whole signatures. Taking signatures best precision first, from the
// clustering's own true and false pairs, while pairwise precision stays >= 0.99, gives the
// most recall such rules can reach; the last signature may be taken in part (the LP bound).
//
// Optimistic on purpose, so that "below target" is a safe conclusion:
// - false pairs are counted per joined piece pair only: the transitive false pairs a join
//   brings (A–B and B–C taken also joins A and C) are ignored, which only lowers precision;
// - true pairs are counted through a union-find over each person's pieces, so pairs a join
//   adds transitively are counted once, in the step that joins them (not optimistic: true
//   pairs joined only through another person's cluster are missed; the check shows how few);
// - the last signature may be taken in part at its average precision (the fractional bound);
// - signatures are fine (several hundred), so small ones that happen to be all true
//   are taken whole, as if a rule could single them out.
// Each step takes the signature whose true pairs added now over its true + false pairs is
// highest: for independent signatures that is the LP optimum (fractional knapsack); joins
// interact through the union-find, so the step recomputes every signature's marginal gain.
// A check at the end applies the whole signatures taken for real (connected components of the
// clusters) and evaluates the result, transitive false pairs included.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ceilingClusters, evidenceValues, isNameValue } from './evidence.js';
import { evaluate, f3, readCsv } from './evaluate.js';

const dir = resolve(process.argv[2] ?? '/tmp/tributary-bench-match/synthetic');
const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const cs = await import(join(root, 'libs/customer-store/dist/index.js'));
const t0 = Date.now();
const MIN_P = 0.99;
const TARGET_GAP = 0.02; // the target: F1 within 0.02 of the evidence ceiling

const records = readCsv(join(dir, 'records.csv'));
const truth = new Map(readCsv(join(dir, 'truth.csv')).map((r) => [r.record_id, r.person_id]));
const clusterOf = new Map(readCsv(join(dir, 'clusters.csv')).map((r) => [r.record_id, r.cluster_id]));

// --- The starting point and the ceiling, pairwise as evaluate.js counts them ---
const start = evaluate(clusterOf, truth);
const TRUE_PAIRS = start.truePairs;

// The evidence ceiling as match.bench.js builds it: records of one person linked by a shared value.
const ceilingOf = ceilingClusters(cs, records, truth);
const ceilingEval = evaluate(ceilingOf, truth);
const ceiling = ceilingEval.pairwise;
// What gap.js counts: true pairs the ceiling links and the clustering does not. The ceiling's
// pairs are all true; those inside one predicted cluster too are the cells (ceiling, cluster).
let gapPairs = ceilingEval.tp;
{
  const cell = new Map();
  for (const [id, c] of ceilingOf) {
    const k = `${c}\u0001${clusterOf.get(id)}`;
    cell.set(k, (cell.get(k) ?? 0) + 1);
  }
  for (const n of cell.values()) gapPairs -= (n * (n - 1)) / 2;
}
const targetF1 = ceiling.f1 - TARGET_GAP;

// --- Pieces: the predicted clusters, with what a matcher sees of them ---
// Values, cities, companies and titles are interned to small ints. A cluster keeps the
// people in it (truth, used only to count true and false pairs, never in a signature).
const intern = () => {
  const ids = new Map();
  const list = [];
  return {
    id(s) {
      let i = ids.get(s);
      if (i === undefined) ids.set(s, (i = list.length)), list.push(s);
      return i;
    },
    list,
  };
};
const valueIds = intern();
const clusterIds = intern();
const personIds = intern();
const title = (raw) => {
  const s = raw ? cs.toSimplified(cs.toHalfWidth(raw)).toLowerCase().replace(/\s+/g, '') : '';
  return s || undefined;
};
// pieceValues (person → values) serves only the check against gap.js.
const clusters = []; // { size, values:Set, cities:Set, companies:Set, titles:Set, persons:Map(person → count), pieceValues }
for (const row of records) {
  const c = clusterIds.id(clusterOf.get(row.record_id) ?? `missing:${row.record_id}`);
  let k = clusters[c];
  if (!k) clusters[c] = k = { size: 0, values: new Set(), cities: new Set(), companies: new Set(), titles: new Set(), persons: new Map(), pieceValues: new Map() };
  k.size++;
  const p = personIds.id(truth.get(row.record_id));
  let pv = k.pieceValues.get(p);
  if (!pv) k.pieceValues.set(p, (pv = new Set()));
  for (const v of evidenceValues(cs, row)) k.values.add(valueIds.id(v)), pv.add(valueIds.id(v));
  const city = row.city ? cs.normalizeCity(row.city) : undefined;
  if (city) k.cities.add(city);
  const company = row.company ? cs.normalizeCompanyName(row.company) : undefined;
  if (company) k.companies.add(company);
  const t = title(row.title);
  if (t) k.titles.add(t);
  k.persons.set(p, (k.persons.get(p) ?? 0) + 1);
}
const nClusters = clusters.length;

// Pieces for the union-find of true pairs: one per (person, cluster), sized by its records.
const pieceSize = [];
for (const k of clusters) {
  k.pieces = [];
  for (const [p, n] of k.persons) k.pieces.push([p, n, pieceSize.push(n) - 1]);
}

// Inverted index: value → the clusters holding it.
const holders = valueIds.list.map(() => []);
for (let c = 0; c < nClusters; c++) for (const v of clusters[c].values) holders[v].push(c);

// How strong a shared value is, lower first: identities before name keys before pinyin, then
// held by fewer clusters, then the identifier order of DEFAULT_MATCH_CONFIG.
const ID_TYPES = cs.DEFAULT_MATCH_CONFIG.identifiers.map((r) => r.type);
const KINDS = [...ID_TYPES, 'name', 'pinyin'];
const kindOfValue = valueIds.list.map((v) => KINDS.indexOf(v.slice(0, v.indexOf(':'))));
const strength = valueIds.list.map((v, i) => {
  const tier = v.startsWith('name:') ? 1 : v.startsWith('pinyin:') ? 2 : 0;
  return tier * 1e8 + holders[i].length * 100 + kindOfValue[i];
});
const isName = valueIds.list.map((v) => isNameValue(v));

// --- Signatures: observable features of a join, packed into one int ---
// A shared value is held by 2 clusters at least, so band '1' never shows in a join.
const BANDS = ['1', '2', '3', '4-10', '11-30', '>30'];
const band = (n) => (n <= 1 ? 0 : n === 2 ? 1 : n === 3 ? 2 : n <= 10 ? 3 : n <= 30 ? 4 : 5);
const REL = ['same', 'missing', 'different'];
const NAME_REL = ['', 'name same', 'name missing', 'names differ'];
function relation(a, b) {
  if (a.size === 0 || b.size === 0) return 1;
  for (const x of a) if (b.has(x)) return 0;
  return 2;
}
// For an identity join, whether the pieces also share a name value, have none on a side, or
// both have names and share none (the usual reason the rules refused a shared phone).
function nameRelation(a, b) {
  let aHas = false;
  let bHas = false;
  for (const v of a.values) {
    if (!isName[v]) continue;
    aHas = true;
    if (b.values.has(v)) return 1;
  }
  for (const v of b.values) if (isName[v]) (bHas = true);
  return aHas && bHas ? 3 : 2;
}
const sigCode = (kind, bnd, nameRel, city, company, titleRel) =>
  ((((kind * 6 + bnd) * 4 + nameRel) * 3 + city) * 3 + company) * 3 + titleRel;
function sigLabel(code) {
  const titleRel = code % 3;
  code = (code - titleRel) / 3;
  const company = code % 3;
  code = (code - company) / 3;
  const city = code % 3;
  code = (code - city) / 3;
  const nameRel = code % 4;
  code = (code - nameRel) / 4;
  const bnd = code % 6;
  const kind = (code - bnd) / 6;
  const what = `${KINDS[kind]}@${BANDS[bnd]}${nameRel ? `, ${NAME_REL[nameRel]}` : ''}`;
  return `${what}, city ${REL[city]}, company ${REL[company]}, title ${REL[titleRel]}`;
}

// --- Candidate joins: every pair of clusters sharing a value, enumerated once ---
// For cluster a, the clusters b > a holding any of its values, each with the strongest value
// they share. Nothing is capped or sampled: a name held by n clusters gives all n(n-1)/2 pairs.
const sigs = new Map(); // code → { joins, trueJoins, directTrue, falsePairs, piecePairs:[] }
const sigOf = (code) => {
  let s = sigs.get(code);
  if (!s) sigs.set(code, (s = { code, joins: 0, trueJoins: 0, directTrue: 0, falsePairs: 0, piecePairs: [] }));
  return s;
};
// All joins, kept for the final check (a, b, signature), in growable typed arrays.
let joinA = new Int32Array(1 << 20);
let joinB = new Int32Array(1 << 20);
let joinSig = new Int32Array(1 << 20);
let nJoins = 0;
const best = new Int32Array(nClusters).fill(-1); // best shared value per b, for the current a
const touched = [];
const kindJoins = new Map();
// Joins of one person's pieces that themselves share a value: the edges gap.js counts.
const gapEdges = [];
for (let a = 0; a < nClusters; a++) {
  const A = clusters[a];
  for (const v of A.values) {
    for (const b of holders[v]) {
      if (b <= a) continue;
      if (best[b] === -1) touched.push(b), (best[b] = v);
      else if (strength[v] < strength[best[b]]) best[b] = v;
    }
  }
  for (const b of touched) {
    const v = best[b];
    best[b] = -1;
    const B = clusters[b];
    const kind = kindOfValue[v];
    const nameRel = isName[v] ? 0 : nameRelation(A, B);
    const code = sigCode(kind, band(holders[v].length), nameRel, relation(A.cities, B.cities), relation(A.companies, B.companies), relation(A.titles, B.titles));
    const s = sigOf(code);
    // True pairs of the join: records of one person on both sides.
    let tp = 0;
    for (const [p, n, piece] of A.pieces) {
      const m = B.persons.get(p);
      if (m === undefined) continue;
      tp += n * m;
      const other = B.pieces.find((x) => x[0] === p)[2];
      s.piecePairs.push(piece, other);
      const bv = B.pieceValues.get(p);
      if ([...A.pieceValues.get(p)].some((x) => bv.has(x))) gapEdges.push(piece, other);
    }
    s.joins++;
    if (tp) s.trueJoins++;
    s.directTrue += tp;
    s.falsePairs += A.size * B.size - tp;
    kindJoins.set(KINDS[kind], (kindJoins.get(KINDS[kind]) ?? 0) + 1);
    if (nJoins === joinA.length) {
      const grow = (arr) => {
        const x = new Int32Array(arr.length * 2);
        x.set(arr);
        return x;
      };
      joinA = grow(joinA);
      joinB = grow(joinB);
      joinSig = grow(joinSig);
    }
    joinA[nJoins] = a;
    joinB[nJoins] = b;
    joinSig[nJoins] = code;
    nJoins++;
  }
  touched.length = 0;
}
const sigList = [...sigs.values()];
for (const s of sigList) s.precision = s.directTrue + s.falsePairs ? s.directTrue / (s.directTrue + s.falsePairs) : 0;

// --- Union-find over pieces, with rollback so a signature's gain can be tried and undone ---
// Union by size, no path compression, so an undo log is enough.
const parent = new Int32Array(pieceSize.length).map((_, i) => i);
const recs = Float64Array.from(pieceSize); // records under a root
const find = (x) => {
  while (parent[x] !== x) x = parent[x];
  return x;
};
const log = [];
function union(x, y) {
  let a = find(x);
  let b = find(y);
  if (a === b) return 0;
  if (recs[a] < recs[b]) [a, b] = [b, a];
  const gain = recs[a] * recs[b];
  log.push(b, a);
  parent[b] = a;
  recs[a] += recs[b];
  return gain;
}
function rollback(mark) {
  while (log.length > mark) {
    const a = log.pop();
    const b = log.pop();
    recs[a] -= recs[b];
    parent[b] = b;
  }
}
function resetUnionFind() {
  rollback(0);
}
/** The true pairs a signature would add now, taken (commit) or only tried. */
function gainOf(s, commit) {
  const mark = log.length;
  let gain = 0;
  for (let i = 0; i < s.piecePairs.length; i += 2) gain += union(s.piecePairs[i], s.piecePairs[i + 1]);
  if (!commit) rollback(mark);
  return gain;
}

const prfOf = (tp, fp) => {
  const p = tp + fp ? tp / (tp + fp) : 1;
  const r = tp / TRUE_PAIRS;
  return { p, r, f1: p + r ? (2 * p * r) / (p + r) : 0 };
};

// Everything taken: the true pairs all candidate joins add, set beside what gap.js counts
// (the same union-find, on the joins whose own pieces share a value). They differ by the
// joins of clusters holding several people: joining on one person's value joins the others' too.
let everyTrue = 0;
for (const s of sigList) everyTrue += gainOf(s, true);
resetUnionFind();
let gapTrue = 0;
for (let i = 0; i < gapEdges.length; i += 2) gapTrue += union(gapEdges[i], gapEdges[i + 1]);
resetUnionFind();
let everyFalse = 0;
for (const s of sigList) everyFalse += s.falsePairs;

/**
 * The greedy: from (tp0, fp0), take at each step the signature whose true pairs added now
 * (marginal, after the union-find) over its true + false pairs is highest, while the running
 * pairwise precision stays >= MIN_P. Signatures interact (one join can make another's true
 * pairs redundant, or complete a path), so the marginal precision is recomputed each step.
 * Returns the steps taken, the whole-signature result and the fractional one.
 */
function greedy(tp0, fp0) {
  resetUnionFind();
  const left = new Set(sigList.filter((s) => s.piecePairs.length || s.falsePairs));
  let tp = tp0;
  let fp = fp0;
  const taken = [];
  let stop;
  let rest = [];
  for (;;) {
    let top;
    for (const s of left) {
      const gain = gainOf(s, false);
      const prec = gain + s.falsePairs ? gain / (gain + s.falsePairs) : 0;
      if (!top || prec > top.prec || (prec === top.prec && gain > top.gain)) top = { s, gain, prec };
    }
    if (!top || top.prec === 0) break; // nothing left that adds a true pair
    const next = prfOf(tp + top.gain, fp + top.s.falsePairs);
    if (next.p < MIN_P) {
      stop = top;
      // The best few left, for the table, at their marginal precision now.
      rest = [...left].map((s) => {
        const gain = gainOf(s, false);
        return { s, gain, prec: gain + s.falsePairs ? gain / (gain + s.falsePairs) : 0 };
      });
      rest.sort((x, y) => y.prec - x.prec || y.gain - x.gain);
      break;
    }
    gainOf(top.s, true);
    tp += top.gain;
    fp += top.s.falsePairs;
    left.delete(top.s);
    taken.push({ ...top, tp, fp, ...next });
  }
  const whole = prfOf(tp, fp);
  // Fractional: take the share x of the next signature that leaves precision exactly MIN_P:
  // tp + x·g = MIN_P·(tp + x·g + fp + x·f).
  let frac = { ...whole, x: 0, sig: undefined };
  if (stop) {
    const g = stop.gain;
    const f = stop.s.falsePairs;
    const x = Math.max(0, Math.min(1, (MIN_P * fp - (1 - MIN_P) * tp) / ((1 - MIN_P) * g - MIN_P * f)));
    frac = { ...prfOf(tp + x * g, fp + x * f), x, sig: stop.s, tp: tp + x * g, fp: fp + x * f };
  }
  return { taken, whole: { ...whole, tp, fp }, frac, rest };
}

const fp0 = start.predicted - start.tp;
const g = greedy(start.tp, fp0);
const takenCodes = new Set(g.taken.map((t) => t.s.code));
// The same with the clustering's own false pairs removed at no cost, for a yet kinder bound.
const gFree = greedy(start.tp, 0);
// And in the static order the brief names: signatures by their precision measured alone.
let staticRes;
{
  resetUnionFind();
  let tp = start.tp;
  let fp = fp0;
  for (const s of [...sigList].sort((x, y) => y.precision - x.precision || y.directTrue - x.directTrue)) {
    if (!s.directTrue) break;
    const mark = log.length;
    const gain = gainOf(s, true);
    if (prfOf(tp + gain, fp + s.falsePairs).p < MIN_P) {
      rollback(mark);
      break;
    }
    tp += gain;
    fp += s.falsePairs;
  }
  staticRes = prfOf(tp, fp);
}

// --- Check: apply the whole signatures taken for real and evaluate, transitive pairs included ---
let realized;
{
  const up = new Int32Array(nClusters).map((_, i) => i);
  const root = (x) => {
    while (up[x] !== x) (up[x] = up[up[x]]), (x = up[x]);
    return x;
  };
  for (let i = 0; i < nJoins; i++) if (takenCodes.has(joinSig[i])) up[root(joinA[i])] = root(joinB[i]);
  const pred = new Map();
  for (const [id, c] of clusterOf) pred.set(id, String(root(clusterIds.id(c))));
  const e = evaluate(pred, truth);
  realized = { ...e.pairwise, tp: e.tp, fp: e.predicted - e.tp };
}

// --- Report ---
const pad = (s, n) => String(s).padStart(n);
const line = (p) => `P ${f3(p.p)} R ${f3(p.r)} F1 ${f3(p.f1)}`;
console.log(
  `data: ${records.length} records, ${personIds.list.length} people, ${nClusters} predicted clusters (pieces), ` +
    `${valueIds.list.length} evidence values (most held: ${holders.reduce((m, h) => Math.max(m, h.length), 0)} clusters)`,
);
console.log(`start (the clustering): ${line(start.pairwise)} (${start.tp} true, ${fp0} false of ${TRUE_PAIRS} true pairs)`);
console.log(`evidence ceiling: ${line(ceiling)}; target F1 >= ${f3(targetF1)} at P >= ${MIN_P}`);
console.log(
  `candidate joins (cluster pairs sharing a value): ${nJoins} (${[...kindJoins].sort((x, y) => y[1] - x[1]).map(([k, n]) => `${k} ${n}`).join(', ')}), ` +
    `${sigList.reduce((n, s) => n + s.trueJoins, 0)} of them join records of one person; ${sigList.length} signatures`,
);
console.log(
  `all joins taken: +${everyTrue} true pairs (gap.js counts ${gapTrue} on the joins whose own pieces share a value; ` +
    `the ceiling links ${gapPairs} pairs the clustering misses, exactly), ` +
    `+${everyFalse} false pairs (direct only) → ${line(prfOf(start.tp + everyTrue, fp0 + everyFalse))}`,
);

const head = `${pad('joins', 8)} ${pad('same-p', 7)} ${pad('true', 7)} ${pad('new true', 8)} ${pad('false', 9)} ${pad('P alone', 7)} ${pad('P now', 7)} ${pad('run P', 7)} ${pad('run R', 7)}  signature`;
console.log(`\nsignatures taken, in greedy order (marginal precision, recomputed each step), from the clustering's own ${start.tp} true / ${fp0} false pairs:`);
console.log(head);
for (const t of g.taken) {
  const s = t.s;
  console.log(`${pad(s.joins, 8)} ${pad(s.trueJoins, 7)} ${pad(s.directTrue, 7)} ${pad(t.gain, 8)} ${pad(s.falsePairs, 9)} ${pad(f3(s.precision), 7)} ${pad(f3(t.prec), 7)} ${pad(f3(t.p), 7)} ${pad(f3(t.r), 7)}  ${sigLabel(s.code)}`);
}
console.log(`\nbest signatures not taken (marginal precision after those taken), true pairs they would add:`);
console.log(head);
for (const t of g.rest.slice(0, 15)) {
  const s = t.s;
  const after = prfOf(g.whole.tp + t.gain, g.whole.fp + s.falsePairs);
  console.log(`${pad(s.joins, 8)} ${pad(s.trueJoins, 7)} ${pad(s.directTrue, 7)} ${pad(t.gain, 8)} ${pad(s.falsePairs, 9)} ${pad(f3(s.precision), 7)} ${pad(f3(t.prec), 7)} ${pad(f3(after.p), 7)} ${pad(f3(after.r), 7)}  ${sigLabel(s.code)}`);
}

console.log(`\nlargest signatures not taken, by the true pairs they would add:`);
console.log(head);
for (const t of [...g.rest].sort((x, y) => y.gain - x.gain).slice(0, 10)) {
  const s = t.s;
  const after = prfOf(g.whole.tp + t.gain, g.whole.fp + s.falsePairs);
  console.log(`${pad(s.joins, 8)} ${pad(s.trueJoins, 7)} ${pad(s.directTrue, 7)} ${pad(t.gain, 8)} ${pad(s.falsePairs, 9)} ${pad(f3(s.precision), 7)} ${pad(f3(t.prec), 7)} ${pad(f3(after.p), 7)} ${pad(f3(after.r), 7)}  ${sigLabel(s.code)}`);
}

// Where the missed true pairs sit: per kind of strongest value, true pairs and false pairs
// of all its joins (precision measured alone), to show what would have to be taken.
console.log(`\nall candidate joins by strongest value and band (true/false pairs measured alone):`);
const byKind = new Map();
for (const s of sigList) {
  const label = sigLabel(s.code).split(',')[0];
  const k = byKind.get(label) ?? { joins: 0, trueJoins: 0, t: 0, f: 0 };
  k.joins += s.joins;
  k.trueJoins += s.trueJoins;
  k.t += s.directTrue;
  k.f += s.falsePairs;
  byKind.set(label, k);
}
console.log(`${pad('joins', 8)} ${pad('same-p', 7)} ${pad('true', 7)} ${pad('false', 9)} ${pad('P', 7)}  strongest shared value @ clusters holding it`);
for (const [label, k] of [...byKind].sort((x, y) => y[1].t - x[1].t)) {
  console.log(`${pad(k.joins, 8)} ${pad(k.trueJoins, 7)} ${pad(k.t, 7)} ${pad(k.f, 9)} ${pad(f3(k.t / (k.t + k.f)), 7)}  ${label}`);
}

console.log(`\nbest at P >= ${MIN_P}, whole signatures: ${line(g.whole)} (${g.whole.tp} true, ${g.whole.fp} false pairs; ${g.taken.length} signatures)`);
console.log(
  `best at P >= ${MIN_P}, last signature taken in part (${g.frac.sig ? `${(g.frac.x * 100).toFixed(1)} % of "${sigLabel(g.frac.sig.code)}"` : 'none left'}): ${line(g.frac)}`,
);
console.log(`same, taking signatures in the order of their precision measured alone (whole): ${line(staticRes)}`);
console.log(`same, with the clustering's own ${fp0} false pairs removed at no cost: whole ${line(gFree.whole)}; in part ${line(gFree.frac)}`);
console.log(`check: the whole signatures taken, applied for real (transitive pairs included): ${line(realized)} (${realized.tp} true, ${realized.fp} false pairs)`);
const reaches = g.frac.f1 >= targetF1 && g.frac.p >= MIN_P - 1e-12;
console.log(`recall needed for the target at P ${MIN_P}: ${f3((targetF1 * MIN_P) / (2 * MIN_P - targetF1))}; the bound reaches ${f3(g.frac.r)} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
console.log(
  `bound: start P/R/F1 ${f3(start.pairwise.p)}/${f3(start.pairwise.r)}/${f3(start.pairwise.f1)} | best at P>=${MIN_P} P/R/F1 ${f3(g.frac.p)}/${f3(g.frac.r)}/${f3(g.frac.f1)} ` +
    `(whole signatures ${f3(g.whole.f1)}) | ceiling F1 ${f3(ceiling.f1)} | target F1 ${f3(targetF1)} | ${reaches ? 'reaches' : 'does not reach'} the target`,
);
