import { getHeapStatistics } from 'node:v8';
import type { RematchProgress } from '@tributary/engine';
import type { CountryCode } from 'libphonenumber-js';
import type { DataSource, QueryRunner } from 'typeorm';
import { attributeValues } from './attribute-merge.util.js';
import { followMerges, runMerge } from './customer-merge.command.js';
import { CustomerStoreError } from './customer-store.errors.js';
import type { AttributeMap, MergeResult } from './customer-store.types.js';
import { BatchMatcher, DEFAULT_MATCH_CONFIG, identityFuzzyFields, type MatchConfig, type MatchDecision, type MatchReason } from './matching/index.js';
import { customerFields } from './record-fields.util.js';
import { MAX_IDENTITIES, pairKey, prepareUpsert, runUpsertBatch } from './customer-upsert.command.js';
import { inTransaction } from './util/transaction.util.js';
import { MAX_UUID, NIL_UUID, usTimestamp } from './util/keyset.util.js';
import { lockKey } from './util/lock-key.util.js';
import { uuidv7 } from './util/uuid-v7.util.js';

// Live customers read per statement (keyset on id).
const PAGE = 5_000;
// Review items written per statement.
const REVIEW_CHUNK = 500;
// Changed customers read per statement, and resolved a few at a time (each a read-only transaction,
// on a connection held for the run: at most RESOLVERS, and three fewer than the pool has).
const CHANGED_PAGE = 500;
const RESOLVERS = 2;
// `changed` looks this far behind its watermark again: a transaction that stamped updated_at
// before the last run started but committed after it read, and workers' clocks a little apart.
const SETTLE_MS = 5 * 60_000;
// Review items one changed customer may raise, as one delivery may.
const MAX_REVIEWS_PER_CUSTOMER = 3;
// What `all` holds per customer, at its peak (the batch matcher's records, blocking keys and
// clusters, the page being read, the garbage not yet collected): about 1 KB measured retained,
// 1.7 KB at the peak, 2.6 KB of process memory in the bench at a million customers.
const ALL_BYTES_PER_CUSTOMER = 2_000;
// The share of what the heap can still grow by that `all` may take: the worker runs other flows
// beside it.
const ALL_HEAP_SHARE = 0.6;

export interface RematchRequest {
  /**
   * `all` (default): every live customer compared with every other by the batch matcher, which
   * holds them all in memory (about 2 KB per customer); a store larger than the process can hold
   * is resolved a page at a time instead (see RematchSummary.paged). `changed`: only the customers
   * changed since this `key`'s last completed run, each resolved against the store the way a
   * delivery is (its blocking keys' candidates, the store's name counts), a page at a time; its
   * first run, with no watermark yet, compares them all as `all` does.
   */
  scope?: 'all' | 'changed';
  /** Whose watermark `changed` reads and moves (the node: `flowId/nodeId`). Required for `changed`. */
  key?: string;
  /**
   * `confident` (default): a link the rules make by a fuzzy score at or above the merge
   * threshold merges the two customers; every other link (an identifier two customers hold, a
   * rare name, cluster-level evidence) queues a review. `none`: every link queues a review.
   */
  merge?: 'confident' | 'none';
  /** Who the merges and reviews are by, in the audit log (default `system:rematch`). */
  actor?: string;
  /** Merges listed in the summary at most (all are counted). Default 100. */
  maxListed?: number;
  /** Compute and count, change nothing. */
  dryRun?: boolean;
  signal?: AbortSignal;
  /**
   * Called after each page a paged run (scope `changed`, or `all` beyond its memory) has applied
   * and checkpointed, with the counts so far: a long run can say how far it is.
   */
  onPage?: (progress: RematchProgress) => void | Promise<void>;
}

export type { RematchProgress };

