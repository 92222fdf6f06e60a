import type { MatchConfig } from './match.types.js';

/**
 * The default rules for the CONTRACT §5 columns. Identifiers link in priority order (phone,
 * WeChat unionid, WeCom / POS member ids, e-mail, openid, device id). A shared phone whose
 * names disagree is a family or a shop desk, so it goes to review; a value held by many
 * customers stops linking. Fuzzy: a matching name alone (6) is not enough, because people share
 * common names in one city; name plus company, or name plus city plus title, is.
 */
export const DEFAULT_MATCH_CONFIG: MatchConfig = {
  identifiers: [
    { type: 'phone', priority: 1, maxCustomersPerValue: 3, conflictFields: ['name'] },
    { type: 'wechat_unionid', priority: 2, maxPerCustomer: 1 },
    { type: 'wecom_external_userid', priority: 3, maxPerCustomer: 1 },
    { type: 'pos_member_id', priority: 3 },
    { type: 'email', priority: 4, maxCustomersPerValue: 3, conflictFields: ['name'], conflictIdentifiers: ['phone'] },
    { type: 'wechat_openid', priority: 5 },
    { type: 'device_id', priority: 5, maxCustomersPerValue: 3 },
  ],
  fuzzy: {
    fields: [
      { field: 'name', comparator: 'person_name', agreeWeight: 5, agree: 0.94, partial: 0.85, partialWeight: 1, disagreeWeight: -5, rare: { maxRecords: 6, bonus: 2 } },
      { field: 'company', comparator: 'company_name', agreeWeight: 3, agree: 0.92, partial: 0.85, partialWeight: 1, disagreeWeight: -2 },
      { field: 'city', comparator: 'city', agreeWeight: 1, disagreeWeight: -3 },
      { field: 'title', comparator: 'jaro_winkler', agreeWeight: 1, agree: 0.92, disagreeWeight: 0 },
      // What the phone identity cannot read: a masked 138****5678 (ad platforms, shops) or a
      // mistyped digit. With an agreeing name that is one person; alone it never merges.
      { field: 'phone', comparator: 'phone_near', agreeWeight: 4, disagreeWeight: 0 },
      // The same for an e-mail one slip away (zhangwei88@qq.com, zhangwe88@qq.com).
      { field: 'email', comparator: 'email_near', agreeWeight: 4, disagreeWeight: 0 },
    ],
    blocking: [
      { name: 'name', fields: [{ field: 'name' }] },
      { name: 'name_pinyin', fields: [{ field: 'name', transform: 'pinyin' }] },
      // Common names make big blocks that keep only recent members; name + company is small and sharp.
      { name: 'name_company', fields: [{ field: 'name' }, { field: 'company' }] },
      { name: 'phone_ends', fields: [{ field: 'phone', transform: 'phone_ends' }] },
      { name: 'phone_head', fields: [{ field: 'phone', transform: 'phone_head' }] },
    ],
    autoMergeThreshold: 8,
    reviewThreshold: 5,
    maxCandidates: 20,
    // A name on one record and the company on another record of the same customer still identify them.
    clusterKeys: [['name', 'company']],
    // A name held by two clusters in all, with the city or the company agreeing and nothing
    // disagreeing, is one person seen through channels that shared no identifier. (Three
    // clusters linked more strangers as files grow: 150,000 people, P 0.9889 against 0.9899.)
    rareClusters: { field: 'name', maxClusters: 2, compatible: ['city', 'company'], minAgreeing: 1 },
    // A Han name this data should hold at most 0.2 times, by the shares of its surname and
    // given-name characters (欧阳明轩, not 王伟), held by two clusters, is one person's even
    // when nothing else agrees; a city or company that disagrees still keeps them apart.
    uniqueNames: { field: 'name', maxExpected: 0.2, maxClusters: 2, compatible: ['city', 'company'] },
  },
};
