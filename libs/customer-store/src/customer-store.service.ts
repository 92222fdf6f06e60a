import type { CustomerStorePort } from '@tributary/engine';
import type { CountryCode } from 'libphonenumber-js/core';
import type { DataSource } from 'typeorm';
import { mergeAttributes } from './attribute-merge.util.js';
import { accountLockNames, ACCOUNT_FIELDS, linkAccounts } from './account-link.command.js';
import { eraseCustomer } from './customer-erasure.command.js';
import { lockNames } from './util/lock-key.util.js';
import { runRematch, type RematchRequest, type RematchSummary } from './rematch.command.js';
import { audit, runMerge, runUndoMerge } from './customer-merge.command.js';
import { CustomerStoreError } from './customer-store.errors.js';
import { countCustomers, searchCustomers } from './customer-search.query.js';
import type {
  AttributeMap,
  MergeOptions,
  MergeResult,
  ReviewDecisionResult,
  ReviewPage,
  ReviewQuery,
  UndoMergeResult,
  CustomerSearchPage,
  CustomerSearchQuery,
  CustomerView,
  ErasureResult,
  StoreUpsertInput,
  StoreUpsertResult,
} from './customer-store.types.js';
import { prepareUpsert, runUpsertBatch, type PreparedUpsert } from './customer-upsert.command.js';
import { loadCustomerView } from './customer-view.query.js';
import { compileConfig, type MatchConfig, type MatchDecision } from './matching/index.js';
import { blockingKeysOf, customerFields, matchKeysOf } from './record-fields.util.js';
import { runDecideReview, type ReviewDecision } from './review-decision.command.js';
import { listReviews, loadReview } from './review-queue.query.js';
import { inTransaction } from './util/transaction.util.js';
import { isUuid } from './util/uuid-v7.util.js';
import { STORE_MATCH_CONFIG } from './store-match.config.js';
import { rescoreRfm, resolveRfmBreakpoints, runRfm } from './scoring/rfm.command.js';
import { rescoreRules } from './scoring/rescore.command.js';
import { runScore } from './scoring/score.command.js';
import type { RescoreRequest, RescoreSummary, ResolvedRfmBreakpoints, RfmConfig, RfmOutcome, RfmRequest, ScoreOutcome, ScoreRequest } from './scoring/scoring.types.js';
import type { AssignmentPolicy, AssignOutcome, AssignRequest, TaskOutcome, TaskRequest } from '@tributary/engine';
import { checkPolicy, runAssign } from './assignment/assign.command.js';
import { OwnerDirectory } from './owners/owner-directory.service.js';
import { TaskBoard } from './tasks/task-board.service.js';
import { runCreateTasks } from './tasks/task.command.js';
import { loadTasks } from './tasks/task.query.js';
import type { Task } from './tasks/task.types.js';

/** Review decisions one call may carry. */
const MAX_DECISIONS = 200;

export interface CustomerStoreOptions {
  /** Country assumed for phone numbers written without a country code (default CN). */
  defaultCountry?: CountryCode;
  /** Attempts in all when a transaction hits a serialization failure or deadlock (default 5). */
  attempts?: number;
  /** The clock; tests pin it. */
  now?: () => Date;
  /** Identity resolution rules: identifier priorities and limits, fuzzy fields, blocking, thresholds (default STORE_MATCH_CONFIG). */
  matchConfig?: MatchConfig;
  /** Bytes `rematch` scope `all` may hold before it resolves a page at a time instead (default: 60 % of the heap left; RematchEnv.memoryBudget). */
  rematchMemoryBytes?: number;
  /** Customers a paged `rematch` resolves and applies before it writes down where it is (default 500; RematchEnv.changedPage). */
  rematchPageSize?: number;
}

/** What customer.resolve sends: an upsert input without the write-only parts. */
export type ResolveInput = Omit<StoreUpsertInput, 'idempotencyKey' | 'provenance' | 'attributes'> &
  Partial<Pick<StoreUpsertInput, 'idempotencyKey' | 'provenance' | 'attributes'>>;

/**
 * The customer store over a TypeORM DataSource that has customerStoreEntities and
 * customerStoreMigrations. Writes are raw multi-row SQL in one transaction per call; see
 * BatchingCustomerStore to coalesce many concurrent calls into one transaction.
 */
export class CustomerStore implements CustomerStorePort {
  readonly defaultCountry: CountryCode;
  /** Counters for /metrics. */
  readonly stats = { transactions: 0, retries: 0, inputs: 0 };
  readonly matchConfig: MatchConfig;
  private readonly attempts: number;
  private readonly now: () => Date;
  private readonly rematchMemoryBytes: number | undefined;
  private readonly rematchPageSize: number | undefined;