export interface RematchSummary extends RematchProgress {
  /** The scope run: `changed` asked for without a watermark yet runs `all`. */
  scope: 'all' | 'changed';
  /** For `changed`: customers changed at or after this time were compared (a settling margin before the watermark). */
  changedSince?: string;
  /** Another run of the same key was under way: this one did nothing. */
  alreadyRunning?: true;
  /**
   * Scope `all` over more customers than this process can hold: each live customer was resolved
   * the way a delivery is, against every other, a page at a time (as `changed` does over the
   * whole store), instead of the batch matcher over all of them at once. Why, in words.
   */
  paged?: string;
  /**
   * This run continued a paged run of the same key, scope and merge mode that stopped (a worker
   * that died, a cancelled job) after `customers` customers: the counts include that run's, the
   * merges listed only this run's.
   */
  resumed?: { startedAt: string; customers: number };
  /** Merges made by this run, at most `maxListed` of them. */
  merges: MergeResult[];
  elapsedMs: number;
}

/** Between pages and merges: a cancelled run stops where it is (what it merged stays merged). */
function stopIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CustomerStoreError('invalid_input', 'rematch cancelled');
}

interface Link {
  source: string;
  target: string;
  confident: boolean;
  score: number;
  reasons: MatchReason[];
}

/** What runRematch needs of the store. */
export interface RematchEnv {
  now: () => Date;
  attempts: number;
  /** The store's rules: the blocking keys a merged customer is stored with, and how `changed` resolves. */
  storeConfig: MatchConfig;
  /** The country of numbers without a country code (`changed` normalizes each customer's identities again). */
  defaultCountry?: CountryCode;
  /** The rules `all` compares with (default: tributary match's). */
  rules?: MatchConfig;
  /**
   * Bytes `all` may hold (default: 60 % of what the V8 heap can still grow by when the run
   * starts, so `--max-old-space-size` raises it). A store that needs more is resolved a page at
   * a time: a worker that ran out of memory would die with the job, and so would the next.
   */
  memoryBudget?: number;
  /** Changed customers a paged run reads, resolves and applies at a time (default 500): its checkpoint. */
  changedPage?: number;
}

/**
 * Identity resolution over the store's customers. A delivery is resolved against what the
 * store holds when it arrives, and only with the candidates its blocking keys find; a profile
 * completed later (a company from the next order) or a customer created after it is never
 * compared again. Two scopes:
 * - `all`: the batch matcher (the rules of `tributary match`, cluster-level passes included)
 *   over every live customer, each one record of its identities and surviving profile.
 * - `changed`: each customer changed since the key's watermark resolved as a delivery is,
 *   against every other customer (runUpsertBatch as a dry run, the customer left out), then
 *   the watermark moves to this run's start.
 * Confident links (a fuzzy score at the merge threshold) merge (undoable, audited), the rest
 * queue reviews with their reasons; pairs a person separated are left alone. Running it again
 * repeats nothing: merged customers are one, pending pairs are not queued twice.
 */
export async function runRematch(ds: DataSource, request: RematchRequest, env: RematchEnv): Promise<RematchSummary> {
  const started = Date.now();
  const merge = request.merge ?? 'confident';
  if (merge !== 'confident' && merge !== 'none') throw new CustomerStoreError('invalid_input', 'merge must be confident or none');
  const scope = request.scope ?? 'all';
  if (scope !== 'all' && scope !== 'changed') throw new CustomerStoreError('invalid_input', 'scope must be all or changed');
  const key = request.key;
  if (key !== undefined && (typeof key !== 'string' || !key || key.length > 300)) throw new CustomerStoreError('invalid_input', 'key must be a non-empty string of at most 300 characters');
  if (scope === 'changed' && key === undefined) throw new CustomerStoreError('invalid_input', 'scope changed needs a key: whose watermark to read and move');

  // One run per key at a time: a second (a stalled job picked up again, a manual run during the
  // nightly one) would do all the work again. Held on a connection of its own for the whole run;
  // a process that dies lets it go with its connection. A dry run changes nothing and takes none.
  const held = key !== undefined && !request.dryRun ? await holdRunLock(ds, key) : undefined;
  if (held === null) {
    return { scope, customers: 0, links: 0, merged: 0, queued: 0, skipped: 0, merges: [], elapsedMs: Date.now() - started, alreadyRunning: true };
  }
  try {
    return await rematchUnderLock(ds, request, env, { started, merge, scope, key });
  } finally {
    await held?.release();
  }
}

