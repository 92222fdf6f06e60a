import type { CountryCode } from 'libphonenumber-js/core';
import type { DataSource } from 'typeorm';
import { CustomerStoreError } from './customer-store.errors.js';
import type { CustomerSearchPage, CustomerSearchQuery } from './customer-store.types.js';
import { isRejectedIdentity, normalizeIdentity, parseIdentityRef, type NormalizedIdentity } from './normalization/identity.normalizer.js';
import { decodeCursor, encodeCursor } from './util/keyset-cursor.util.js';
import { toCustomerSummary, type CustomerSummaryRow } from './customer-summary.mapper.js';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

interface SummaryRow extends CustomerSummaryRow {
  /** updated_at in microseconds since the epoch: a JS Date would drop the microseconds the keyset needs. */
  cursor_us: string;
}

/**
 * Live customers (not merged away, not erased), newest activity first, with keyset
 * pagination on (updated_at, id). Phone, e-mail and identity filters are normalized the
 * way the store keys identities, so any spelling of a number finds the customer.
 */
export async function searchCustomers(ds: DataSource, query: CustomerSearchQuery, defaultCountry: CountryCode = 'CN'): Promise<CustomerSearchPage> {
  const limit = clampLimit(query.limit);
  const where = ['c.merged_into IS NULL', 'c.erased_at IS NULL'];
  const params: unknown[] = [];
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  // The holders of a value or of another form of it (its match key: ab@gmail.com finds A.B+shop@gmail.com).
  const identityHolders = (id: NormalizedIdentity) => {
    const link = id.matchKey ?? id.value;
    const forms = link === id.value ? `value = ${param(id.value)}` : `value = ${param(id.value)} OR value = ${param(link)}`;
    return `SELECT customer_id FROM customer_identities WHERE type = ${param(id.type)} AND (${forms} OR (match_key = ${param(link)} AND match_key IS NOT NULL))`;
  };

  const exact: { type: string; raw: string }[] = [];
  if (query.phone !== undefined && query.phone !== '') exact.push({ type: 'phone', raw: query.phone });
  if (query.email !== undefined && query.email !== '') exact.push({ type: 'email', raw: query.email });
  if (query.identity !== undefined && query.identity !== '') {
    const ref = parseIdentityRef(query.identity);
    if (!ref) throw new CustomerStoreError('invalid_query', 'identity must be written type:value, e.g. wechat_unionid:oAbC123');
    exact.push({ type: ref.type, raw: ref.value });
  }
  for (const e of exact) {
    const id = normalizeIdentity(e.type, e.raw, defaultCountry);
    // A value the store would never key (junk, invalid) cannot identify anyone.
    if (isRejectedIdentity(id)) return { items: [], nextCursor: null };
    where.push(`c.id IN (${identityHolders(id)})`);
  }
  if (query.tag) where.push(`c.tags @> ARRAY[${param(query.tag)}]::text[]`);
  if (query.segment) where.push(`c.id IN (SELECT customer_id FROM segment_members WHERE segment_id = ${param(query.segment)})`);
  if (query.owner) where.push(`c.owner_id = ${param(query.owner)}`);
  const q = query.q?.trim();
  if (q) {
    // A name holding q holds each of its characters: that test has an index (ix_customers_name_chars),
    // the LIKE then checks the order. The identity alternatives are id lists, so that Postgres can OR
    // the three index lookups instead of reading every customer to test the OR row by row.
    const lowered = q.toLowerCase();
    const alternatives = [
      `(string_to_array(lower(c.display_name), NULL) @> ${param([...new Set(lowered)])}::text[] AND lower(c.display_name) LIKE ${param(`%${escapeLike(lowered)}%`)} ESCAPE '\\')`,
    ];
    for (const type of ['phone', 'email']) {
      const id = normalizeIdentity(type, q, defaultCountry);
      if (!isRejectedIdentity(id)) alternatives.push(`c.id = ANY(ARRAY(${identityHolders(id)}))`);
    }
    where.push(`(${alternatives.join(' OR ')})`);
  }
  if (query.cursor) {
    const [us, id] = decodeCursor(query.cursor);
    where.push(`(c.updated_at, c.id) < (timestamptz 'epoch' + ${param(us)}::bigint * interval '1 microsecond', ${param(id)}::uuid)`);
  }
  const rows: SummaryRow[] = await ds.query(
    `SELECT c.id, c.display_name, c.stage, c.score, c.tags, c.owner_id, c.account_id, c.created_at, c.updated_at,
            (extract(epoch FROM c.updated_at) * 1000000)::bigint::text AS cursor_us,
            (SELECT coalesce(json_agg(json_build_object('type', i.type, 'value', i.value)
                      ORDER BY CASE i.type WHEN 'phone' THEN 0 WHEN 'email' THEN 1 ELSE 2 END, i.type, i.first_seen), '[]'::json)
               FROM customer_identities i WHERE i.customer_id = c.id) AS identities
       FROM customers c
      WHERE ${where.join(' AND ')}
      ORDER BY c.updated_at DESC, c.id DESC
      LIMIT ${limit + 1}`,
    params,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toCustomerSummary),
    nextCursor: rows.length > limit && last ? encodeCursor(last.cursor_us, last.id) : null,
  };
}

export async function countCustomers(ds: DataSource): Promise<number> {
  const [row] = (await ds.query(`SELECT count(*)::int AS n FROM customers WHERE merged_into IS NULL AND erased_at IS NULL`)) as { n: number }[];
  return row?.n ?? 0;
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || limit === null || Number.isNaN(Number(limit))) return DEFAULT_LIMIT;
  return Math.max(1, Math.min(MAX_LIMIT, Math.trunc(Number(limit))));
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
