import { DEFAULT_MATCH_CONFIG } from './matching/default-match.config.js';
import type { MatchConfig } from './matching/match.types.js';

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
    blocking: [
      { name: 'name_city', fields: [{ field: 'name', transform: 'pinyin' }, { field: 'city' }] },
      { name: 'name_company', fields: [{ field: 'name' }, { field: 'company' }] },
    ],
  },
};