/** A session-level advisory lock on `rematch\0<key>`, or null when another session holds it. */
async function holdRunLock(ds: DataSource, key: string): Promise<{ release(): Promise<void> } | null> {
  const lock = lockKey(`rematch\u0000${key}`).toString();
  const q = ds.createQueryRunner();
  await q.connect();
  try {
    const [{ locked }]: { locked: boolean }[] = await q.query(`SELECT pg_try_advisory_lock($1::bigint) AS locked`, [lock]);
    if (!locked) {
      await q.release();
      return null;
    }
  } catch (err) {
    await q.release();
    throw err;
  }
  return {
    async release() {
      try {
        await q.query(`SELECT pg_advisory_unlock($1::bigint)`, [lock]);
      } finally {
        await q.release();
      }
    },
  };
}

async function rematchUnderLock(
  ds: DataSource,
  request: RematchRequest,
  env: RematchEnv,
  { started, merge, scope, key }: { started: number; merge: 'confident' | 'none'; scope: 'all' | 'changed'; key: string | undefined },
): Promise<RematchSummary> {
  // This run's start on the clock the store stamps updated_at with: the next watermark.
  const runStart = env.now();
  const summary: RematchSummary = { scope: 'all', customers: 0, links: 0, merged: 0, queued: 0, skipped: 0, merges: [], elapsedMs: 0 };
  // A paged run of this key that stopped (its worker died, its job was cancelled): go on after
  // its last applied page rather than start over.
  const saved = key !== undefined && !request.dryRun ? await readProgress(ds, key, scope, merge) : undefined;
  let paging: { since: Date; paged?: string; after?: Cursor; startedAt: string } | undefined;
  if (saved) {
    paging = saved;
    Object.assign(summary, saved.counts);
    summary.resumed = { startedAt: saved.startedAt, customers: saved.counts.customers };
  } else if (scope === 'changed') {
    const [row]: { changed_since: Date }[] = await ds.query(`SELECT changed_since FROM rematch_watermarks WHERE key = $1`, [key]);
    if (row) paging = { since: new Date(row.changed_since.getTime() - SETTLE_MS), startedAt: runStart.toISOString() };
  }
  if (!paging) {
    const all = await allLinks(ds, request, env.rules ?? DEFAULT_MATCH_CONFIG, merge, env.memoryBudget ?? defaultMemoryBudget());
    // Every live customer changed since the beginning of time: each resolved as a delivery.
    if ('tooLarge' in all) paging = { since: new Date(0), paged: all.tooLarge, startedAt: runStart.toISOString() };
    else {
      summary.customers = all.customers;
      summary.links = all.links;
      if (request.dryRun) countDry(summary, all.links, all.confident);
      else await applyLinks(ds, all.found, summary, request, env);
    }
  }
  if (paging) {
    const { since, paged, startedAt } = paging;
    if (paged) summary.paged = paged;
    else {
      summary.scope = 'changed';
      summary.changedSince = since.toISOString();
    }
    // Each page is applied as it is resolved and its place written down: a run that dies repeats
    // at most one page, and what it merged before is merged for the pages after it.
    await changedLinks(ds, request, env, merge, { since, until: runStart, after: paging.after }, summary, async (links, after) => {
      if (request.dryRun) countDry(summary, links.length, links.filter((l) => l.confident).length);
      else {
        await applyLinks(ds, links, summary, request, env);
        if (key !== undefined) await saveProgress(ds, key, { scope, merge, since, paged, after, counts: progressOf(summary), startedAt });
      }
      await request.onPage?.(progressOf(summary));
    });
  }
  if (!request.dryRun && key !== undefined) {
    await inTransaction(
      ds,
      async (q) => {
        await q.query(
          `INSERT INTO rematch_watermarks (key, changed_since) VALUES ($1, $2::timestamptz)
           ON CONFLICT (key) DO UPDATE SET changed_since = GREATEST(rematch_watermarks.changed_since, excluded.changed_since), updated_at = now()`,
          [key, runStart.toISOString()],
        );
        await q.query(`DELETE FROM rematch_progress WHERE key = $1`, [key]);
      },
      { attempts: env.attempts },
    );
  }
  summary.elapsedMs = Date.now() - started;
  return summary;
}

