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
