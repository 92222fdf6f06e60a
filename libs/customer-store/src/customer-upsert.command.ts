import type { CountryCode } from 'libphonenumber-js/core';
import type { QueryRunner } from 'typeorm';
import { PayloadError, storableValue } from '@tributary/engine';
import { displayNameOf, mergeAttributes } from './attribute-merge.util.js';
import { CustomerStoreError } from './customer-store.errors.js';
import type { AttributeMap, IdentityConflict, IgnoredIdentity, StoreUpsertInput, StoreUpsertResult } from './customer-store.types.js';
import { identityKey, orderIdentities } from './identity-priority.util.js';
import { missedLockKeys, runMerge } from './customer-merge.command.js';
import { DEFAULT_MATCH_CONFIG, bridgeVeto, decide, type MatchConfig, type MatchDecision, type MatchReason, type MatchRecord } from './matching/index.js';
import { blockingKeysOf, candidateFields, customerFields, inputFields, matchKeysOf, profileEvidence, RARITY_KEY_PREFIX, rarityKeyField, rarityKeysOf, withInputIdentityFields } from './record-fields.util.js';
import { accountLockNames, ACCOUNT_FIELDS, linkAccounts } from './account-link.command.js';
import { isRejectedIdentity, normalizeIdentity, splitIdentityList, type NormalizedIdentity } from './normalization/identity.normalizer.js';
import { sortedLockKeys } from './util/lock-key.util.js';
import { uuidv7 } from './util/uuid-v7.util.js';

/** Identity types whose values have aliases, which the normalizer folds into a match key. */
const ALIASED_TYPES = new Set(['email']);

/** The value an identity links by: its match key where aliases coincide (e-mail), else the value. */
function linkValue(id: Pick<NormalizedIdentity, 'value' | 'matchKey'>): string {
  return id.matchKey ?? id.value;
}

/** An upsert input validated and normalized, ready to be batched. */
export interface PreparedUpsert {
  input: StoreUpsertInput;
  /** Usable identities, deduplicated, key identity first. */
  identities: NormalizedIdentity[];
  ignored: IgnoredIdentity[];
  /** When the data was observed: the event's time, else the time of the call. ISO 8601 UTC. */
  observedAt: string;
  tags: string[];
  /** The record as the matcher sees it (id empty: it is not a customer yet). */
  record: MatchRecord;
  /** Its blocking keys: fuzzy candidates are the customers sharing one. */
  matchKeys: string[];
  /** Its rarity keys (rarityKeysOf): how many customers hold each is the rare bonus's term frequency. */
  rarityKeys: string[];
  /** No usable identity: resolved by its name and blocking keys alone, and a masked phone when it has one (profileEvidence). */
  byProfile?: { field: string; value: string };
}

const MAX_IDEMPOTENCY_KEY = 512;
// One person does not have hundreds of phones: such an input is a list pasted into one record.
export const MAX_IDENTITIES = 50;
// A profile of thousands of fields, or thousands of tags at once, is a mapping gone wrong; each
// would make every later write of the customer rewrite all of it.
const MAX_ATTRIBUTES = 500;
const MAX_TAGS = 100;
// Event times Postgres and ISO 8601's four-digit years both hold.
const EARLIEST_EVENT = Date.UTC(1000, 0, 1);
const LATEST_EVENT = Date.UTC(10000, 0, 1);
const DEFAULT_EVENT_TYPE = 'profile_updated';
const SURVIVORSHIP_POLICIES = new Set(['latest', 'first', 'source_priority', 'manual', 'longest']);
// Review items a single record may raise: the best few candidates, not a whole block.
const MAX_REVIEWS_PER_RECORD = 3;
// Customers holding one value as a share read as candidates at most (past its limit a value links nobody).
const MAX_SHARERS = 8;

/**
 * Validates and normalizes one input without touching the database, so that a batch only
 * ever holds inputs that can be written. Throws CustomerStoreError (invalid_input,
 * no_usable_identity) otherwise.
 */