/** A dry run's links: those it would merge and those it would queue. */
function countDry(summary: RematchSummary, links: number, confident: number): void {
  summary.merged += confident;
  summary.queued += links - confident;
}

function progressOf(s: RematchSummary): RematchProgress {
  return { customers: s.customers, links: s.links, merged: s.merged, queued: s.queued, skipped: s.skipped, ...(s.uncompared ? { uncompared: s.uncompared } : {}) };
}

/** A place in (updated_at, id) order: microseconds since the epoch as text, and the id. */
interface Cursor {
  us: string;
  id: string;
}

interface SavedRun {
  since: Date;
  paged?: string;
  after: Cursor;
  counts: RematchProgress;
  startedAt: string;
}

/**
 * The unfinished paged run of this key, if it was of the same scope and merge mode; one of
 * another kind is dropped (this run starts afresh and the watermark still moves only when a run
 * completes).
 */
async function readProgress(ds: DataSource, key: string, scope: 'all' | 'changed', merge: 'confident' | 'none'): Promise<SavedRun | undefined> {
  const [row]: { scope: string; merge: string; since: Date; paged: string | null; after_us: string; after_id: string; counts: RematchProgress; started_at: Date }[] = await ds.query(
    `SELECT scope, merge, since, paged, after_us::text AS after_us, after_id, counts, started_at FROM rematch_progress WHERE key = $1`,
    [key],
  );
  if (!row) return undefined;
  if (row.scope !== scope || row.merge !== merge) {
    await ds.query(`DELETE FROM rematch_progress WHERE key = $1`, [key]);
    return undefined;
  }
  return { since: row.since, ...(row.paged ? { paged: row.paged } : {}), after: { us: row.after_us, id: row.after_id }, counts: row.counts, startedAt: row.started_at.toISOString() };
}

async function saveProgress(
  ds: DataSource,
  key: string,
  p: { scope: 'all' | 'changed'; merge: 'confident' | 'none'; since: Date; paged?: string; after: Cursor; counts: RematchProgress; startedAt: string },
): Promise<void> {
  await ds.query(
    `INSERT INTO rematch_progress (key, scope, merge, since, paged, after_us, after_id, counts, started_at)
     VALUES ($1, $2, $3, $4::timestamptz, $5, $6::bigint, $7::uuid, $8::jsonb, $9::timestamptz)
     ON CONFLICT (key) DO UPDATE SET after_us = excluded.after_us, after_id = excluded.after_id, counts = excluded.counts, updated_at = now()`,
    [key, p.scope, p.merge, p.since.toISOString(), p.paged ?? null, p.after.us, p.after.id, JSON.stringify(p.counts), p.startedAt],
  );
}

interface FoundLinks {
  customers: number;
  links: number;
  confident: number;
  /** The links with their reasons (empty for a dry run, which only counts). */
  found: Link[];
}

/** 60 % of what the heap can still grow by. */
function defaultMemoryBudget(): number {
  const heap = getHeapStatistics();
  return Math.max(0, heap.heap_size_limit - heap.used_heap_size) * ALL_HEAP_SHARE;
}

const approxMb = (bytes: number) => (bytes < 1048576 ? 'under 1 MB' : `about ${Math.round(bytes / 1048576).toLocaleString('en-US')} MB`);

