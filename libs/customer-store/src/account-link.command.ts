import type { QueryRunner } from 'typeorm';
import type { AttributeMap } from './customer-store.types.js';
import { normalizeCompanyName } from './normalization/company-name.normalizer.js';
import { normalizeCreditCode } from './normalization/credit-code.normalizer.js';
import { sortedLockKeys } from './util/lock-key.util.js';
import { uuidv7 } from './util/uuid-v7.util.js';

/** The attribute naming a customer's company. */
export const COMPANY_FIELD = 'company';
/** Attributes that may carry the company's 统一社会信用代码, first found wins. */
export const CREDIT_CODE_FIELDS = ['credit_code', 'creditCode', 'uscc', 'unified_social_credit_code', '统一社会信用代码', '信用代码'];
/** The attribute naming the company's industry, kept on the account when it has none. */
export const INDUSTRY_FIELD = 'industry';
/** A change to any of these links the customer to its account again. */
export const ACCOUNT_FIELDS = new Set([COMPANY_FIELD, INDUSTRY_FIELD, ...CREDIT_CODE_FIELDS]);

/** What linkAccounts needs of a customer, and sets. */
export interface AccountHolder {
  attributes: AttributeMap;
  accountId: string | null;
}

interface Wanted {
  code?: string;
  nameKey?: string;
  name: string;
  city: string | null;
  industry: string | null;
  holders: AccountHolder[];
}