export function prepareUpsert(
  input: StoreUpsertInput,
  now: Date,
  defaultCountry: CountryCode = 'CN',
  config: MatchConfig = DEFAULT_MATCH_CONFIG,
): PreparedUpsert {
  if (!input || typeof input !== 'object') throw new CustomerStoreError('invalid_input', 'an upsert input must be an object');
  // Text Postgres can hold (no NUL, no half characters), and nothing nested beyond what any step handles.
  try {
    input = storableValue(input);
  } catch (err) {
    if (err instanceof PayloadError) throw new CustomerStoreError('invalid_input', `the input ${err.message.replace(/^the data /, '')}`, { idempotencyKey: input.idempotencyKey });
    throw err;
  }
  const key = input.idempotencyKey;
  if (typeof key !== 'string' || !key || key.length > MAX_IDEMPOTENCY_KEY) {
    throw new CustomerStoreError('invalid_input', `idempotencyKey must be a non-empty string of at most ${MAX_IDEMPOTENCY_KEY} characters`);
  }
  const p = input.provenance;
  if (!p || typeof p.source !== 'string' || !p.source) {
    throw new CustomerStoreError('invalid_input', 'provenance.source is required', { idempotencyKey: key });
  }
  if (input.attributes !== undefined && (typeof input.attributes !== 'object' || input.attributes === null || Array.isArray(input.attributes))) {
    throw new CustomerStoreError('invalid_input', 'attributes must be an object', { idempotencyKey: key });
  }
  if (!Array.isArray(input.identities)) throw new CustomerStoreError('invalid_input', 'identities must be an array', { idempotencyKey: key });
  if (input.survivorship !== undefined && (typeof input.survivorship !== 'object' || input.survivorship === null || Array.isArray(input.survivorship))) {
    throw new CustomerStoreError('invalid_input', 'survivorship must be an object of field policies', { idempotencyKey: key });
  }
  for (const [field, pol] of Object.entries(input.survivorship ?? {})) {
    if (!pol || !SURVIVORSHIP_POLICIES.has(pol.policy) || (pol.sources !== undefined && !Array.isArray(pol.sources))) {
      throw new CustomerStoreError('invalid_input', `survivorship.${field}: policy must be one of ${[...SURVIVORSHIP_POLICIES].join(', ')}`, { idempotencyKey: key });
    }
  }
  if (input.identities.length > MAX_IDENTITIES) {
    throw new CustomerStoreError('invalid_input', `at most ${MAX_IDENTITIES} identities per input`, { idempotencyKey: key });
  }
  if (input.attributes && Object.keys(input.attributes).length > MAX_ATTRIBUTES) {
    throw new CustomerStoreError('invalid_input', `at most ${MAX_ATTRIBUTES} attributes per input`, { idempotencyKey: key });
  }
  if (input.tags !== undefined && (!Array.isArray(input.tags) || input.tags.length > MAX_TAGS)) {
    throw new CustomerStoreError('invalid_input', `tags must be an array of at most ${MAX_TAGS}`, { idempotencyKey: key });
  }

  let observedAt = now.toISOString();
  if (input.event?.occurredAt !== undefined) {
    const t = Date.parse(input.event.occurredAt);
    if (Number.isNaN(t)) {
      throw new CustomerStoreError('invalid_input', `event.occurredAt is not a date: ${String(input.event.occurredAt)}`, { idempotencyKey: key });
    }
    if (t < EARLIEST_EVENT || t >= LATEST_EVENT) {
      throw new CustomerStoreError('invalid_input', `event.occurredAt is out of range (years 1000 to 9999): ${String(input.event.occurredAt)}`, { idempotencyKey: key });
    }
    observedAt = new Date(t).toISOString();
  }
  if (input.event && (typeof input.event.type !== 'string' || !input.event.type)) {
    throw new CustomerStoreError('invalid_input', 'event.type is required', { idempotencyKey: key });
  }

  const usable: NormalizedIdentity[] = [];
  const ignored: IgnoredIdentity[] = [];
  for (const id of input.identities) {
    // A field listing two numbers or addresses ("139… / 138…") gives two identities of this person.
    for (const value of splitIdentityList(String(id?.type ?? ''), id?.value, defaultCountry)) {
      const r = normalizeIdentity(String(id?.type ?? ''), value, defaultCountry);
      if (isRejectedIdentity(r)) ignored.push({ type: r.type, value: r.raw, reason: r.reason });
      else usable.push(r);
    }
  }
  // Counted again once fields listing several values are split: fifty fields of ten numbers each are no one person's.
  if (usable.length > MAX_IDENTITIES) {
    throw new CustomerStoreError('invalid_input', `at most ${MAX_IDENTITIES} identities per input (${usable.length} once the fields listing several were split)`, {
      idempotencyKey: key,
    });
  }
  let byProfile: PreparedUpsert['byProfile'];
  if (usable.length === 0) {
    byProfile = profileEvidence(input.attributes, input.identities, config);
    if (!byProfile) {
      throw new CustomerStoreError(
        'no_usable_identity',
        'no usable identity: every identity value is empty, junk or invalid, and there is no real name with a city or company to recognise the person by',
        { idempotencyKey: key, ignoredIdentities: ignored },
      );
    }
    // The customer keeps the phone as the channel gave it, for the records that come after.
    if (input.attributes?.[byProfile.field] === undefined) input = { ...input, attributes: { ...input.attributes, [byProfile.field]: byProfile.value } };
  }
  const tags = [...new Set((input.tags ?? []).filter((t) => typeof t === 'string').map((t) => t.trim()).filter((t) => t && t.length <= 100))];
  const identities = orderIdentities(usable);
  const fields = inputFields(input.attributes);
  const record: MatchRecord = {
    id: '',
    // The matcher links by the match key, where aliases of one mailbox coincide.
    identities: identities.map((i) => ({ type: i.type, value: linkValue(i) })),
    fields: withInputIdentityFields(fields, input.identities, config),
  };
  return { input, identities, ignored, observedAt, tags, record, matchKeys: blockingKeysOf(fields, config), rarityKeys: rarityKeysOf(fields, config), ...(byProfile ? { byProfile } : {}) };
}

export interface UpsertBatchOptions {
  config: MatchConfig;
  /**
   * Resolve only (customer.resolve): no advisory or row locks, nothing written. The answer
   * is what an upsert would do against the store as it is now.
   */
  dryRun?: boolean;
  /**
   * With dryRun: a customer that is not there. customer.rematch resolves a stored customer as a
   * record (its identities and profile) against every other customer this way.
   */
  exclude?: string;
  /**
   * Advisory-lock keys to take in the first pass besides the batch's own: what an earlier
   * attempt's merge could not take without waiting (see runMerge's `try` locking). Pass the
   * same set to every attempt; the batch adds what it misses before it throws.
   */
  lockHints?: Set<string>;
}

interface CustomerState {
  id: string;
  isNew: boolean;
  attributes: AttributeMap;
  displayName: string | null;
  tags: string[];
  accountId: string | null;
  /** Set when an input of this batch wrote the company, its credit code or its industry: the account may follow. */
  accountTouched: boolean;
  dirty: boolean;
  /** The identities it holds (owned rows), for the matcher's identifier checks. */
  identities: { type: string; value: string }[];
  /** The values it holds as shares (a family phone another customer owns): the matcher sees them too. */
  shares: { type: string; value: string }[];
  /** Its keys as stored (blocking and rarity keys), and whether they must be written again. */
  matchKeys: string[];
  keysDirty: boolean;
  /** The latest event time this batch records for it, and the source of its first record (reports, segments). */
  lastInteractionAt?: string;
  firstChannel?: string;
}

interface IdentityWrite {
  customer_id: string;
  type: string;
  value: string;
  raw_value: string;
  match_key: string | null;
  source: string;
  seen: string;
  isNew: boolean;
  /** The customer id the row must hold after the statement (a merged tombstone keeps its rows). */
  expectedOwner: string;
}

interface EventWrite {
  customer_id: string;
  type: string;
  occurred_at: string;
  payload: Record<string, unknown> | null;
  source: string;
  flow_id: string;
  flow_version: number;
  run_id: string;
  node_id: string;
  idempotency_key: string;
  created: boolean;
  resolution: MatchDecision;
}

interface ReviewWrite {
  id: string;
  customer_id: string;
  candidate_id: string;
  score: number;
  reasons: MatchReason[];
}

interface ShareWrite {
  type: string;
  value: string;
  customer_id: string;
  raw_value: string;
  source: string;
  seen: string;
}

