// The values the evidence ceiling reads from a synthetic record (match.bench.js, gap.js): its
// identities as the store normalizes them (junk, masked and invalid values dropped) and, unless
// left out, its name's simplified key and pinyin (nicknames and salutations excluded). Cities,
// companies and titles identify nobody and are not values.

/** `type:value` strings; name values start with `name:` or `pinyin:`. */
export function evidenceValues(cs, row, { names = true } = {}) {
  const values = [];
  for (const t of cs.DEFAULT_MATCH_CONFIG.identifiers.map((r) => r.type)) {
    if (!row[t]) continue;
    const n = cs.normalizeIdentity(t, row[t]);
    if (!cs.isRejectedIdentity(n)) values.push(`${t}:${n.matchKey ?? n.value}`);
  }
  const name = names && row.name ? cs.normalizePersonName(row.name) : undefined;
  if (name && !name.weak) {
    values.push(`name:${name.matchKey.replace(/\s+/g, '')}`);
    if (name.pinyin) values.push(`pinyin:${name.pinyin}`);
  }
  return values;
}

export const isNameValue = (v) => v.startsWith('name:') || v.startsWith('pinyin:');

/**
 * The evidence ceiling: an oracle that links two records only when they belong to the same
 * true person AND share an identifying normalized value (an identity such as the phone in
 * E.164, or the person name's simplified key or pinyin; cities, companies and titles alone
 * identify nobody). Its connected components (record id → root id) are the best any rule can
 * do on this evidence. `names: false` gives the identifiers-only ceiling.
 */
export function ceilingClusters(cs, rows, truth, { names = true } = {}) {
  const parent = new Map();
  const find = (x) => {
    while (parent.get(x) !== x) {
      parent.set(x, parent.get(parent.get(x)));
      x = parent.get(x);
    }
    return x;
  };
  const seen = new Map();
  for (const row of rows) {
    const id = row.record_id;
    parent.set(id, id);
    const person = truth.get(id);
    for (const v of evidenceValues(cs, row, { names })) {
      const k = `${person}\u0001${v}`;
      const other = seen.get(k);
      if (other === undefined) seen.set(k, id);
      else parent.set(find(id), find(other));
    }
  }
  return new Map([...parent.keys()].map((id) => [id, find(id)]));
}
