import type { CustomerUpsertInput, CustomerUpsertResult, IdentityInput, Provenance } from '@tributary/engine';
import type { MatchDecision } from './matching/match.types.js';
import type { IdentityRejection } from './normalization/identity.normalizer.js';

/**
 * How one field's value survives when sources disagree:
 * - `latest` (default): the most recent observation wins;
 * - `first`: the earliest observation wins;
 * - `source_priority`: the source listed first in `sources` wins (unlisted sources rank last; ties: latest);
 * - `manual`: a value set by a manual edit is never overwritten by flows (otherwise latest);
 * - `longest`: the longest (most complete) value wins (ties: latest).
 */
export type SurvivorshipPolicyName = 'latest' | 'first' | 'source_priority' | 'manual' | 'longest';

export interface SurvivorshipPolicy {
  policy: SurvivorshipPolicyName;
  /** For `source_priority`: sources, best first. */
  sources?: string[];
}

/** One attribute value and where it came from. */
export interface AttributeEntry extends Provenance {
  value: unknown;
  /** When the value was observed (the event's time, else the write time), ISO 8601 UTC. */
  updatedAt: string;
  /** The value this one replaced, one level deep: enough to explain a change, not a full history. */
  previous?: { value: unknown; source: string; runId: string; updatedAt: string };
  /** The survivorship policy the value won under, when one was configured; merges re-apply it. */
  policy?: SurvivorshipPolicy;
  /** Set by a manual edit (CustomerStore.updateAttributes): wins over flows under the `manual` policy. */
  manual?: boolean;
}

export type AttributeMap = Record<string, AttributeEntry>;

/** CustomerUpsertInput plus what the store also understands. */
export interface StoreUpsertInput extends CustomerUpsertInput {
  /** Added to the customer's tags (never removed by an upsert). */
  tags?: string[];
  /** Per-field survivorship policies; fields left out keep latest-wins (or the policy recorded on the value). */
  survivorship?: Record<string, SurvivorshipPolicy>;
}

export interface IgnoredIdentity extends IdentityInput {
  /** Why the value was not used: junk, masked, invalid_number, not_an_email, … */
  reason: IdentityRejection;
}

/** A secondary identity of the input that already belongs to another customer; left there. */
export interface IdentityConflict {
  type: string;
  value: string;
  customerId: string;
}

export interface StoreUpsertResult extends CustomerUpsertResult {
  ignoredIdentities: IgnoredIdentity[];
  conflicts: IdentityConflict[];
  /** An earlier attempt with the same idempotency key already wrote this; nothing was written now. */
  replayed: boolean;
  /**
   * Customers this input merged into its own: each held another of its identifiers and agreed
   * with it (bridgeVeto found nothing against). Undoable like any merge (POST /api/merges/:id/undo).
   */
  merged?: { customerId: string; mergeId?: string }[];
  /**
   * Why the record landed where it did: `matched` (an identifier or a fuzzy score above the
   * automatic threshold; targetId is the customer), `new`, or `review` (a new customer was
   * created and review items were queued against `candidates`). Reasons name rule, fields, scores.
   */
  resolution: MatchDecision;
}

// ---------------------------------------------------------------------------
// Read side: the shapes GET /api/customers and GET /api/customers/:id return.
// ---------------------------------------------------------------------------

export interface AttributeView {
  value: unknown;
  source: string;
  flowId: string;
  flowVersion: number;
  runId: string;
  nodeId: string;
  updatedAt: string;
}

export interface IdentityView {
  type: string;
  value: string;
  rawValue: string | null;
  source: string;
  firstSeen: string;
  lastSeen: string;
}

export interface AccountView {
  id: string;
  name: string;
  creditCode: string | null;
  city: string | null;
  industry: string | null;
}

export interface TimelineEventView {
  id: string;
  type: string;
  occurredAt: string;
  source: string;
  flowId: string | null;
  flowVersion: number | null;
  runId: string | null;
  nodeId: string | null;
  payload: Record<string, unknown> | null;
  /** The resolution decision written with the event (null for events written before resolution existed). */
  resolution: MatchDecision | null;
}

export interface MergeView {
  id: string;
  targetId: string;
  sourceIds: string[];
  reason: Record<string, unknown>;
  actor: string | null;
  createdAt: string;
  undoneAt: string | null;
}