interface FoundRow {
  kind: 'replay' | 'owned' | 'linked' | 'shared' | 'sharer' | 'cand' | 'rare' | 'size' | 'locked';
  /** The idempotency key of a replay, the identity type of owned/linked/shared rows, the key of a candidate or a rarity count. */
  type: string | null;
  value: string | null;
  id: string | null;
  created: boolean | null;
  /** A replay's stored resolution, a locked customer's attributes. */
  attributes: unknown;
  display_name: string | null;
  tags: string[] | null;
  account_id: string | null;
  merged_into: string | null;
  erased_at: Date | null;
  n: number | null;
}

interface LockedCustomer {
  id: string;
  attributes: AttributeMap;
  display_name: string | null;
  tags: string[];
  account_id: string | null;
  merged_into: string | null;
  erased_at: Date | null;
}

/**
 * Resolves and writes a batch of prepared upserts in one transaction, which it begins itself
 * (the caller commits): BEGIN with the advisory locks, one read that row-locks every
 * customer involved, one read of their identities and separations, one write, COMMIT (plus
 * one or two when a company names an account).
 *
 * Locks are taken in the same order by every writer so none deadlock: advisory locks on
 * every identity, blocking key, company and idempotency key (ascending), then the customers'
 * rows (ascending id). Identities are claimed with INSERT … ON CONFLICT (type, value) with
 * customer ids generated beforehand: that unique key is what finally guarantees one
 * customer per identity, even against a writer that skips the advisory locks. The blocking
 * keys' locks make two records of one person without identifiers in common (a fuzzy
 * match) resolve one after the other, so the second sees the first.
 *
 * Resolution per input, in batch order (a later input sees what an earlier one wrote):
 * the customers holding its identities are the candidates (else the customers sharing a
 * blocking key), and the matcher's `decide` picks by identifier priority within the
 * limits, then by fuzzy score. An identity held by another customer is never taken from
 * it: it is kept as a share of this customer, and the pair goes to the review queue
 * unless a human separated them.
 */
