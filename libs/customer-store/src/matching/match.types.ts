// The identity-resolution contract shared by the batch matcher (`tributary match`), the
// store's resolution (customer.resolve / customer.upsert) and the benchmarks. Pure types.

/** A record as the matcher sees it: normalized identities plus profile fields. */
export interface MatchRecord {
  id: string;
  /** Normalized identities (phone in E.164, lower-cased email, wechat_unionid, …). Junk already removed. */
  identities: { type: string; value: string }[];
  /** Profile fields used by fuzzy rules: name, company, city, title, birth date, address, … (raw or normalized). */
  fields: Record<string, string | undefined>;
}

export type Comparator =
  /** Exact equality after normalization. */
  | 'exact'
  /** Jaro-Winkler on the normalized text. */
  | 'jaro_winkler'
  /** Person names: simplified, pinyin and order-swap aware. */
  | 'person_name'
  /** Company names after legal-form, region and bracket normalization. */
  | 'company_name'
  /** Cities with 市/省 suffixes removed. */
  | 'city'
  /** Edit-distance similarity (Levenshtein) on digits or text. */
  | 'levenshtein'
  /** Dates: equal, or day/month swapped, or one digit off. */
  | 'date'
  /**
   * Phones the identity cannot link: 1 for a masked number (138****5678) whose visible digits
   * agree, or one slip apart (a digit changed, two adjacent digits swapped); 0 otherwise, equal
   * numbers included (the phone identity decides those, within its limits and conflicts).
   */
  | 'phone_near'
  /**
   * E-mails the identity cannot link: 1 for two addresses of one domain whose local parts are one
   * slip apart (a letter dropped, added or changed, two neighbours swapped), 0 otherwise, equal
   * ones included (the e-mail identity decides those).
   */
  | 'email_near';

export interface IdentifierRule {
  /** Identity type, e.g. phone, wechat_unionid, email. */
  type: string;
  /** Lower number = higher priority (default order: phone 1, wechat_unionid 2, wecom_external_userid/pos_member_id 3, email 4, device_id 5). */
  priority: number;
  /** Segment-style limit: a customer holds at most this many values of the type (default: unlimited). */
  maxPerCustomer?: number;
  /** A value already held by this many customers stops linking (shared family phones, a store's desk number). */
  maxCustomersPerValue?: number;
  /**
   * Fuzzy fields that can stop an automatic link through this identifier: when one of them is
   * present on both sides and scores at its disagree level (below `partial`, or below `agree`
   * without a partial band), the pair goes to review instead (a family's shared phone).
   */
  conflictFields?: string[];
  /**
   * Identifier types that can stop an automatic link through this identifier: both sides hold
   * values of the type and share none (an e-mail shared by two people with different phones).
   */
  conflictIdentifiers?: string[];
}

export interface FuzzyField {
  field: string;
  comparator: Comparator;
  /** Log-likelihood weight when the field agrees (similarity ≥ agree). */
  agreeWeight: number;
  /** Weight (usually negative) when both sides have the field and it disagrees. */
  disagreeWeight: number;
  /** Similarity at or above which the field agrees (0..1). */
  agree?: number;
  /** Optional partial band: similarity ≥ partial adds partialWeight. */
  partial?: number;
  partialWeight?: number;
  /**
   * Term-frequency adjustment (Splink-style): when the field agrees on a value that at most
   * `maxRecords` records hold, `bonus` is added to agreeWeight. A rare name says more than 张伟.
   * The customer store counts customers instead of records, and with `maxShare` a value is
   * rare there only while its holders are also at most that share of all customers: a store
   * fills from empty, and in a young store every name is held by a handful.
   */
  rare?: { maxRecords: number; bonus: number; maxShare?: number };
  /**
   * The other side of the term frequency, in the customer store: when the field agrees on a
   * value held by at least `minRecords` customers and at least `minShare` of all of them (or
   * by `manyRecords` customers, whatever the store's size; counting stops there), `penalty` is
   * taken from agreeWeight. 张伟 in one city says little; a review on it alone asks a person to
   * guess. (`tributary match` decides as records stream in, before their counts are known, and
   * does not apply it.)
   */
  common?: { minRecords: number; minShare: number; manyRecords: number; penalty: number };
  /** Another fuzzy field whose value may hold this one when the two were swapped (given name ↔ surname); the better similarity counts. */
  swapWith?: string;
}