/**
 * Every live customer as one record of the batch matcher; `tooLarge` (and nothing read, or the
 * matcher dropped) when they need more memory than `budget`: counted before, and watched while
 * they are read, for a store that grew or customers larger than the estimate.
 */
async function allLinks(ds: DataSource, request: RematchRequest, config: MatchConfig, merge: 'confident' | 'none', budget: number): Promise<FoundLinks | { tooLarge: string }> {
  const [{ n }]: { n: string }[] = await ds.query(`SELECT count(*) AS n FROM customers WHERE merged_into IS NULL AND erased_at IS NULL`);
  const live = Number(n);
  if (live * ALL_BYTES_PER_CUSTOMER > budget) {
    return {
      tooLarge:
        `${live.toLocaleString('en-US')} customers need ${approxMb(live * ALL_BYTES_PER_CUSTOMER)} to be compared at once, ` +
        `and this process can spare ${approxMb(budget)}: each was resolved the way a delivery is, a page at a time`,
    };
  }
  const heapAtStart = getHeapStatistics().used_heap_size;
  const matcher = new BatchMatcher(config);
  const phoneFields = identityFuzzyFields(config);
  let after = NIL_UUID;
  for (;;) {
    stopIfCancelled(request.signal);
    const grown = getHeapStatistics().used_heap_size - heapAtStart;
    if (grown > budget) {
      return {
        tooLarge:
          `after ${matcher.count.toLocaleString('en-US')} customers the comparison held ${approxMb(grown)}, and this process can spare ${approxMb(budget)}: ` +
          `each customer was resolved the way a delivery is, a page at a time`,
      };
    }
    const rows: { id: string; attributes: AttributeMap; identities: { type: string; value: string }[] | null }[] = await ds.query(
      `SELECT c.id, c.attributes,
              (SELECT json_agg(json_build_object('type', i.type, 'value', COALESCE(i.match_key, i.value)) ORDER BY i.id)
                 FROM customer_identities i WHERE i.customer_id = c.id) AS identities
         FROM customers c
        WHERE c.merged_into IS NULL AND c.erased_at IS NULL AND c.id > $1
        ORDER BY c.id LIMIT $2`,
      [after, PAGE],
    );
    for (const row of rows) {
      const identities = row.identities ?? [];
      const fields = customerFields(row.attributes);
      // Identity types the rules also compare as fields (phone, for a masked or mistyped number): the first one held.
      for (const type of phoneFields) if (fields[type] === undefined) fields[type] = identities.find((i) => i.type === type)?.value;
      matcher.add({ id: row.id, identities, fields });
    }
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.id;
  }

  // The links, with their reasons worked out only when they are written (a dry run only counts).
  const found: Link[] = [];
  matcher.clusterIds();
  let links = 0;
  let confident = 0;
  for (let i = 0; i < matcher.count; i++) {
    const d = matcher.decision(i);
    if (d.kind === 'new' || d.kind === 'review' || !d.target) continue;
    const sure = merge === 'confident' && d.kind === 'fuzzy' && !d.rare && !d.cluster;
    links++;
    if (sure) confident++;
    if (request.dryRun) continue;
    const reasons = matcher.explain(i);
    const score = reasons.reduce((s, r) => s + (r.weight ?? 0), 0);
    found.push({
      source: matcher.idOf(i),
      target: d.target,
      confident: sure,
      score: Math.round(score * 1000) / 1000,
      reasons: [{ rule: 'rematch', detail: `store rematch: ${matcher.reason(i)}` }, ...reasons],
    });
  }
  return { customers: matcher.count, links, confident, found };
}

/**
 * The customers changed in [since, until], in (updated_at, id) order a page at a time from
 * `after` (or the start), each resolved as a delivery of its identities and profile would be,
 * against every other customer; each page's links go to `onPage` with the page's last place.
 * Customers changed by this run's own merges come after `until`: the next run sees them.
 */