/** The 360° view of CONTRACT §3. */
export interface CustomerView {
  id: string;
  displayName: string | null;
  attributes: Record<string, AttributeView>;
  identities: IdentityView[];
  account: AccountView | null;
  /** The owner (customer.assign or the API), with the name from the owners table when known. */
  owner: { id: string; name: string | null; assignedAt: string | null } | null;
  score: number;
  stage: string;
  /** Set by customer.score thresholds. */
  priority: string | null;
  /** The source of the customer's first record. */
  firstChannel: string | null;
  lastInteractionAt: string | null;
  stageChangedAt: string | null;
  tags: string[];
  /** The latest 100 events, newest first. */
  timeline: TimelineEventView[];
  merges: MergeView[];
  /** Set when this customer was merged into another: the caller may redirect there. */
  mergedInto: string | null;
  erasedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface CustomerSearchQuery {
  /** Free text: part of the name, or a phone or e-mail in any format. */
  q?: string;
  phone?: string;
  email?: string;
  /** `type:value`, e.g. `wechat_unionid:oAbC…`. */
  identity?: string;
  tag?: string;
  /** Members of this saved segment only. */
  segment?: string;
  /** Customers of this owner only. */
  owner?: string;
  /** 1–200, default 50. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

export interface CustomerSummary {
  id: string;
  displayName: string | null;
  stage: string;
  score: number;
  tags: string[];
  ownerId: string | null;
  accountId: string | null;
  identities: { type: string; value: string }[];
  createdAt: string;
  updatedAt: string;
}

export interface CustomerSearchPage {
  items: CustomerSummary[];
  nextCursor: string | null;
}

export interface ErasureResult {
  /**
   * The customer erased and every customer merged into it, however many merges ago: they hold
   * the same person's data. A merged customer's id erases its survivor (listed first).
   */
  customerIds: string[];
  identitiesDeleted: number;
  eventsScrubbed: number;
  auditId: string;
  /** The runs that wrote to these customers' timelines: their logs hold the same data. */
  runIds: string[];
}

// ---------------------------------------------------------------------------
// Merges and the review queue.
// ---------------------------------------------------------------------------

export interface MergeOptions {
  /** Who merged: a user id, or `system:<rule>` for automatic merges. */
  actor: string;
  /** Why (free text or the decision's reasons); stored on the merge and in the audit log. */
  reason?: string | Record<string, unknown>;
}

export interface MergeResult {
  mergeId: string;
  targetId: string;
  /** The customers merged into the target (already-merged ids given are followed to their survivor). */
  sourceIds: string[];
}

export interface UndoMergeResult {
  mergeId: string;
  targetId: string;
  /** The customers restored. */
  restoredIds: string[];
  /** Whether the survivor and each restored customer are now kept apart (as a review's `separate`). */
  separated: boolean;
}

export type ReviewStatus = 'pending' | 'merged' | 'separated';

export interface ReviewQuery {
  /** `pending` (default), `merged` or `separated`; anything else is invalid_query (it comes from a URL). */
  status?: ReviewStatus | (string & {});
  /** 1–200, default 50. */
  limit?: number;
  cursor?: string;
  /** Only items with a reason of this rule: `rematch` (queued by customer.rematch), `fuzzy`, `conflict:email`, `identifier:phone`… */
  rule?: string;
  /** `oldest` first (default) or highest `score` first; a cursor belongs to the order it was made in. */
  order?: 'oldest' | 'score' | (string & {});
}

export interface ReviewItem {
  id: string;
  status: ReviewStatus;
  score: number;
  reasons: MatchDecision['reasons'];
  /** The customer the record landed on, and the candidate it may be (merged ids followed to their survivor). */
  customerId: string;
  candidateId: string;
  /** The two customers, as they are now (merged ids followed to their survivor). */
  customer: CustomerSummary | null;
  candidate: CustomerSummary | null;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  /** The merge a `merge` decision made (undo it with undoMerge). */
  mergeId: string | null;
}

export interface ReviewPage {
  items: ReviewItem[];
  nextCursor: string | null;
}

export interface ReviewDecisionResult {
  review: ReviewItem;
  /** Set for a `merge` decision. */
  merge?: MergeResult;
}
