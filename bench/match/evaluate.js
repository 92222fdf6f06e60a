// What the matching benches share: a CSV reader for the files they write, and pairwise and
// B-cubed precision/recall/F1 of a clustering against the truth (match.bench.js, store-match.bench.js).
import { readFileSync } from 'node:fs';

export function f3(n) {
  return Number.isFinite(n) ? n.toFixed(4) : 'n/a';
}

/** Minimal CSV reader for the files we write and read here (quoted fields allowed). */
export function readCsv(path) {
  const text = readFileSync(path, 'utf8');
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') (field += '"'), i++;
        else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) row.push(field), rows.push(row);
  const header = rows.shift().map((h) => h.trim());
  return rows.filter((r) => r.length > 1 || r[0] !== '').map((r) => Object.fromEntries(header.map((h, i) => [h, (r[i] ?? '').trim()])));
}

export function prf(tp, predicted, truth) {
  const p = predicted ? tp / predicted : 1;
  const r = truth ? tp / truth : 1;
  return { p, r, f1: p + r ? (2 * p * r) / (p + r) : 0 };
}

const pairs2 = (k) => (k * (k - 1)) / 2;

/** Pairwise and B-cubed P/R/F1 of a clustering against truth (both: record id → label). */
export function evaluate(pred, truth) {
  const byPred = new Map();
  const byTruth = new Map();
  const cell = new Map();
  for (const [id, t] of truth) {
    const p = pred.get(id) ?? `missing:${id}`;
    byPred.set(p, (byPred.get(p) ?? 0) + 1);
    byTruth.set(t, (byTruth.get(t) ?? 0) + 1);
    const k = `${p}\u0001${t}`;
    cell.set(k, (cell.get(k) ?? 0) + 1);
  }
  let tp = 0;
  for (const n of cell.values()) tp += pairs2(n);
  let predicted = 0;
  for (const n of byPred.values()) predicted += pairs2(n);
  let truePairs = 0;
  for (const n of byTruth.values()) truePairs += pairs2(n);
  const pairwise = prf(tp, predicted, truePairs);
  // B-cubed: per record, the share of its predicted cluster in its true cluster and back.
  let bp = 0;
  let br = 0;
  for (const [k, n] of cell) {
    const [p, t] = k.split('\u0001');
    bp += (n * n) / byPred.get(p);
    br += (n * n) / byTruth.get(t);
  }
  const N = truth.size;
  const b = { p: bp / N, r: br / N };
  b.f1 = (2 * b.p * b.r) / (b.p + b.r);
  return { pairwise, bcubed: b, tp, predicted, truePairs };
}