async function changedLinks(
  ds: DataSource,
  request: RematchRequest,
  env: RematchEnv,
  merge: 'confident' | 'none',
  range: { since: Date; until: Date; after?: Cursor },
  out: RematchSummary,
  onPage: (links: Link[], after: Cursor) => Promise<void>,
): Promise<void> {
  const seen = new Set<string>();
  const sinceUs = String(range.since.getTime() * 1000);
  const untilUs = String(range.until.getTime() * 1000);
  // Keyset on (updated_at, id), from just before `since`: the first page is updated_at >= since.
  let after: Cursor = range.after ?? { us: String(BigInt(sinceUs) - 1n), id: MAX_UUID };
  const pageSize = env.changedPage ?? CHANGED_PAGE;
  // Connections of the pool: one is the run's lock, one applies each page, one stays for everyone else.
  const poolSize = Number((ds.options as { extra?: { max?: unknown } }).extra?.max) || 10;
  const resolvers = Math.max(1, Math.min(RESOLVERS, poolSize - 3));
  const runners = await Promise.all(
    Array.from({ length: resolvers }, async () => {
      const q = ds.createQueryRunner();
      await q.connect();
      return q;
    }),
  );
  try {
    for (;;) {
      stopIfCancelled(request.signal);
      // On a resolver's connection: the run holds no more of the pool than it resolves on.
      const rows: ChangedRow[] = await runners[0]!.query(
        `SELECT c.id, c.attributes, (extract(epoch FROM c.updated_at) * 1000000)::bigint::text AS us,
                -- As they came (normalized again the way they were): a delivery's identities,
                -- its shares too (a family phone another customer owns), after the ones it owns.
                (SELECT json_agg(x.v ORDER BY x.shared, x.o)
                   FROM (SELECT json_build_object('type', i.type, 'value', COALESCE(i.raw_value, i.value)) AS v, false AS shared, lpad(i.id::text, 20, '0') AS o
                           FROM customer_identities i WHERE i.customer_id = c.id
                         UNION ALL
                         SELECT json_build_object('type', s.type, 'value', COALESCE(s.raw_value, s.value)), true, s.type || s.value
                           FROM customer_identity_shares s WHERE s.customer_id = c.id) x) AS identities
           FROM customers c
          WHERE c.merged_into IS NULL AND c.erased_at IS NULL
            AND (c.updated_at, c.id) > (${usTimestamp('$1')}, $2::uuid)
            AND c.updated_at <= ${usTimestamp('$3')}
          ORDER BY c.updated_at, c.id LIMIT $4`,
        [after.us, after.id, untilUs, pageSize],
      );
      // A few resolutions at a time, each its own read-only transaction.
      let next = 0;
      const decisions: (MatchDecision | undefined)[] = new Array(rows.length);
      await Promise.all(
        runners.map(async (q) => {
          for (let n = next++; n < rows.length; n = next++) decisions[n] = await resolveCustomer(q, rows[n]!, env);
        }),
      );
      const links: Link[] = [];
      for (const [n, row] of rows.entries()) {
        out.customers++;
        const d = decisions[n];
        if (!d) {
          out.uncompared = (out.uncompared ?? 0) + 1;
          continue;
        }
        for (const link of linksOf(row.id, d, merge)) {
          const pk = pairKey(link.source, link.target);
          if (seen.has(pk)) continue; // both changed: found from either side
          seen.add(pk);
          out.links++;
          links.push(link);
        }
      }
      if (rows.length === 0) break;
      const last = rows[rows.length - 1]!;
      after = { us: last.us, id: last.id };
      await onPage(links, after);
      if (rows.length < pageSize) break;
    }
  } finally {
    await Promise.all(runners.map((q) => q.release()));
  }
}

interface ChangedRow {
  id: string;
  attributes: AttributeMap;
  us: string;
  identities: { type: string; value: string }[] | null;
}