  constructor(
    readonly dataSource: DataSource,
    options: CustomerStoreOptions = {},
  ) {
    this.defaultCountry = options.defaultCountry ?? 'CN';
    this.attempts = options.attempts ?? 5;
    this.now = options.now ?? (() => new Date());
    this.matchConfig = options.matchConfig ?? STORE_MATCH_CONFIG;
    this.rematchMemoryBytes = options.rematchMemoryBytes;
    this.rematchPageSize = options.rematchPageSize;
    // A config that cannot work fails here, not on the first upsert.
    compileConfig(this.matchConfig);
  }

  /**
   * Finds or creates the customer of each input by its identities, merges attributes with
   * provenance and writes a timeline event, all in one transaction. Throws
   * CustomerStoreError before writing anything when an input is invalid or has no usable
   * identity. Results are in input order.
   */
  async upsert(inputs: StoreUpsertInput[]): Promise<StoreUpsertResult[]> {
    if (inputs.length === 0) return [];
    const now = this.now();
    return this.upsertPrepared(inputs.map((input) => this.prepare(input, now)));
  }

  /** Validates and normalizes one input (no I/O); throws CustomerStoreError. */
  prepare(input: StoreUpsertInput, now = this.now()): PreparedUpsert {
    return prepareUpsert(input, now, this.defaultCountry, this.matchConfig);
  }

  /** Writes prepared inputs in one transaction, from the start again on 40001/40P01. */
  upsertPrepared(batch: PreparedUpsert[]): Promise<StoreUpsertResult[]> {
    if (batch.length === 0) return Promise.resolve([]);
    this.stats.transactions++;
    this.stats.inputs += batch.length;
    // Shared by the attempts: the locks an attempt's merge found taken, for the next one's first pass.
    const lockHints = new Set<string>();
    return inTransaction(this.dataSource, (q) => runUpsertBatch(q, batch, this.now(), { config: this.matchConfig, lockHints }), {
      attempts: this.attempts,
      onRetry: () => this.stats.retries++,
      fnBegins: true,
    });
  }

  /**
   * What upsert would decide for each input, in input order, without writing or locking
   * anything (customer.resolve). Inputs are resolved as one batch: a later input sees the
   * customer an earlier one would create. Throws CustomerStoreError like upsert.
   */
  async resolve(inputs: ResolveInput[]): Promise<MatchDecision[]> {
    if (inputs.length === 0) return [];
    const now = this.now();
    const batch = inputs.map((input, i) =>
      this.prepare(
        {
          ...input,
          attributes: input.attributes ?? {},
          idempotencyKey: `resolve:${i}`,
          provenance: input.provenance ?? { source: 'resolve', flowId: '', flowVersion: 0, runId: '', nodeId: '' },
        },
        now,
      ),
    );
    const results = await inTransaction(this.dataSource, (q) => runUpsertBatch(q, batch, now, { config: this.matchConfig, dryRun: true }), {
      attempts: this.attempts,
      fnBegins: true,
    });
    return results.map((r) => r.resolution);
  }

  /**
   * Merges customers into targetId (any number; merged ids are followed to their survivor),
   * with a snapshot that undoMerge restores exactly. Throws CustomerStoreError: invalid_input,
   * not_found, conflict (an erased customer).
   */
  mergeCustomers(targetId: string, otherIds: string[], options: MergeOptions): Promise<MergeResult> {
    return inTransaction(this.dataSource, (q) => runMerge(q, targetId, otherIds, options, this.now(), this.matchConfig), { attempts: this.attempts });
  }

  /**
   * Undoes a merge: the customers as they were, and (unless `separate: false`) kept apart from the
   * survivor so no resolution merges them again. Throws CustomerStoreError not_found, conflict
   * (already undone, erased, target merged since), invalid_input.
   */
  undoMerge(mergeId: string, options: { actor: string; separate?: boolean }): Promise<UndoMergeResult> {
    return inTransaction(this.dataSource, (q) => runUndoMerge(q, mergeId, options?.actor, this.now(), this.matchConfig, { separate: options?.separate }), {
      attempts: this.attempts,
    });
  }

  /** The review queue (default: pending, oldest first). Throws invalid_query / invalid_cursor. */
  listReviews(query: ReviewQuery = {}): Promise<ReviewPage> {
    return listReviews(this.dataSource, query);
  }

  /**
   * Decides a pending review item: `merge` merges the pair (mergeCustomers; the result names
   * the merge to undo), `separate` records them as different people, never queued or merged
   * automatically again. Throws CustomerStoreError not_found, conflict (already decided).
   */
  async decideReview(id: string, decision: ReviewDecision, actor: string): Promise<ReviewDecisionResult> {
    const merge = await inTransaction(this.dataSource, (q) => runDecideReview(q, id, decision, actor, this.now(), this.matchConfig), {
      attempts: this.attempts,
    });
    const review = (await loadReview(this.dataSource, id))!;
    return merge ? { review, merge } : { review };
  }

