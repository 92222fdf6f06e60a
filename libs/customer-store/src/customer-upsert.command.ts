import type { CountryCode } from 'libphonenumber-js/core';
import type { QueryRunner } from 'typeorm';
import { mergeAttributes } from './attribute-merge.util.js';
import { CustomerStoreError } from './customer-store.errors.js';
import type { AttributeMap, IdentityConflict, IgnoredIdentity, StoreUpsertInput, StoreUpsertResult } from './customer-store.types.js';
import { identityKey, orderIdentities } from './identity-priority.util.js';
import { normalizeCompanyName } from './normalization/company-name.normalizer.js';
import { isRejectedIdentity, normalizeIdentity, type NormalizedIdentity } from './normalization/identity.normalizer.js';
import { sortedLockKeys } from './util/lock-key.util.js';
import { uuidv7 } from './util/uuid-v7.util.js';

/** An upsert input validated and normalized, ready to be batched. */
export interface PreparedUpsert {
  input: StoreUpsertInput;
  /** Usable identities, deduplicated, key identity first. */
  identities: NormalizedIdentity[];
  ignored: IgnoredIdentity[];
  /** When the data was observed: the event's time, else the time of the call. ISO 8601 UTC. */
  observedAt: string;
  tags: string[];
}

/** Attribute fields that also feed columns of their own. */
const NAME_FIELDS = ['name', 'displayName', 'fullName', 'nickname'];
const COMPANY_FIELD = 'company';
const MAX_IDEMPOTENCY_KEY = 512;
// One person does not have hundreds of phones: such an input is a list pasted into one record.
const MAX_IDENTITIES = 50;
const DEFAULT_EVENT_TYPE = 'profile_updated';

/**
 * Validates and normalizes one input without touching the database, so that a batch only
 * ever holds inputs that can be written. Throws CustomerStoreError (invalid_input,
 * no_usable_identity) otherwise.
 */
export function prepareUpsert(input: StoreUpsertInput, now: Date, defaultCountry: CountryCode = 'CN'): PreparedUpsert {
  if (!input || typeof input !== 'object') throw new CustomerStoreError('invalid_input', 'an upsert input must be an object');
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
  if (input.identities.length > MAX_IDENTITIES) {
    throw new CustomerStoreError('invalid_input', `at most ${MAX_IDENTITIES} identities per input`, { idempotencyKey: key });
  }

  let observedAt = now.toISOString();
  if (input.event?.occurredAt !== undefined) {
    const t = Date.parse(input.event.occurredAt);
    if (Number.isNaN(t)) {
      throw new CustomerStoreError('invalid_input', `event.occurredAt is not a date: ${String(input.event.occurredAt)}`, { idempotencyKey: key });
    }
    observedAt = new Date(t).toISOString();
  }
  if (input.event && (typeof input.event.type !== 'string' || !input.event.type)) {
    throw new CustomerStoreError('invalid_input', 'event.type is required', { idempotencyKey: key });
  }

  const usable: NormalizedIdentity[] = [];
  const ignored: IgnoredIdentity[] = [];
  for (const id of input.identities) {
    const r = normalizeIdentity(String(id?.type ?? ''), id?.value, defaultCountry);
    if (isRejectedIdentity(r)) ignored.push({ type: r.type, value: r.raw, reason: r.reason });
    else usable.push(r);
  }
  if (usable.length === 0) {
    throw new CustomerStoreError('no_usable_identity', 'no usable identity: every identity value is empty, junk or invalid', {
      idempotencyKey: key,
      ignoredIdentities: ignored,
    });
  }
  const tags = [...new Set((input.tags ?? []).filter((t) => typeof t === 'string').map((t) => t.trim()).filter((t) => t && t.length <= 100))];
  return { input, identities: orderIdentities(usable), ignored, observedAt, tags };
}

interface CustomerState {
  id: string;
  isNew: boolean;
  attributes: AttributeMap;
  displayName: string | null;
  tags: string[];
  accountId: string | null;
  /** Set when an input of this batch wrote the company attribute: the account may follow. */
  companyTouched: boolean;
  dirty: boolean;
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
}