/**
 * What the store would decide for a delivery of this customer's identities and profile, with
 * the customer itself not there; undefined when it has nothing to be resolved by (no usable
 * identity, no profile evidence) or kept racing with merges and erasures.
 */
async function resolveCustomer(q: QueryRunner, row: ChangedRow, env: RematchEnv): Promise<MatchDecision | undefined> {
  const now = env.now();
  let prepared;
  try {
    prepared = prepareUpsert(
      {
        idempotencyKey: `rematch:${row.id}`,
        provenance: { source: 'rematch', flowId: '', flowVersion: 0, runId: '', nodeId: '' },
        attributes: attributeValues(row.attributes),
        // A customer merged from many may hold more than a delivery may carry: the first ones.
        identities: (row.identities ?? []).slice(0, MAX_IDENTITIES),
      },
      now,
      env.defaultCountry ?? 'CN',
      env.storeConfig,
    );
  } catch (err) {
    if (err instanceof CustomerStoreError && (err.code === 'no_usable_identity' || err.code === 'invalid_input')) return undefined;
    throw err;
  }
  for (let attempt = 1; ; attempt++) {
    try {
      const [result] = await runUpsertBatch(q, [prepared], now, { config: env.storeConfig, dryRun: true, exclude: row.id });
      await q.query('COMMIT');
      return result!.resolution;
    } catch (err) {
      await q.query('ROLLBACK').catch(() => undefined);
      // A customer merged or erased while it was read: read the store again, and in the end
      // leave it to the next run (what changed it moved its updated_at).
      if (!(err instanceof CustomerStoreError && err.code === 'identity_race')) throw err;
      if (attempt >= env.attempts) return undefined;
    }
  }
}

/** The links a customer's resolution makes: a match (merged when it is a fuzzy score's), or the candidates to review. */
function linksOf(id: string, d: MatchDecision, merge: 'confident' | 'none'): Link[] {
  const why = (detail: string, reasons: MatchReason[]): MatchReason[] => [{ rule: 'rematch', detail: `store rematch of a changed customer: ${detail}` }, ...reasons];
  if (d.kind === 'matched' && d.targetId && d.targetId !== id) {
    // The rule that matched: the store puts a value over its limit and a resolution by profile first.
    const rule = d.reasons.find((r) => !r.rule.startsWith('limit:') && r.rule !== 'profile')?.rule;
    const confident = merge === 'confident' && rule === 'fuzzy';
    // The older customer survives a merge (ids are time-ordered): links to it elsewhere stay.
    const [target, source] = d.targetId < id ? [d.targetId, id] : [id, d.targetId];
    return [{ source, target, confident, score: d.score, reasons: why(`${rule ?? d.kind}: ${d.reasons.find((r) => r.rule === rule)?.detail ?? ''}`, d.reasons) }];
  }
  if (d.kind === 'review') {
    const candidates = d.candidates ?? (d.targetId ? [{ id: d.targetId, score: d.score, reasons: d.reasons }] : []);
    return candidates
      .filter((c) => c.id !== id)
      .slice(0, MAX_REVIEWS_PER_CUSTOMER)
      .map((c) => ({ source: id, target: c.id, confident: false, score: c.score, reasons: why(`review, score ${c.score}`, c.reasons) }));
  }
  return [];
}

