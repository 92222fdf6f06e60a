import { DEFAULT_MATCH_CONFIG } from './matching/default-match.config.js';
import type { MatchConfig } from './matching/match.types.js';

/** The largest share of the store's customers a rare name may be held by (fuzzy field `rare.maxShare`). */
const RARE_NAME_SHARE = 1 / 40_000;
/** The smallest share of the store's customers a common name is held by (fuzzy field `common.minShare`). */
const COMMON_NAME_SHARE = 1 / 2_000;

/**
 * The store's default rules: the batch matcher's, with narrower blocking keys. In the
 * store a blocking key is also a lock (records sharing a key are resolved one after the
 * other, so two records of one person never both create a customer) and a set of rows
 * read for every write; a key on a common name alone (张伟, 王芳) would serialise every
 * delivery carrying that name and compare each with dozens of strangers. Name with city or
 * with company keeps blocks to the people who could plausibly be the same person.
 */
export const STORE_MATCH_CONFIG: MatchConfig = {
  ...DEFAULT_MATCH_CONFIG,
  fuzzy: {
    ...DEFAULT_MATCH_CONFIG.fuzzy,
    // A different phone or unionid is evidence against: name + city alone no longer reaches review.
    identifierDisagreeWeight: { phone: -3, wechat_unionid: -3 },
    // A name is rare in the store while at most 6 customers, and at most 1 in 40,000 customers,
    // are read like it: a store filling from empty has seen every name only a few times. It is
    // common when at least 10 customers, and 1 in 2,000 (or 100 customers in a store of more
    // than 200,000), are: 张伟 in one city is a guess.
    fields: DEFAULT_MATCH_CONFIG.fuzzy.fields.map((f) =>
      f.rare ? { ...f, rare: { ...f.rare, maxShare: RARE_NAME_SHARE }, common: { minRecords: 10, minShare: COMMON_NAME_SHARE, manyRecords: 100, penalty: 2 } } : f,
    ),
    blocking: [
      { name: 'name_city', fields: [{ field: 'name', transform: 'pinyin' }, { field: 'city' }] },
      { name: 'name_company', fields: [{ field: 'name' }, { field: 'company' }] },
    ],
  },
};