interface FoundRow {
  kind: 'replay' | 'owned';
  /** The idempotency key of a replay, the identity type of an owned row. */
  type: string;
  value: string | null;
  id: string;
  created: boolean | null;
  attributes: AttributeMap;
  display_name: string | null;
  tags: string[];
  account_id: string | null;
  merged_into: string | null;
  erased_at: Date | null;
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
 * Writes a batch of prepared upserts in one transaction, which it begins itself (the
 * caller commits), in four round trips however big the batch: BEGIN with the advisory
 * locks, one read, one write, COMMIT (plus one or two when a company names an account).
 * Locks are taken in the same order by every writer so none deadlock: advisory locks on
 * every identity, company and idempotency key (ascending), then the customers' rows
 * (ascending id). Identities are claimed with INSERT … ON CONFLICT (type, value) with
 * customer ids generated beforehand: that unique key is what finally guarantees one
 * customer per identity, even against a writer that skips the advisory locks.
 */
export async function runUpsertBatch(q: QueryRunner, batch: PreparedUpsert[], now: Date): Promise<StoreUpsertResult[]> {
  const nowIso = now.toISOString();
  const results: (StoreUpsertResult | undefined)[] = new Array(batch.length);

  // 1. The transaction and its advisory locks, one ascending pass, in one round trip. The
  // keys are numbers we computed, so the simple protocol (which allows two statements) is safe.
  const lockNames: string[] = [];
  for (const p of batch) {
    lockNames.push(`e\u0000${p.input.idempotencyKey}`);
    for (const id of p.identities) lockNames.push(`i\u0000${identityKey(id.type, id.value)}`);
    const company = companyKeyOf(p.input.attributes);
    if (company) lockNames.push(`a\u0000${company}`);
  }
  await q.query(`BEGIN; SELECT pg_advisory_xact_lock(k) FROM unnest('{${sortedLockKeys(lockNames).join(',')}}'::bigint[]) AS k`);

  // 2. Replays (an earlier attempt already wrote these), and the customers that already own
  // the batch's identities, row-locked in ascending id order.
  const firstByKey = new Map<string, number>();
  batch.forEach((p, i) => {
    if (!firstByKey.has(p.input.idempotencyKey)) firstByKey.set(p.input.idempotencyKey, i);
  });
  const lookup = new Map<string, NormalizedIdentity>();
  for (const i of firstByKey.values()) for (const id of batch[i]!.identities) lookup.set(identityKey(id.type, id.value), id);
  const wanted = [...lookup.values()];
  const found: FoundRow[] = await q.query(
    `WITH replay AS (
       SELECT e.idempotency_key, COALESCE(c.merged_into, e.customer_id) AS customer_id, e.created
         FROM customer_events e JOIN customers c ON c.id = e.customer_id
        WHERE e.idempotency_key = ANY($1::text[])
     ), owned AS (
       SELECT i.type, i.value, c.id, c.attributes, c.display_name, c.tags, c.account_id, c.merged_into, c.erased_at
         FROM customer_identities i
         JOIN unnest($2::text[], $3::text[]) AS w(type, value) ON i.type = w.type AND i.value = w.value
         JOIN customers c ON c.id = i.customer_id
        ORDER BY c.id
          FOR UPDATE OF c
     )
     SELECT 'replay' AS kind, idempotency_key AS type, NULL::text AS value, customer_id AS id, created,
            NULL::jsonb AS attributes, NULL::text AS display_name, NULL::text[] AS tags, NULL::uuid AS account_id,
            NULL::uuid AS merged_into, NULL::timestamptz AS erased_at
       FROM replay
     UNION ALL
     SELECT 'owned', type, value, id, NULL, attributes, display_name, tags, account_id, merged_into, erased_at FROM owned`,
    [[...firstByKey.keys()], wanted.map((x) => x.type), wanted.map((x) => x.value)],
  );
  const owners = new Map<string, string>();
  const locked: LockedCustomer[] = [];
  for (const row of found) {
    if (row.kind === 'replay') {
      const i = firstByKey.get(row.type)!;
      results[i] = { customerId: row.id, created: row.created!, ignoredIdentities: batch[i]!.ignored, conflicts: [], replayed: true };
    } else {
      owners.set(identityKey(row.type, row.value!), row.id);
      locked.push(row as LockedCustomer);
    }
  }
  const todo = [...firstByKey.values()].filter((i) => !results[i]);

  // 3. The customers found, following merges to the survivor (rare: merges re-point identities).
  const customers = new Map<string, CustomerState>();
  const redirect = new Map<string, string>();
  let rows: LockedCustomer[] = locked;
  for (let hop = 0; rows.length > 0 && hop < 5; hop++) {
    if (rows.some((r) => r.erased_at)) {
      // Erased between our read and our lock: read again from the start.
      throw new CustomerStoreError('identity_race', 'a customer was erased while the batch was resolving it');
    }
    const next: string[] = [];
    for (const row of rows) {
      if (customers.has(row.id) || redirect.has(row.id)) continue;
      if (row.merged_into) {
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
        companyTouched: false,
        dirty: false,
      });
    }
    if (next.length === 0) break;
    rows = await q.query(
      `SELECT id, attributes, display_name, tags, account_id, merged_into, erased_at
         FROM customers WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [next.sort()],
    );
    if (rows.length !== next.length) throw new CustomerStoreError('identity_race', 'a merge target disappeared while the batch was resolving it');
  }
  const live = (id: string): string => {
    let cur = id;
    for (let i = 0; i < 10 && redirect.has(cur); i++) cur = redirect.get(cur)!;
    return cur;
  };

  // 5. Resolve each input in batch order: a later input sees what an earlier one claimed.
  const identityWrites = new Map<string, IdentityWrite>();
  const events: EventWrite[] = [];
  for (const i of todo) {
    const p = batch[i]!;
    const prov = p.input.provenance;
    let customerId: string | undefined;
    for (const id of p.identities) {
      const owner = owners.get(identityKey(id.type, id.value));
      if (owner) {
        customerId = live(owner);
        break;
      }
    }
    const created = customerId === undefined;
    if (customerId === undefined) {
      customerId = uuidv7(now.getTime());
      customers.set(customerId, {
        id: customerId,
        isNew: true,
        attributes: {},
        displayName: null,
        tags: [],
        accountId: null,
        companyTouched: false,
        dirty: true,
      });
    }
    const state = customers.get(customerId);
    if (!state) throw new CustomerStoreError('identity_race', `customer ${customerId} was not locked`);

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
        owners.set(k, customerId);
        identityWrites.set(k, write);
      } else if (live(owner) === customerId) {
        const prev = identityWrites.get(k);
        if (!prev) identityWrites.set(k, write);
        else if (prev.seen < write.seen) prev.seen = write.seen;
      } else {
        conflicts.push({ type: id.type, value: id.value, customerId: live(owner) });
      }
    }

    const { attributes, changed } = mergeAttributes(state.attributes, p.input.attributes ?? {}, prov, p.observedAt);
    if (changed.length > 0) {
      state.attributes = attributes;
      state.dirty = true;
      if (changed.includes(COMPANY_FIELD)) state.companyTouched = true;
      const name = displayNameOf(attributes);
      if (name !== null) state.displayName = name;
    }
    const newTags = p.tags.filter((t) => !state.tags.includes(t));
    if (newTags.length > 0) {
      state.tags = [...state.tags, ...newTags];
      state.dirty = true;
    }
    // The customer was seen: its activity time moves even when no field changed.
    state.dirty = true;

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
    });
    results[i] = { customerId, created, ignoredIdentities: p.ignored, conflicts, replayed: false };
  }

  // 6. Accounts for customers whose company changed.
  await linkAccounts(q, [...customers.values()].filter((c) => c.companyTouched), now);

  // 7. One statement writes the rest: claim and touch identities in (type, value) order,
  // insert the new customers, update the touched ones, append the timeline (a retried step
  // finds its event already there). Foreign keys to customers are checked at commit.
  const writes = [...identityWrites.values()].sort((a, b) => cmp(a.type, b.type) || cmp(a.value, b.value));
  const fresh = [...customers.values()].filter((c) => c.isNew);
  const touched = [...customers.values()].filter((c) => !c.isNew && c.dirty).sort((a, b) => cmp(a.id, b.id));
  events.sort((a, b) => cmp(a.idempotency_key, b.idempotency_key));
  const claimed: { type: string; value: string; customer_id: string; inserted: boolean }[] = await q.query(
    `WITH claimed AS (
       INSERT INTO customer_identities (customer_id, type, value, raw_value, match_key, source, first_seen, last_seen)
       SELECT r.customer_id, r.type, r.value, r.raw_value, r.match_key, r.source, r.seen, r.seen
         FROM jsonb_to_recordset($1::jsonb) AS r(customer_id uuid, type text, value text, raw_value text, match_key text, source text, seen timestamptz)
       ON CONFLICT (type, value) DO UPDATE SET last_seen = GREATEST(customer_identities.last_seen, excluded.last_seen)
       RETURNING type, value, customer_id, (xmax = 0) AS inserted
     ), created AS (
       INSERT INTO customers (id, display_name, attributes, tags, account_id, created_at, updated_at)
       SELECT r.id, r.display_name, r.attributes, r.tags, r.account_id, $5::timestamptz, $5::timestamptz
         FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, display_name text, attributes jsonb, tags text[], account_id uuid)
     ), updated AS (
       UPDATE customers c
          SET display_name = r.display_name, attributes = r.attributes, tags = r.tags, account_id = r.account_id,
              updated_at = $5::timestamptz, version = c.version + 1
         FROM jsonb_to_recordset($3::jsonb) AS r(id uuid, display_name text, attributes jsonb, tags text[], account_id uuid)
        WHERE c.id = r.id
     ), timeline AS (
       INSERT INTO customer_events (customer_id, type, occurred_at, payload, source, flow_id, flow_version, run_id, node_id, idempotency_key, created)
       SELECT r.customer_id, r.type, r.occurred_at, r.payload, r.source, r.flow_id, r.flow_version, r.run_id, r.node_id, r.idempotency_key, r.created
         FROM jsonb_to_recordset($4::jsonb) AS r(customer_id uuid, type text, occurred_at timestamptz, payload jsonb, source text,
              flow_id text, flow_version integer, run_id text, node_id text, idempotency_key text, created boolean)
       ON CONFLICT (idempotency_key) DO NOTHING
     )
     SELECT type, value, customer_id, inserted FROM claimed`,
    [
      JSON.stringify(writes.map(({ isNew: _n, expectedOwner: _o, ...w }) => w)),
      JSON.stringify(fresh.map(customerRow)),
      JSON.stringify(touched.map(customerRow)),
      JSON.stringify(events),
      nowIso,
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

  // Inputs repeating an idempotency key of this batch answer like the first one.
  return batch.map((p, i) => {
    const own = results[i];
    if (own) return own;
    const first = results[firstByKey.get(p.input.idempotencyKey)!]!;
    return { ...first, ignoredIdentities: p.ignored, conflicts: [], replayed: true };
  });
}

async function linkAccounts(q: QueryRunner, states: CustomerState[], now: Date): Promise<void> {
  const wanted = new Map<string, { name: string; city: string | null; states: CustomerState[] }>();
  for (const s of states) {
    const name = s.attributes[COMPANY_FIELD]?.value;
    const key = normalizeCompanyName(name);
    if (!key || typeof name !== 'string') continue;
    const city = s.attributes['city']?.value;
    const w = wanted.get(key) ?? { name: name.trim(), city: typeof city === 'string' ? city.trim() : null, states: [] };
    w.states.push(s);
    wanted.set(key, w);
  }
  if (wanted.size === 0) return;
  const found: { id: string; normalized_name: string }[] = await q.query(
    `SELECT DISTINCT ON (normalized_name) id, normalized_name FROM accounts
      WHERE normalized_name = ANY($1::text[]) ORDER BY normalized_name, created_at, id`,
    [[...wanted.keys()]],
  );
  const ids = new Map(found.map((r) => [r.normalized_name, r.id]));
  const missing = [...wanted.entries()].filter(([key]) => !ids.has(key)).map(([key, w]) => ({ id: uuidv7(now.getTime()), name: w.name, normalized_name: key, city: w.city }));
  if (missing.length > 0) {
    await q.query(
      `INSERT INTO accounts (id, name, normalized_name, city)
       SELECT r.id, r.name, r.normalized_name, r.city FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, name text, normalized_name text, city text)`,
      [JSON.stringify(missing)],
    );
    for (const m of missing) ids.set(m.normalized_name, m.id);
  }
  for (const [key, w] of wanted) for (const s of w.states) s.accountId = ids.get(key)!;
}

function customerRow(c: CustomerState) {
  return { id: c.id, display_name: c.displayName, attributes: c.attributes, tags: c.tags, account_id: c.accountId };
}

function displayNameOf(attributes: AttributeMap): string | null {
  for (const field of NAME_FIELDS) {
    const v = attributes[field]?.value;
    if (typeof v === 'string' && v.trim()) return v.trim().slice(0, 200);
  }
  return null;
}

function companyKeyOf(attributes: Record<string, unknown> | undefined): string | undefined {
  return attributes ? normalizeCompanyName(attributes[COMPANY_FIELD]) : undefined;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