/** Reviews, then merges, each merge in its own transaction on the customers as they are then. */
async function applyLinks(ds: DataSource, links: Link[], summary: RematchSummary, request: RematchRequest, env: RematchEnv): Promise<void> {
  const { now, attempts, storeConfig } = env;
  const actor = request.actor ?? 'system:rematch';
  // Reviews first: a merge below then closes the items it makes moot (both sides in one customer).
  const toReview = links.filter((l) => !l.confident);
  for (let k = 0; k < toReview.length; k += REVIEW_CHUNK) {
    const candidates = toReview.slice(k, k + REVIEW_CHUNK);
    // The pairs a person told apart, of this chunk only (the table grows with every decision).
    const separated = new Set(
      (
        (await ds.query(
          `SELECT s.customer_a, s.customer_b FROM customer_separations s
             JOIN unnest($1::uuid[], $2::uuid[]) AS p(a, b) ON s.customer_a = p.a AND s.customer_b = p.b`,
          [candidates.map((l) => (l.source < l.target ? l.source : l.target)), candidates.map((l) => (l.source < l.target ? l.target : l.source))],
        )) as { customer_a: string; customer_b: string }[]
      ).map((r) => pairKey(r.customer_a, r.customer_b)),
    );
    const chunk = candidates.filter((l) => {
      if (!separated.has(pairKey(l.source, l.target))) return true;
      summary.skipped++;
      return false;
    });
    if (chunk.length === 0) continue;
    const at = now();
    // In pair order, like every writer of review items, and retried on a deadlock: deliveries and
    // merges write and close items of the same pairs meanwhile.
    const rows = chunk
      .map((l) => ({ id: uuidv7(at.getTime()), customer_id: l.source, candidate_id: l.target, score: l.score, reasons: l.reasons }))
      .sort((a, b) => (pairKey(a.customer_id, a.candidate_id) < pairKey(b.customer_id, b.candidate_id) ? -1 : 1))
      .map((r, n) => ({ ...r, n }));
    // Only between customers still live (one may have been merged or erased since the read):
    // their rows are locked first, ascending like every writer's, so a merge or an erasure of one
    // either committed before (and the insert's own snapshot, taken after the lock, leaves the
    // pair out) or waits until the items are in, then closes or deletes them.
    const inserted: { id: string }[] = await inTransaction(
      ds,
      async (q) => {
        await q.query(`SELECT 1 FROM customers WHERE id = ANY($1::uuid[]) ORDER BY id FOR SHARE`, [[...new Set(rows.flatMap((r) => [r.customer_id, r.candidate_id]))]]);
        return q.query(
          `INSERT INTO match_reviews (id, customer_id, candidate_id, score, reasons, created_at)
           SELECT r.id, r.customer_id, r.candidate_id, r.score, r.reasons, $2::timestamptz
             FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, customer_id uuid, candidate_id uuid, score double precision, reasons jsonb, n int)
             JOIN customers a ON a.id = r.customer_id AND a.merged_into IS NULL AND a.erased_at IS NULL
             JOIN customers b ON b.id = r.candidate_id AND b.merged_into IS NULL AND b.erased_at IS NULL
            ORDER BY r.n
           ON CONFLICT DO NOTHING
           RETURNING id`,
          [JSON.stringify(rows), at.toISOString()],
        );
      },
      { attempts },
    );
    summary.queued += inserted.length;
  }

  const maxListed = request.maxListed ?? 100;
  for (const link of links) {
    if (!link.confident) continue;
    stopIfCancelled(request.signal);
    const result = await inTransaction(
      ds,
      async (q) => {
        // Each merge in its own transaction, on the customers as they are now: followed to their
        // survivors, and not when a person told those apart.
        let live: Map<string, string>;
        try {
          live = await followMerges(q, [link.target, link.source]);
        } catch (err) {
          if (err instanceof CustomerStoreError && (err.code === 'conflict' || err.code === 'not_found')) return undefined; // erased meanwhile
          throw err;
        }
        const [target, source] = [live.get(link.target)!, live.get(link.source)!];
        if (target === source) return undefined;
        const [x, y] = target < source ? [target, source] : [source, target];
        const [sep] = await q.query(`SELECT 1 FROM customer_separations WHERE customer_a = $1 AND customer_b = $2`, [x, y]);
        if (sep) return undefined;
        return runMerge(q, target, [source], { actor, reason: { rule: 'rematch', score: link.score, reasons: link.reasons } }, now(), storeConfig);
      },
      { attempts },
    );
    if (!result) {
      summary.skipped++;
      continue;
    }
    summary.merged++;
    if (summary.merges.length < maxListed) summary.merges.push(result);
  }
}

