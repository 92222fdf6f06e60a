import type { DataSource, QueryRunner } from 'typeorm';
import { CustomerStoreError } from './customer-store.errors.js';
import type { CustomerSummary, ReviewItem, ReviewPage, ReviewQuery, ReviewStatus } from './customer-store.types.js';
import type { MatchReason } from './matching/index.js';
import { isUuid } from './util/uuid-v7.util.js';
import { decodeCursor, encodeCursor } from './util/keyset-cursor.util.js';
import { toCustomerSummary, type CustomerSummaryRow } from './customer-summary.mapper.js';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
const STATUSES = new Set<ReviewStatus>(['pending', 'merged', 'separated']);

interface ReviewRow {
  id: string;
  customer_id: string;
  candidate_id: string;
  score: number;
  reasons: MatchReason[];
  status: ReviewStatus;
  created_at: Date;
  decided_at: Date | null;
  decided_by: string | null;
  merge_id: string | null;
  cursor_us: string;
}

/** The review queue, oldest first, keyset-paginated on (created_at, id); each pair with both customers as they are now. */
export async function listReviews(ds: DataSource, query: ReviewQuery = {}): Promise<ReviewPage> {
  const status = (query.status ?? 'pending') as ReviewStatus;
  if (!STATUSES.has(status)) throw new CustomerStoreError('invalid_query', 'status must be pending, merged or separated');
  const limit = query.limit === undefined ? DEFAULT_LIMIT : Math.trunc(Number(query.limit));
  if (!Number.isFinite(limit) || limit < 1 || limit > MAX_LIMIT) throw new CustomerStoreError('invalid_query', `limit must be 1–${MAX_LIMIT}`);
  const rule = query.rule === undefined || query.rule === '' ? undefined : String(query.rule);
  if (rule !== undefined && (rule.length > 100 || !/^[a-z][a-z0-9_:.-]*$/.test(rule))) throw new CustomerStoreError('invalid_query', 'rule must be a rule name such as rematch, fuzzy or conflict:email');
  const order = query.order ?? 'oldest';
  if (order !== 'oldest' && order !== 'score') throw new CustomerStoreError('invalid_query', 'order must be oldest or score');
  const params: unknown[] = [status, limit + 1];
  const where = ['status = $1'];
  if (query.cursor && order === 'oldest') {
    const [us, id] = decodeCursor(query.cursor);
    params.push(us, id);
    where.push(`(created_at, id) > ('epoch'::timestamptz + $${params.length - 1}::bigint * interval '1 microsecond', $${params.length}::uuid)`);
  }
  if (query.cursor && order === 'score') {
    const { score, id } = decodeScoreCursor(query.cursor);
    params.push(score, id);
    where.push(`(score < $${params.length - 1}::double precision OR (score = $${params.length - 1}::double precision AND id > $${params.length}::uuid))`);
  }
  if (rule !== undefined) {
    params.push(JSON.stringify([{ rule }]));
    where.push(`reasons @> $${params.length}::jsonb`);
  }
  const rows: ReviewRow[] = await ds.query(
    `SELECT id, customer_id, candidate_id, score, reasons, status, created_at, decided_at, decided_by, merge_id,
            (extract(epoch FROM created_at) * 1000000)::bigint::text AS cursor_us
       FROM match_reviews
      WHERE ${where.join(' AND ')}
      ORDER BY ${order === 'score' ? 'score DESC, id' : 'created_at, id'}
      LIMIT $2`,
    params,
  );
  const page = rows.slice(0, limit);
  const summaries = await loadSummaries(ds, page.flatMap((r) => [r.customer_id, r.candidate_id]));
  const last = page[page.length - 1];
  return {
    items: page.map((r) => reviewItem(r, summaries)),
    nextCursor: rows.length > limit && last ? (order === 'score' ? encodeScoreCursor(last.score, last.id) : encodeCursor(last.cursor_us, last.id)) : null,
  };
}

export async function loadReview(q: DataSource | QueryRunner, id: string): Promise<ReviewItem | undefined> {
  if (!isUuid(id)) return undefined;
  const rows: ReviewRow[] = await q.query(
    `SELECT id, customer_id, candidate_id, score, reasons, status, created_at, decided_at, decided_by, merge_id, '' AS cursor_us
       FROM match_reviews WHERE id = $1`,
    [id],
  );
  if (!rows[0]) return undefined;
  return reviewItem(rows[0], await loadSummaries(q, [rows[0].customer_id, rows[0].candidate_id]));
}

function reviewItem(r: ReviewRow, summaries: Map<string, CustomerSummary>): ReviewItem {
  return {
    id: r.id,
    status: r.status,
    score: Number(r.score),
    reasons: r.reasons,
    customerId: summaries.get(r.customer_id)?.id ?? r.customer_id,
    candidateId: summaries.get(r.candidate_id)?.id ?? r.candidate_id,
    customer: summaries.get(r.customer_id) ?? null,
    candidate: summaries.get(r.candidate_id) ?? null,
    createdAt: r.created_at.toISOString(),
    decidedAt: r.decided_at ? r.decided_at.toISOString() : null,
    decidedBy: r.decided_by,
    mergeId: r.merge_id,
  };
}

/** Summaries keyed by the ids asked for; a merged id gets its survivor's summary. */
async function loadSummaries(q: DataSource | QueryRunner, ids: string[]): Promise<Map<string, CustomerSummary>> {
  const out = new Map<string, CustomerSummary>();
  if (ids.length === 0) return out;
  const rows: (CustomerSummaryRow & { asked: string })[] = await q.query(
    `WITH RECURSIVE chain AS (
       SELECT c.id AS asked, c.id, c.merged_into, 0 AS hop FROM customers c WHERE c.id = ANY($1::uuid[])
       UNION ALL
       SELECT chain.asked, c.id, c.merged_into, chain.hop + 1 FROM chain JOIN customers c ON c.id = chain.merged_into WHERE chain.hop < 1000
     )
     SELECT chain.asked, c.id, c.display_name, c.stage, c.score, c.tags, c.owner_id, c.account_id, c.created_at, c.updated_at,
            (SELECT json_agg(json_build_object('type', i.type, 'value', i.value) ORDER BY i.type, i.value)
               FROM customer_identities i WHERE i.customer_id = c.id) AS identities
       FROM chain JOIN customers c ON c.id = chain.id
      WHERE chain.merged_into IS NULL`,
    [[...new Set(ids)]],
  );
  for (const r of rows) out.set(r.asked, toCustomerSummary(r));
  return out;
}

/** Cursors of the score order: base64url of {"s": score, "id"}. */
function encodeScoreCursor(score: number, id: string): string {
  return Buffer.from(JSON.stringify({ s: score, id })).toString('base64url');
}

function decodeScoreCursor(cursor: string): { score: number; id: string } {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s?: unknown; id?: unknown };
    if (typeof v?.s === 'number' && Number.isFinite(v.s) && isUuid(v.id)) return { score: v.s, id: v.id as string };
  } catch {
    // fall through
  }
  throw new CustomerStoreError('invalid_cursor', 'cursor is not one this API returned for order=score');
}