function text(attributes: AttributeMap, field: string): string | null {
  const v = attributes[field]?.value;
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

/** The valid credit code among the customer's attributes, if any. */
export function creditCodeOf(attributes: AttributeMap): string | undefined {
  for (const f of CREDIT_CODE_FIELDS) {
    const r = normalizeCreditCode(attributes[f]?.value);
    if ('code' in r) return r.code;
  }
  return undefined;
}

/** The advisory-lock names of the accounts an input may create (its company's name key, its credit code). */
export function accountLockNames(attributes: Record<string, unknown> | undefined): string[] {
  if (!attributes) return [];
  const out: string[] = [];
  const nameKey = normalizeCompanyName(attributes[COMPANY_FIELD]);
  if (nameKey) out.push(`a\u0000${nameKey}`);
  for (const f of CREDIT_CODE_FIELDS) {
    const r = normalizeCreditCode(attributes[f]);
    if ('code' in r) {
      out.push(`a\u0000code:${r.code}`);
      break;
    }
  }
  return out;
}

/**
 * Links customers to their company's account in the caller's transaction, creating accounts
 * as needed. The 统一社会信用代码, when a customer has a valid one, is the account's key; else
 * the normalized company name (ABC科技 = ABC科技有限公司 = 北京ABC科技有限公司). An account
 * known only by name takes the first code it is seen with. The caller holds the advisory locks
 * of accountLockNames for its inputs, so two batches naming one new company create one account;
 * a code arriving without them (already stored on the customer) is kept unique by the
 * constraint, and the account created meanwhile is used.
 */
export async function linkAccounts(q: QueryRunner, holders: AccountHolder[], now: Date): Promise<void> {
  const wanted = new Map<string, Wanted>();
  for (const h of holders) {
    const name = text(h.attributes, COMPANY_FIELD);
    const nameKey = normalizeCompanyName(name) ?? undefined;
    const code = creditCodeOf(h.attributes);
    if (!nameKey && !code) continue;
    const key = code ? `code:${code}` : `name:${nameKey}`;
    const w = wanted.get(key) ?? { code, nameKey, name: name ?? code!, city: text(h.attributes, 'city'), industry: text(h.attributes, INDUSTRY_FIELD), holders: [] };
    w.holders.push(h);
    wanted.set(key, w);
  }
  if (wanted.size === 0) return;
  const all = [...wanted.values()];
  const codes = all.flatMap((w) => (w.code ? [w.code] : []));
  const names = [...new Set(all.flatMap((w) => (w.nameKey ? [w.nameKey] : [])))];
  const [found]: { by_code: { id: string; credit_code: string }[] | null; by_name: { id: string; normalized_name: string; credit_code: string | null }[] | null }[] = await q.query(
    `SELECT (SELECT json_agg(json_build_object('id', id, 'credit_code', credit_code)) FROM accounts WHERE credit_code = ANY($1::text[])) AS by_code,
            (SELECT json_agg(a) FROM (SELECT DISTINCT ON (normalized_name) id, normalized_name, credit_code FROM accounts
                                      WHERE normalized_name = ANY($2::text[])
                                      ORDER BY normalized_name, (credit_code IS NULL) DESC, created_at, id) a) AS by_name`,
    [codes, names],
  );
  const byCode = new Map((found?.by_code ?? []).map((r) => [r.credit_code, r.id]));
  // Per name, preferably an account without a code (one a code may still claim), else the oldest.
  const byName = new Map((found?.by_name ?? []).map((r) => [r.normalized_name, r]));
  const claimed = new Set<string>();
  const fresh: { id: string; name: string; normalized_name: string; credit_code: string | null; city: string | null; industry: string | null }[] = [];
  const adopt: { id: string; credit_code: string }[] = [];
  for (const w of all) {
    let id: string | undefined;
    if (w.code) {
      id = byCode.get(w.code);
      const named = w.nameKey ? byName.get(w.nameKey) : undefined;
      if (!id && named && named.credit_code === null && !claimed.has(named.id)) {
        // The company known so far by its name alone: this is its code.
        id = named.id;
        claimed.add(id);
        adopt.push({ id, credit_code: w.code });
      }
    } else if (w.nameKey) {
      id = byName.get(w.nameKey)?.id;
    }
    if (!id) {
      id = uuidv7(now.getTime());
      fresh.push({ id, name: w.name, normalized_name: w.nameKey ?? '', credit_code: w.code ?? null, city: w.city, industry: w.industry });
      if (w.code) byCode.set(w.code, id);
      // A later input of this batch naming the company without its code finds this account too.
      if (w.nameKey && !byName.has(w.nameKey)) byName.set(w.nameKey, { id, normalized_name: w.nameKey, credit_code: w.code ?? null });
      if (w.code) claimed.add(id);
    }
    for (const h of w.holders) h.accountId = id;
  }
  if (fresh.length > 0) {
    const inserted: { id: string }[] = await q.query(
      `INSERT INTO accounts (id, name, normalized_name, credit_code, city, industry)
       SELECT r.id, r.name, r.normalized_name, r.credit_code, r.city, r.industry
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, name text, normalized_name text, credit_code text, city text, industry text)
       ON CONFLICT (credit_code) DO NOTHING
       RETURNING id`,
      [JSON.stringify(fresh)],
    );
    const made = new Set(inserted.map((r) => r.id));
    const lost = fresh.filter((f) => !made.has(f.id));
    if (lost.length > 0) {
      const rows: { id: string; credit_code: string }[] = await q.query(`SELECT id, credit_code FROM accounts WHERE credit_code = ANY($1::text[])`, [lost.map((f) => f.credit_code)]);
      const winner = new Map(rows.map((r) => [r.credit_code, r.id]));
      const moved = new Map(lost.map((f) => [f.id, winner.get(f.credit_code!)!]));
      for (const w of all) for (const h of w.holders) if (h.accountId && moved.has(h.accountId)) h.accountId = moved.get(h.accountId)!;
    }
  }
  if (adopt.length > 0) {
    await q.query(
      `UPDATE accounts a SET credit_code = r.credit_code, updated_at = now() FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, credit_code text) WHERE a.id = r.id AND a.credit_code IS NULL`,
      [JSON.stringify(adopt)],
    );
  }
  // An account created from a code alone (normalized_name '') takes the first company name seen with it.
  const named = all.flatMap((w) => (w.code && w.nameKey ? [{ id: w.holders[0]!.accountId, name: w.name, normalized_name: w.nameKey }] : []));
  if (named.length > 0) {
    await q.query(
      `UPDATE accounts a SET name = r.name, normalized_name = r.normalized_name, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, name text, normalized_name text) WHERE a.id = r.id AND a.normalized_name = ''`,
      [JSON.stringify(named)],
    );
  }
  // An industry learnt from a customer fills an account that had none.
  const industries = all.flatMap((w) => (w.industry && w.holders[0]!.accountId ? [{ id: w.holders[0]!.accountId, industry: w.industry }] : []));
  if (industries.length > 0) {
    await q.query(
      `UPDATE accounts a SET industry = r.industry, updated_at = now() FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, industry text) WHERE a.id = r.id AND a.industry IS NULL`,
      [JSON.stringify(industries)],
    );
  }
}