  /**
   * Several review decisions at once (the console's "merge selected"): each decided like
   * decideReview, in its own transaction, in the order given; one that cannot be decided (already
   * decided, not found, erased meanwhile) says why and does not stop the others.
   */
  async decideReviews(
    decisions: { id: string; decision: ReviewDecision }[],
    actor: string,
  ): Promise<({ id: string; ok: true; result: ReviewDecisionResult } | { id: string; ok: false; error: CustomerStoreError })[]> {
    if (!Array.isArray(decisions) || decisions.length === 0 || decisions.length > MAX_DECISIONS) {
      throw new CustomerStoreError('invalid_input', `decisions must hold 1 to ${MAX_DECISIONS} items`);
    }
    const out = [];
    for (const d of decisions) {
      const id = typeof d?.id === 'string' ? d.id : '';
      try {
        out.push({ id, ok: true as const, result: await this.decideReview(id, d?.decision, actor) });
      } catch (err) {
        if (!(err instanceof CustomerStoreError)) throw err;
        out.push({ id, ok: false as const, error: err });
      }
    }
    return out;
  }

  /**
   * A manual edit of attributes (the API's profile edit): the values always win now, and
   * fields under the `manual` survivorship policy keep them against later flows. Audited.
   * Returns undefined when there is no such live customer.
   */
  async updateAttributes(id: string, values: Record<string, unknown>, options: { actor: string }): Promise<CustomerView | undefined> {
    if (!isUuid(id)) return undefined;
    if (!values || typeof values !== 'object' || Array.isArray(values)) throw new CustomerStoreError('invalid_input', 'values must be an object');
    if (typeof options?.actor !== 'string' || !options.actor) throw new CustomerStoreError('invalid_input', 'actor is required');
    const now = this.now();
    const found = await inTransaction(
      this.dataSource,
      async (q) => {
        const provenance = { source: 'manual', flowId: '', flowVersion: 0, runId: '', nodeId: options.actor };
        const edited = (current: AttributeMap | null) => {
          const merged = mergeAttributes(current ?? {}, values, provenance, now.toISOString(), { manual: true });
          const fields = customerFields(merged.attributes);
          return { ...merged, keys: matchKeysOf(fields, this.matchConfig), blocking: blockingKeysOf(fields, this.matchConfig) };
        };
        // Locked before any row, as the upsert locks them: the account an edited company or credit
        // code may create, and the blocking keys the edit gives the customer (a delivery resolving
        // by one of them then sees the customer as edited, or the edit waits for it). The keys are
        // planned from an unlocked read and checked again under the row lock.
        const [seen]: { attributes: AttributeMap | null }[] = await q.query(`SELECT attributes FROM customers WHERE id = $1`, [id]);
        if (!seen) return false;
        const planned = new Set(edited(seen.attributes).blocking);
        await lockNames(q, [...accountLockNames(values), ...[...planned].map((k) => `k\u0000${k}`)]);
        const [row]: { attributes: AttributeMap; account_id: string | null; merged_into: string | null; erased_at: Date | null }[] = await q.query(
          `SELECT attributes, account_id, merged_into, erased_at FROM customers WHERE id = $1 FOR NO KEY UPDATE`,
          [id],
        );
        if (!row || row.merged_into || row.erased_at) return false;
        const { attributes, changed, keys, blocking } = edited(row.attributes);
        if (changed.length === 0) return true;
        if (blocking.some((k) => !planned.has(k))) throw new CustomerStoreError('identity_race', 'the customer changed while the edit was locking its blocking keys');
        // A company or credit code edited by hand links the customer to that company's account.
        const holder = { attributes, accountId: row.account_id };
        if (changed.some((f) => ACCOUNT_FIELDS.has(f))) await linkAccounts(q, [holder], now);
        await q.query(
          `WITH k1 AS (DELETE FROM customer_match_keys WHERE customer_id = $1 AND NOT (key = ANY($3::text[]))),
                k2 AS (INSERT INTO customer_match_keys (customer_id, key) SELECT $1, k FROM unnest($3::text[]) AS k ON CONFLICT DO NOTHING)
           UPDATE customers SET attributes = $2::jsonb, updated_at = $4::timestamptz, version = version + 1, account_id = $5,
                  display_name = COALESCE(NULLIF(btrim($2::jsonb -> 'name' ->> 'value'), ''), display_name)
            WHERE id = $1`,
          [id, JSON.stringify(attributes), keys, now.toISOString(), holder.accountId],
        );
        await audit(q, options.actor, 'customer.attributes_edited', id, { fields: changed });
        return true;
      },
      { attempts: this.attempts },
    );
    return found ? this.getCustomer(id) : undefined;
  }