export async function runUpsertBatch(
  q: QueryRunner,
  batch: PreparedUpsert[],
  now: Date,
  options: UpsertBatchOptions = { config: DEFAULT_MATCH_CONFIG },
): Promise<StoreUpsertResult[]> {
  const { config, dryRun = false, exclude } = options;
  if (exclude !== undefined && !dryRun) throw new CustomerStoreError('invalid_input', 'exclude is only for a dry run');
  const nowIso = now.toISOString();
  const results: (StoreUpsertResult | undefined)[] = new Array(batch.length);

  // 1. The transaction and its advisory locks, one ascending pass, in one round trip. The
  // keys are numbers we computed, so the simple protocol (which allows two statements) is safe.
  if (dryRun) {
    await q.query('BEGIN');
  } else {
    const lockNames: string[] = [];
    for (const p of batch) {
      lockNames.push(`e\u0000${p.input.idempotencyKey}`);
      // By the match key: two aliases of one new mailbox (a.b@gmail.com, ab@gmail.com) wait for each other.
      for (const id of p.identities) lockNames.push(`i\u0000${identityKey(id.type, linkValue(id))}`);
      for (const k of p.matchKeys) lockNames.push(`k\u0000${k}`);
      lockNames.push(...accountLockNames(p.input.attributes));
    }
    await q.query(`BEGIN; SELECT pg_advisory_xact_lock(k) FROM unnest('{${sortedLockKeys(lockNames, options.lockHints).join(',')}}'::bigint[]) AS k`);
  }

  // 2. Replays (an earlier attempt already wrote these); the owners of the batch's
  // identities, how many other customers share each value, the fuzzy candidates sharing a
  // blocking key; and all those customers, row-locked in ascending id order.
  const firstByKey = new Map<string, number>();
  batch.forEach((p, i) => {
    if (!firstByKey.has(p.input.idempotencyKey)) firstByKey.set(p.input.idempotencyKey, i);
  });
  const lookup = new Map<string, NormalizedIdentity>();
  const keys = new Set<string>();
  const rarityKeys = new Set<string>();
  for (const i of firstByKey.values()) {
    for (const id of batch[i]!.identities) lookup.set(identityKey(id.type, id.value), id);
    for (const k of batch[i]!.matchKeys) keys.add(k);
    for (const k of batch[i]!.rarityKeys) rarityKeys.add(k);
  }
  // Counting stops one past what any field's rule needs to know: at most maxRecords holders
  // (rare); at least minRecords, and minShare of the store or manyRecords (common).
  const rarityLimit = Math.max(0, ...config.fuzzy.fields.map((f) => Math.max(f.rare?.maxRecords ?? 0, f.common?.minRecords ?? 0))) + 1;
  const commonShare = Math.max(0, ...config.fuzzy.fields.map((f) => f.common?.minShare ?? 0));
  const commonMany = Math.max(0, ...config.fuzzy.fields.map((f) => f.common?.manyRecords ?? 0));
  const wanted = [...lookup.values()];
  const found: FoundRow[] = await q.query(
    `WITH replay AS (
       SELECT e.idempotency_key, COALESCE(c.merged_into, e.customer_id) AS customer_id, e.created, e.resolution
         FROM customer_events e JOIN customers c ON c.id = e.customer_id
        WHERE e.idempotency_key = ANY($1::text[])
     ), w AS (
       SELECT * FROM unnest($2::text[], $3::text[], $6::text[]) AS w(type, value, link)
     ), owned AS (
       SELECT i.type, i.value, i.customer_id FROM customer_identities i JOIN w ON i.type = w.type AND i.value = w.value
     ), linked AS (
       -- Holders of another alias of the value (its match key): a.b+x@gmail.com finds ab@gmail.com and a.b@gmail.com.
       SELECT w.type, w.link AS value, i.customer_id FROM w JOIN customer_identities i ON i.type = w.type AND i.match_key = w.link AND i.match_key IS NOT NULL
        WHERE w.link IS NOT NULL
       UNION ALL
       SELECT w.type, w.link, i.customer_id FROM w JOIN customer_identities i ON i.type = w.type AND i.value = w.link WHERE w.link <> w.value
     ), shared AS (
       SELECT s.type, s.value, count(*)::int AS n FROM customer_identity_shares s JOIN w ON s.type = w.type AND s.value = w.value
        GROUP BY s.type, s.value
     ), sharer AS (
       -- The customers holding the value as a share (a family phone another customer owns): candidates
       -- as its owner is, the one whose name agrees taking the record. A few: past the value's limit it
       -- links nobody.
       SELECT m.type, m.value, m.customer_id
         FROM w CROSS JOIN LATERAL (SELECT s.type, s.value, s.customer_id FROM customer_identity_shares s
                                     WHERE s.type = w.type AND s.value = w.value ORDER BY s.customer_id LIMIT $12) m
     ), cand AS (
       SELECT DISTINCT m.customer_id, m.key
         FROM unnest($4::text[]) AS b(key)
        CROSS JOIN LATERAL (SELECT k.customer_id, k.key FROM customer_match_keys k WHERE k.key = b.key AND k.customer_id IS DISTINCT FROM $11::uuid LIMIT $5) m
     ), size AS (
       -- The store's size, what a value's share is of: the live rows the statistics system counts
       -- as transactions commit, or the planner's estimate of the last ANALYZE when larger (the
       -- counters start again from zero after a crash). Neither costs a scan.
       SELECT GREATEST(pg_stat_get_live_tuples(oid), reltuples::bigint, 0)::int AS n
         FROM pg_class WHERE oid = 'customers'::regclass AND cardinality($7::text[]) > 0
     ), rare AS (
       SELECT r.key, (SELECT count(*) FROM (SELECT 1 FROM customer_match_keys k WHERE k.key = r.key AND k.customer_id IS DISTINCT FROM $11::uuid
                LIMIT GREATEST($8::int, LEAST(ceil(COALESCE((SELECT n FROM size), 0) * $9::float8)::int, $10::int) + 1)) x)::int AS n
         FROM unnest($7::text[]) AS r(key)
     ), locked AS (
       SELECT c.id, c.attributes, c.display_name, c.tags, c.account_id, c.merged_into, c.erased_at
         FROM customers c
        WHERE c.id IN (SELECT customer_id FROM owned UNION SELECT customer_id FROM linked UNION SELECT customer_id FROM sharer UNION SELECT customer_id FROM cand)
        ORDER BY c.id
        ${dryRun ? '' : 'FOR NO KEY UPDATE OF c'}
     )
     SELECT 'replay' AS kind, idempotency_key AS type, NULL::text AS value, customer_id AS id, created,
            resolution AS attributes, NULL::text AS display_name, NULL::text[] AS tags, NULL::uuid AS account_id,
            NULL::uuid AS merged_into, NULL::timestamptz AS erased_at, NULL::int AS n
       FROM replay
     UNION ALL SELECT 'owned', type, value, customer_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM owned
     UNION ALL SELECT 'linked', type, value, customer_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM linked
     UNION ALL SELECT 'shared', type, value, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, n FROM shared
     UNION ALL SELECT 'sharer', type, value, customer_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM sharer
     UNION ALL SELECT 'cand', key, NULL, customer_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM cand
     UNION ALL SELECT 'rare', key, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, n FROM rare
     UNION ALL SELECT 'size', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, n FROM size
     UNION ALL SELECT 'locked', NULL, NULL, id, NULL, attributes, display_name, tags, account_id, merged_into, erased_at, NULL FROM locked`,
    [
      dryRun ? [] : [...firstByKey.keys()],
      wanted.map((x) => x.type),
      wanted.map((x) => x.value),
      [...keys],
      config.fuzzy.maxCandidates ?? 64,
      // Only types with aliases have other forms to look for.
      wanted.map((x) => (ALIASED_TYPES.has(x.type) ? linkValue(x) : null)),
      [...rarityKeys],
      rarityLimit,
      commonShare,
      commonMany,
      exclude ?? null,
      MAX_SHARERS,
    ],
  );
  const owners = new Map<string, string>();
  // Per (type, match key): the customers holding some alias of it (owned rows), for linking.
  const linkOwners = new Map<string, Set<string>>();
  const addLinkOwner = (type: string, link: string, customerId: string) => addTo(linkOwners, identityKey(type, link), customerId);
  const sharedCount = new Map<string, number>();
  // Per (type, value): the customers holding it as a share.
  const sharers = new Map<string, Set<string>>();
  const candByKey = new Map<string, Set<string>>();
  // Per rarity key: the customers holding it, as counted, then as this batch changes them.
  const rarityCount = new Map<string, number>();
  let storeSize = 0;
  const locked: LockedCustomer[] = [];
  const ownerIds = new Set<string>();
  for (const row of found) {
    if (exclude !== undefined && row.id === exclude && row.kind !== 'replay') continue;
    if (row.kind === 'replay') {
      const i = firstByKey.get(row.type!)!;
      const resolution = (row.attributes as MatchDecision | null) ?? { kind: row.created ? 'new' : 'matched', score: 0, reasons: [] };
      results[i] = { customerId: row.id!, created: row.created!, ignoredIdentities: batch[i]!.ignored, conflicts: [], replayed: true, resolution };
    } else if (row.kind === 'owned') {
      owners.set(identityKey(row.type!, row.value!), row.id!);
      ownerIds.add(row.id!);
    } else if (row.kind === 'linked') {
      addLinkOwner(row.type!, row.value!, row.id!);
      ownerIds.add(row.id!);
    } else if (row.kind === 'shared') {
      sharedCount.set(identityKey(row.type!, row.value!), row.n!);
    } else if (row.kind === 'sharer') {
      addTo(sharers, identityKey(row.type!, row.value!), row.id!);
    } else if (row.kind === 'rare') {
      rarityCount.set(row.type!, row.n!);
    } else if (row.kind === 'size') {
      storeSize = row.n!;
    } else if (row.kind === 'cand') {
      addTo(candByKey, row.type!, row.id!);
    } else {
      locked.push({ ...(row as unknown as LockedCustomer), attributes: (row.attributes as AttributeMap) ?? {}, tags: row.tags ?? [] });
    }
  }
  const todo = [...firstByKey.values()].filter((i) => !results[i]);

  // 3. The customers found, following merges to the survivor (rare: merges re-point identities).
  const customers = new Map<string, CustomerState>();
  const redirect = new Map<string, string>();
  let rows: LockedCustomer[] = locked;
  for (let hop = 0; rows.length > 0 && hop < 5; hop++) {
    const next: string[] = [];
    for (const row of rows) {
      if (customers.has(row.id) || redirect.has(row.id)) continue;
      if (row.erased_at) {
        // An owner erased between our read and our lock: read again from the start. An erased
        // fuzzy candidate is simply no candidate.
        if (ownerIds.has(row.id)) throw new CustomerStoreError('identity_race', 'a customer was erased while the batch was resolving it');
        continue;
      }
      if (row.merged_into) {
        if (row.merged_into === exclude) continue; // a tombstone of the customer that is not there
        redirect.set(row.id, row.merged_into);
        if (!customers.has(row.merged_into) && !next.includes(row.merged_into)) next.push(row.merged_into);
        continue;
      }
      customers.set(row.id, {
        id: row.id,
        isNew: false,
        attributes: row.attributes ?? {},
        displayName: row.display_name,
        tags: row.tags ?? [],
        accountId: row.account_id,
        accountTouched: false,
        dirty: false,
        identities: [],
        shares: [],
        matchKeys: [],
        keysDirty: false,
      });
    }
    if (next.length === 0) break;
    rows = await q.query(
      `SELECT id, attributes, display_name, tags, account_id, merged_into, erased_at
         FROM customers WHERE id = ANY($1::uuid[]) ORDER BY id ${dryRun ? '' : 'FOR NO KEY UPDATE'}`,
      [next.sort()],
    );
    if (rows.length !== next.length) throw new CustomerStoreError('identity_race', 'a merge target disappeared while the batch was resolving it');
  }
  const live = (id: string): string => followed(redirect, id, 10);

  // 4. What the matcher compares, read under the row locks so limits count what is there now:
  // the customers' identities and blocking keys, and the pairs a human separated.
  const separated = new Set<string>();
  if (customers.size > 0) {
    const ids = [...customers.keys()];
    const [extra]: { idents: { c: string; t: string; v: string }[] | null; shares: { c: string; t: string; v: string }[] | null; mkeys: { c: string; k: string }[] | null; seps: { a: string; b: string }[] | null }[] =
      await q.query(
        `SELECT (SELECT json_agg(json_build_object('c', customer_id, 't', type, 'v', COALESCE(match_key, value))) FROM customer_identities WHERE customer_id = ANY($1::uuid[])) AS idents,
                (SELECT json_agg(json_build_object('c', customer_id, 't', type, 'v', value)) FROM customer_identity_shares WHERE customer_id = ANY($1::uuid[])) AS shares,
                (SELECT json_agg(json_build_object('c', customer_id, 'k', key)) FROM customer_match_keys WHERE customer_id = ANY($1::uuid[])) AS mkeys,
                (SELECT json_agg(json_build_object('a', customer_a, 'b', customer_b)) FROM customer_separations
                  WHERE customer_a = ANY($1::uuid[]) OR customer_b = ANY($1::uuid[])) AS seps`,
        [ids],
      );
    for (const r of extra?.idents ?? []) customers.get(r.c)?.identities.push({ type: r.t, value: r.v });
    for (const r of extra?.shares ?? []) customers.get(r.c)?.shares.push({ type: r.t, value: r.v });
    for (const r of extra?.mkeys ?? []) customers.get(r.c)?.matchKeys.push(r.k);
    for (const r of extra?.seps ?? []) separated.add(pairKey(r.a, r.b));
  }

  // 5. Resolve each input in batch order: a later input sees what an earlier one claimed.
  const identityWrites = new Map<string, IdentityWrite>();
  const shareWrites = new Map<string, ShareWrite>();
  const reviewWrites = new Map<string, ReviewWrite>();
  // Customers an input joins (another of its identifiers, agreeing), merged once the batch is written.
  const merges: { input: number; targetId: string; sourceId: string; reasons: MatchReason[] }[] = [];
  const events: EventWrite[] = [];
  // The customers holding a value to link by (its match key): owners of any alias of it, and shares.
  const holdersOf = (type: string, link: string): number => {
    const k = identityKey(type, link);
    const ids = new Set<string>();
    for (const c of linkOwners.get(k) ?? []) ids.add(live(c));
    const exact = owners.get(k);
    if (exact) ids.add(live(exact));
    return ids.size + (sharedCount.get(k) ?? 0);
  };
  const configured = new Set(config.identifiers.map((r) => r.type));
  const limits = new Map(config.identifiers.filter((r) => r.maxCustomersPerValue !== undefined).map((r) => [r.type, r.maxCustomersPerValue!]));
  for (const i of todo) {
    const p = batch[i]!;
    const prov = p.input.provenance;

    // A value held by too many customers (a shop's desk phone) stops linking: the record is
    // resolved as if it did not carry it (the value is still kept, as a share).
    const limitReasons: MatchReason[] = [];
    const linkable = p.identities.filter((id) => {
      const max = limits.get(id.type);
      const n = max === undefined ? 0 : holdersOf(id.type, linkValue(id));
      if (max === undefined || n < max) return true;
      limitReasons.push({ rule: `limit:${id.type}`, field: id.type, detail: `${id.type} ${id.value} is held by ${n} customers (limit ${max}): not used to link` });
      return false;
    });
    const record: MatchRecord = limitReasons.length ? { ...p.record, identities: linkable.map((i) => ({ type: i.type, value: linkValue(i) })) } : p.record;
    // Candidates: the customers holding the record's identities (or another alias of them);
    // with none, those sharing a blocking key.
    const holders = new Set<string>();
    for (const id of linkable) {
      const owner = owners.get(identityKey(id.type, id.value));
      if (owner && customers.has(live(owner))) holders.add(live(owner));
      for (const c of linkOwners.get(identityKey(id.type, linkValue(id))) ?? []) if (customers.has(live(c))) holders.add(live(c));
      for (const c of sharers.get(identityKey(id.type, id.value)) ?? []) if (customers.has(live(c))) holders.add(live(c));
    }
    let candidateIds = holders;
    if (holders.size === 0) {
      candidateIds = new Set();
      for (const k of p.matchKeys) for (const c of candByKey.get(k) ?? []) if (customers.has(live(c))) candidateIds.add(live(c));
    }
    const candidates: MatchRecord[] = [...candidateIds].map((id) => {
      const c = customers.get(id)!;
      return { id, identities: c.shares.length ? [...c.identities, ...c.shares] : c.identities, fields: candidateFields(c.attributes, c.identities, record, config) };
    });
    // The term frequency (rare bonus, common penalty): the customers holding the record's value
    // (its reading), this batch's included, among the store's customers.
    const valueCount = (field: string): number => {
      const k = p.rarityKeys.find((x) => rarityKeyField(x) === field);
      return k === undefined ? NaN : (rarityCount.get(k) ?? 0);
    };
    let decision = candidates.length > 0 ? decide(record, candidates, config, { customersPerValue: holdersOf, valueCount, population: storeSize }) : newDecision();
    if (limitReasons.length > 0) decision = { ...decision, reasons: [...limitReasons, ...decision.reasons] };
    if (p.byProfile) {
      const reason: MatchReason = { rule: 'profile', field: p.byProfile.field, detail: `no usable identity: resolved by name and ${p.byProfile.field} ${p.byProfile.value}` };
      decision = { ...decision, reasons: [reason, ...decision.reasons] };
    }
    if (decision.kind !== 'matched') {
      // Identity types the config does not rank still identify (lowest priority).
      for (const id of linkable) {
        if (configured.has(id.type)) continue;
        const owner = owners.get(identityKey(id.type, id.value));
        if (owner && customers.has(live(owner))) {
          decision = { kind: 'matched', targetId: live(owner), score: 1, reasons: [{ rule: `identifier:${id.type}`, field: id.type, detail: `${id.type} ${id.value} equal` }] };
          break;
        }
      }
    }

    let customerId: string;
    const created = decision.kind !== 'matched';
    if (!created) {
      customerId = decision.targetId!;
    } else {
      customerId = uuidv7(now.getTime());
      customers.set(customerId, {
        id: customerId,
        isNew: true,
        attributes: {},
        displayName: null,
        tags: [],
        accountId: null,
        accountTouched: false,
        dirty: true,
        identities: [],
        shares: [],
        matchKeys: [],
        keysDirty: true,
      });
    }
    const state = customers.get(customerId);
    if (!state) throw new CustomerStoreError('identity_race', `customer ${customerId} was not locked`);

    const addReview = (candidateId: string, score: number, reasons: MatchReason[]) => {
      if (candidateId === customerId) return false;
      const pk = pairKey(customerId, candidateId);
      if (separated.has(pk)) return false;
      if (!reviewWrites.has(pk) && reviewWrites.size < 10_000) {
        reviewWrites.set(pk, { id: uuidv7(now.getTime()), customer_id: customerId, candidate_id: candidateId, score, reasons });
      }
      return true;
    };
    const extraReasons: MatchReason[] = [];
    if (decision.kind === 'review') {
      for (const c of (decision.candidates ?? [{ id: decision.targetId!, score: decision.score, reasons: decision.reasons }]).slice(0, MAX_REVIEWS_PER_RECORD)) {
        addReview(c.id, c.score, c.reasons);
      }
    }

    const conflicts: IdentityConflict[] = [];
    for (const id of p.identities) {
      const k = identityKey(id.type, id.value);
      const owner = owners.get(k);
      const write: IdentityWrite = {
        customer_id: customerId,
        type: id.type,
        value: id.value,
        raw_value: id.raw,
        match_key: id.matchKey,
        source: prov.source,
        seen: p.observedAt,
        isNew: !owner,
        expectedOwner: owner ?? customerId,
      };
      if (!owner) {
        // Another alias of this mailbox held by another customer (linked elsewhere by a stronger
        // identifier): the value is this customer's as written, and the pair goes to review.
        if (decision.kind === 'matched') {
          for (const c of linkOwners.get(identityKey(id.type, linkValue(id))) ?? []) {
            const other = live(c);
            if (other === customerId || !customers.has(other)) continue;
            const reason: MatchReason = {
              rule: `conflict:${id.type}`,
              field: id.type,
              detail: `${id.type} ${id.value} is another form of ${linkValue(id)}, held by customer ${other}`,
            };
            const queued = addReview(other, 1, [reason, ...decision.reasons]);
            extraReasons.push(queued ? reason : { ...reason, detail: `${reason.detail} (the pair was separated by a human: no review)` });
          }
        }
        owners.set(k, customerId);
        addLinkOwner(id.type, linkValue(id), customerId);
        state.identities.push({ type: id.type, value: linkValue(id) });
        identityWrites.set(k, write);
      } else if (live(owner) === customerId) {
        const prev = identityWrites.get(k);
        if (!prev) identityWrites.set(k, write);
        else if (prev.seen < write.seen) prev.seen = write.seen;
      } else {
        const other = live(owner);
        // Already this customer's share (a family phone its owner and this customer both use; the
        // record may have been matched through it): nothing new to keep, and no review with the owner
        // (the share was kept when it first came, and its review queued then if there was reason to).
        if (state.shares.some((x) => x.type === id.type && x.value === id.value)) {
          conflicts.push({ type: id.type, value: id.value, customerId: other });
          const apart = separated.has(pairKey(customerId, other)) ? ' (the pair was separated by a human)' : '';
          extraReasons.push({ rule: `conflict:${id.type}`, field: id.type, detail: `${id.type} ${id.value} belongs to customer ${other}; this customer holds it as a share${apart}` });
          continue;
        }
        // The one customer holding it agrees with this record and with its customer: the record
        // is the bridge between two customers of one person, who are merged (undoably) once the
        // batch is written. Later inputs of the batch already see them as one.
        if (decision.kind === 'matched' && !separated.has(pairKey(customerId, other)) && holdersOf(id.type, linkValue(id)) === 1) {
          const o = customers.get(other)!;
          const veto = bridgeVeto(
            record,
            { id: customerId, identities: state.identities, fields: candidateFields(state.attributes, state.identities, record, config) },
            { id: other, identities: o.identities, fields: candidateFields(o.attributes, o.identities, record, config) },
            id.type,
            config,
          );
          if (!veto) {
            const reason: MatchReason = { rule: `merge:${id.type}`, field: id.type, detail: `${id.type} ${id.value} belongs to customer ${other}, which agrees: merged into this customer` };
            merges.push({ input: i, targetId: customerId, sourceId: other, reasons: [reason, ...decision.reasons] });
            extraReasons.push(reason);
            redirect.set(other, customerId);
            for (const x of o.identities) state.identities.push(x);
            continue;
          }
        }
        // Held by another customer: never stolen. Kept as a share of this one (every source
        // identifier is kept, and its holders counted), and the pair goes to review.
        conflicts.push({ type: id.type, value: id.value, customerId: other });
        const sk = `${k}\u0000${customerId}`;
        if (!shareWrites.has(sk)) {
          shareWrites.set(sk, { type: id.type, value: id.value, customer_id: customerId, raw_value: id.raw, source: prov.source, seen: p.observedAt });
          sharedCount.set(k, (sharedCount.get(k) ?? 0) + 1);
          // Later inputs of the batch find this customer through it, as the next batch will.
          state.shares.push({ type: id.type, value: id.value });
          addTo(sharers, k, customerId);
        }
        const reason: MatchReason = {
          rule: `conflict:${id.type}`,
          field: id.type,
          detail: `${id.type} ${id.value} belongs to customer ${other}; left there`,
        };
        if (decision.kind === 'matched') {
          const queued = addReview(other, 1, [reason, ...decision.reasons]);
          extraReasons.push(queued ? reason : { ...reason, detail: `${reason.detail} (the pair was separated by a human: no review)` });
        }
      }
    }
    if (extraReasons.length > 0) decision = { ...decision, reasons: [...decision.reasons, ...extraReasons] };

    const { attributes, changed } = mergeAttributes(state.attributes, p.input.attributes ?? {}, prov, p.observedAt, { survivorship: p.input.survivorship });
    if (changed.length > 0) {
      state.attributes = attributes;
      state.dirty = true;
      if (changed.some((f) => ACCOUNT_FIELDS.has(f))) state.accountTouched = true;
      const name = displayNameOf(attributes);
      if (name !== null) state.displayName = name;
      const nextKeys = matchKeysOf(customerFields(attributes), config);
      if (nextKeys.join('\u0001') !== [...state.matchKeys].sort().join('\u0001')) {
        for (const k of state.matchKeys) if (k.startsWith(RARITY_KEY_PREFIX) && !nextKeys.includes(k)) rarityCount.set(k, (rarityCount.get(k) ?? 1) - 1);
        for (const k of nextKeys) if (k.startsWith(RARITY_KEY_PREFIX) && !state.matchKeys.includes(k)) rarityCount.set(k, (rarityCount.get(k) ?? 0) + 1);
        state.matchKeys = nextKeys;
        state.keysDirty = true;
      }
    }
    if (state.keysDirty) {
      // Later inputs of this batch find it as a fuzzy candidate too.
      for (const k of state.matchKeys) addTo(candByKey, k, customerId);
    }
    const newTags = p.tags.filter((t) => !state.tags.includes(t));
    if (newTags.length > 0) {
      state.tags = [...state.tags, ...newTags];
      state.dirty = true;
    }
    // The customer was seen: its activity time moves even when no field changed.
    state.dirty = true;
    if (!state.lastInteractionAt || p.observedAt > state.lastInteractionAt) state.lastInteractionAt = p.observedAt;
    state.firstChannel ??= prov.source;

    events.push({
      customer_id: customerId,
      type: p.input.event?.type ?? DEFAULT_EVENT_TYPE,
      occurred_at: p.observedAt,
      payload: p.input.event?.payload ?? (changed.length > 0 ? { changed } : null),
      source: prov.source,
      flow_id: String(prov.flowId ?? ''),
      flow_version: Number(prov.flowVersion ?? 0),
      run_id: String(prov.runId ?? ''),
      node_id: String(prov.nodeId ?? ''),
      idempotency_key: p.input.idempotencyKey,
      created,
      resolution: decision,
    });
    results[i] = { customerId, created, ignoredIdentities: p.ignored, conflicts, replayed: false, resolution: decision };
  }

  const answer = (): StoreUpsertResult[] =>
    // Inputs repeating an idempotency key of this batch answer like the first one.
    batch.map((p, i) => {
      const own = results[i];
      if (own) return own;
      const first = results[firstByKey.get(p.input.idempotencyKey)!]!;
      return { ...first, ignoredIdentities: p.ignored, conflicts: [], replayed: true };
    });
  if (dryRun) return answer();

  // 6. Accounts for customers whose company changed.
  await linkAccounts(q, [...customers.values()].filter((c) => c.accountTouched), now);

  // 7. One statement writes the rest: claim and touch identities in (type, value) order,
  // insert the new customers, update the touched ones, append the timeline (a retried step
  // finds its event already there), keep shares, queue reviews, refresh blocking keys.
  // Foreign keys to customers are checked at commit.
  const writes = [...identityWrites.values()].sort((a, b) => cmp(a.type, b.type) || cmp(a.value, b.value));
  const fresh = [...customers.values()].filter((c) => c.isNew);
  const touched = [...customers.values()].filter((c) => !c.isNew && c.dirty).sort((a, b) => cmp(a.id, b.id));
  const rekeyed = [...customers.values()].filter((c) => c.keysDirty).sort((a, b) => cmp(a.id, b.id));
  events.sort((a, b) => cmp(a.idempotency_key, b.idempotency_key));
  const claimed: { type: string; value: string; customer_id: string; inserted: boolean }[] = await q.query(
    `WITH claimed AS (
       INSERT INTO customer_identities (customer_id, type, value, raw_value, match_key, source, first_seen, last_seen)
       SELECT r.customer_id, r.type, r.value, r.raw_value, r.match_key, r.source, r.seen, r.seen
         FROM jsonb_to_recordset($1::jsonb) AS r(customer_id uuid, type text, value text, raw_value text, match_key text, source text, seen timestamptz)
       ON CONFLICT (type, value) DO UPDATE SET last_seen = GREATEST(customer_identities.last_seen, excluded.last_seen)
       RETURNING type, value, customer_id, (xmax = 0) AS inserted
     ), created AS (
       INSERT INTO customers (id, display_name, attributes, tags, account_id, created_at, updated_at, last_interaction_at, first_channel)
       SELECT r.id, r.display_name, r.attributes, r.tags, r.account_id, $5::timestamptz, $5::timestamptz, r.last_interaction_at, r.first_channel
         FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, display_name text, attributes jsonb, tags text[], account_id uuid, last_interaction_at timestamptz, first_channel text)
     ), updated AS (
       UPDATE customers c
          SET display_name = r.display_name, attributes = r.attributes, tags = r.tags, account_id = r.account_id,
              updated_at = $5::timestamptz, version = c.version + 1,
              last_interaction_at = GREATEST(c.last_interaction_at, r.last_interaction_at),
              first_channel = COALESCE(c.first_channel, r.first_channel)
         FROM jsonb_to_recordset($3::jsonb) AS r(id uuid, display_name text, attributes jsonb, tags text[], account_id uuid, last_interaction_at timestamptz, first_channel text)
        WHERE c.id = r.id
     ), timeline AS (
       INSERT INTO customer_events (customer_id, type, occurred_at, payload, source, flow_id, flow_version, run_id, node_id, idempotency_key, created, resolution)
       SELECT r.customer_id, r.type, r.occurred_at, r.payload, r.source, r.flow_id, r.flow_version, r.run_id, r.node_id, r.idempotency_key, r.created, r.resolution
         FROM jsonb_to_recordset($4::jsonb) AS r(customer_id uuid, type text, occurred_at timestamptz, payload jsonb, source text,
              flow_id text, flow_version integer, run_id text, node_id text, idempotency_key text, created boolean, resolution jsonb)
       ON CONFLICT (idempotency_key) DO NOTHING
     ), shares AS (
       INSERT INTO customer_identity_shares (type, value, customer_id, raw_value, source, first_seen)
       SELECT r.type, r.value, r.customer_id, r.raw_value, r.source, r.seen
         FROM jsonb_to_recordset($6::jsonb) AS r(type text, value text, customer_id uuid, raw_value text, source text, seen timestamptz)
       ON CONFLICT (type, value, customer_id) DO NOTHING
     ), reviews AS (
       INSERT INTO match_reviews (id, customer_id, candidate_id, score, reasons, created_at)
       SELECT r.id, r.customer_id, r.candidate_id, r.score, r.reasons, $5::timestamptz
         FROM jsonb_to_recordset($7::jsonb) AS r(id uuid, customer_id uuid, candidate_id uuid, score double precision, reasons jsonb)
       ON CONFLICT DO NOTHING
     ), stale_keys AS (
       DELETE FROM customer_match_keys m
        USING jsonb_to_recordset($8::jsonb) AS r(customer_id uuid, keys text[])
        WHERE m.customer_id = r.customer_id AND NOT (m.key = ANY(r.keys))
     ), new_keys AS (
       INSERT INTO customer_match_keys (customer_id, key)
       SELECT r.customer_id, k FROM jsonb_to_recordset($8::jsonb) AS r(customer_id uuid, keys text[]) CROSS JOIN LATERAL unnest(r.keys) AS k
       ON CONFLICT DO NOTHING
     )
     SELECT type, value, customer_id, inserted FROM claimed`,
    [
      JSON.stringify(writes.map(({ isNew: _n, expectedOwner: _o, ...w }) => w)),
      JSON.stringify(fresh.map(customerRow)),
      JSON.stringify(touched.map(customerRow)),
      JSON.stringify(events),
      nowIso,
      JSON.stringify([...shareWrites.values()]),
      // In pair order, as customer.rematch writes them too: two writers of one pending pair never wait on each other in a cycle.
      JSON.stringify([...reviewWrites.entries()].sort(([a], [b]) => cmp(a, b)).map(([, r]) => r)),
      JSON.stringify(rekeyed.map((c) => ({ customer_id: c.id, keys: c.matchKeys }))),
    ],
  );
  const byKey = new Map(claimed.map((r) => [identityKey(r.type, r.value), r]));
  for (const w of writes) {
    const got = byKey.get(identityKey(w.type, w.value));
    // A writer outside the lock protocol claimed it first: roll back and resolve again.
    if (!got || got.customer_id !== w.expectedOwner || (w.isNew && !got.inserted)) {
      throw new CustomerStoreError('identity_race', `identity ${w.type} was claimed concurrently`);
    }
  }

  // 8. The merges inputs decided, in batch order, in this transaction: the same merge a person
  // makes (snapshot, audit, undo), by `system:resolution`. The merge needs the advisory locks of
  // every identity and key of both customers, and this transaction holds row locks: it takes them
  // without waiting, and a lock held elsewhere starts the batch again with it in the first pass
  // (waiting here could close a cycle with a merge that holds it and waits for our rows).
  const mergedInto = new Map<string, string>();
  for (const m of merges) {
    const target = followed(mergedInto, m.targetId, 50);
    const source = followed(mergedInto, m.sourceId, 50);
    if (target === source) continue;
    mergedInto.set(source, target);
    const merged = await runMerge(
      q,
      target,
      [source],
      { actor: 'system:resolution', reason: { idempotencyKey: batch[m.input]!.input.idempotencyKey, reasons: m.reasons } },
      now,
      config,
      'try',
    ).catch((err: unknown) => {
      for (const key of missedLockKeys(err)) options.lockHints?.add(key);
      throw err;
    });
    const result = results[m.input]!;
    result.merged = [...(result.merged ?? []), { customerId: source, mergeId: merged.mergeId }];
  }
  return answer();
}

function newDecision(): MatchDecision {
  return { kind: 'new', score: 0, reasons: [{ rule: 'new', detail: 'no identifier held by a customer and no fuzzy candidate' }] };
}

/** An unordered pair of customer ids. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

function customerRow(c: CustomerState) {
  return {
    id: c.id,
    display_name: c.displayName,
    attributes: c.attributes,
    tags: c.tags,
    account_id: c.accountId,
    last_interaction_at: c.lastInteractionAt ?? null,
    first_channel: c.firstChannel ?? null,
  };
}

/** Adds a value to a key's set in a map of sets. */
function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

/** Where a chain of merges leads from `id` (at most `maxHops` steps). */
function followed(next: ReadonlyMap<string, string>, id: string, maxHops: number): string {
  let cur = id;
  for (let i = 0; i < maxHops && next.has(cur); i++) cur = next.get(cur)!;
  return cur;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