export type BlockingTransform =
  | 'exact'
  | 'prefix3'
  | 'pinyin_initials'
  | 'pinyin'
  | 'soundex'
  | 'digits'
  | 'year'
  /** A phone's first three and last four digits (the part a masked 138****5678 still shows). */
  | 'phone_ends'
  /** A phone's first seven digits (catches a slip in the last four); nothing for a masked phone. */
  | 'phone_head';

export interface BlockingRule {
  name: string;
  fields: { field: string; transform?: BlockingTransform }[];
  /** Join the field keys in sorted order, so swapped fields (given name ↔ surname) share the key. */
  unordered?: boolean;
}

export interface MatchConfig {
  identifiers: IdentifierRule[];
  fuzzy: {
    fields: FuzzyField[];
    /** Blocking keys: records are compared only with records sharing one of these keys. Each is a list of field transforms joined. */
    blocking: BlockingRule[];
    /** At or above: merge automatically. */
    autoMergeThreshold: number;
    /** At or above (and below autoMerge): the review queue. Below: a new customer. */
    reviewThreshold: number;
    /** Largest candidate set compared for one record (protects against huge blocks). */
    maxCandidates?: number;
    /**
     * Weight added to a fuzzy score when both sides hold values of an identifier type and
     * share none (e.g. `{ phone: -3 }`): a different phone is evidence of a different person,
     * so "same common name, same city" alone stops filling the review queue.
     */
    identifierDisagreeWeight?: Record<string, number>;
    /**
     * Cluster-level evidence (batch matcher): after every record is in, two clusters whose
     * members together agree exactly on all the fields of one entry (a name on one record, the
     * company on another of the same cluster) merge, unless their identifiers conflict.
     */
    clusterKeys?: string[][];
    /**
     * Cluster-level term frequency (batch matcher): a value of `field` held by at most
     * `maxClusters` clusters merges them, when the `compatible` fields do not disagree (their
     * cluster-level values intersect, or one side has none), at least `minAgreeing` of them
     * agree (intersect) and no identifier conflicts.
     */
    rareClusters?: {
      field: string;
      maxClusters: number;
      compatible?: string[];
      minAgreeing?: number;
      within?: string;
      /** Also require a Han name's expected number of holders (see uniqueNames) to be at most this: the rule then tightens as the data grows. */
      maxExpected?: number;
    };
    /**
     * Cluster-level name rarity (batch matcher): how many people this data should hold with a
     * given Han name, estimated from the shares of its surname, its given-name length and each
     * given-name character among all the names in the data, times the number of named clusters.
     * A name expected at most `maxExpected` times that at most `maxClusters` clusters hold is one
     * person's: those clusters merge unless a `compatible` field disagrees (their cluster-level
     * values share nothing) or their identifiers conflict. Unlike `rareClusters`, nothing needs
     * to agree besides the name, and the estimate grows with the data: 欧阳明轩 in 50,000
     * people qualifies, 王伟 never does.
     */
    uniqueNames?: { field: string; maxExpected: number; maxClusters?: number; compatible?: string[] };
  };
}

export interface MatchReason {
  /** `identifier:phone`, `fuzzy`, … */
  rule: string;
  field?: string;
  comparator?: Comparator;
  similarity?: number;
  weight?: number;
  /** Human-readable, e.g. "phone +8613912345678 equal". */
  detail: string;
}

export interface MatchDecision {
  kind: 'matched' | 'new' | 'review';
  /** The customer (or record/cluster) matched, for `matched`; the best candidate for `review`. */
  targetId?: string;
  /** Other candidates for review. */
  candidates?: { id: string; score: number; reasons: MatchReason[] }[];
  score: number;
  reasons: MatchReason[];
}