  /** The 360° view, or undefined. A merged customer is returned with `mergedInto` set. */
  getCustomer(id: string): Promise<CustomerView | undefined> {
    return loadCustomerView(this.dataSource, id);
  }

  /** Throws CustomerStoreError (invalid_query, invalid_cursor) on a malformed query. */
  searchCustomers(query: CustomerSearchQuery = {}): Promise<CustomerSearchPage> {
    return searchCustomers(this.dataSource, query, this.defaultCountry);
  }

  /** Live customers: neither merged away nor erased. */
  countCustomers(): Promise<number> {
    return countCustomers(this.dataSource);
  }

  /** Erases the customer's personal data; undefined when there is no such customer. */
  eraseCustomer(id: string, actor: string): Promise<ErasureResult | undefined> {
    return eraseCustomer(this.dataSource, id, actor);
  }

  /** Owners and teams (customer.assign's directory; the API manages them). */
  get owners(): OwnerDirectory {
    return new OwnerDirectory(this.dataSource, this.now);
  }

  /** Follow-up tasks as people work them (list, complete, cancel). */
  get tasks(): TaskBoard {
    return new TaskBoard(this.dataSource, this.now, this.attempts);
  }

  /** customer.assign: rules → team → owner, recorded with the reason, in one transaction (see runAssign). */
  async assign(policy: AssignmentPolicy, requests: AssignRequest[]): Promise<AssignOutcome[]> {
    checkPolicy(policy);
    if (requests.length === 0) return [];
    return inTransaction(this.dataSource, (q) => runAssign(q, policy, requests, this.now()), { attempts: this.attempts, onRetry: () => this.stats.retries++ });
  }

  /** customer.task: one task per request, once per idempotency key. */
  createTasks(requests: TaskRequest[]): Promise<TaskOutcome[]> {
    if (requests.length === 0) return Promise.resolve([]);
    return inTransaction(this.dataSource, (q) => runCreateTasks(q, requests, this.now()), { attempts: this.attempts, onRetry: () => this.stats.retries++ });
  }

  /** customer.task-check: tasks as they are now, in the order asked. */
  getTasks(ids: string[]): Promise<(Task | undefined)[]> {
    return loadTasks(this.dataSource, ids, this.now());
  }

  /**
   * customer.score, rules model: scores each item's customer (merged ids followed) in one
   * transaction with the customers row-locked; every change writes a score_changed event
   * under the item's idempotency key, so a retried step adds nothing twice.
   */
  score(request: ScoreRequest): Promise<ScoreOutcome[]> {
    if (request.items.length === 0) return Promise.resolve([]);
    const now = this.now();
    return inTransaction(this.dataSource, (q) => runScore(q, request, now), { attempts: this.attempts, onRetry: () => this.stats.retries++ });
  }

  /** customer.score, rfm model: recency, frequency and monetary value computed in SQL, stored as attributes. */
  async scoreRfm(request: RfmRequest): Promise<RfmOutcome[]> {
    if (request.items.length === 0) return [];
    const now = this.now();
    const bp = request.breakpoints ?? (await resolveRfmBreakpoints(this.dataSource, request.config, now));
    return inTransaction(this.dataSource, (q) => runRfm(q, request, bp, now), { attempts: this.attempts, onRetry: () => this.stats.retries++ });
  }

  /** The breakpoints an RFM config scores with now (quintiles measured on the store). */
  rfmBreakpoints(config: RfmConfig): Promise<ResolvedRfmBreakpoints> {
    return resolveRfmBreakpoints(this.dataSource, config, this.now());
  }

  /** customer.rescore: the model over every live customer in batches, once per scope and UTC day. */
  rescore(request: RescoreRequest): Promise<RescoreSummary> {
    const now = this.now();
    return request.model === 'rfm' ? rescoreRfm(this.dataSource, request, now, this.attempts) : rescoreRules(this.dataSource, request, now, this.attempts);
  }

  /**
   * Identity resolution over the store (customer.rematch): every live customer compared with the
   * batch matcher's rules, or only those changed since the key's last run, each resolved as a
   * delivery; confident links merge, the others queue reviews (runRematch).
   */
  rematch(request: RematchRequest = {}): Promise<RematchSummary> {
    return runRematch(this.dataSource, request, {
      now: this.now,
      attempts: this.attempts,
      storeConfig: this.matchConfig,
      defaultCountry: this.defaultCountry,
      ...(this.rematchMemoryBytes !== undefined ? { memoryBudget: this.rematchMemoryBytes } : {}),
      ...(this.rematchPageSize !== undefined ? { changedPage: this.rematchPageSize } : {}),
    });
  }
}
