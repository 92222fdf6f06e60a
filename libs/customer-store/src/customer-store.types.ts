import type { CustomerUpsertInput, CustomerUpsertResult, IdentityInput, Provenance } from '@tributary/engine';
import type { IdentityRejection } from './normalization/identity.normalizer.js';

/** One attribute value and where it came from. */
export interface AttributeEntry extends Provenance {
  value: unknown;
  /** When the value was observed (the event's time, else the write time), ISO 8601 UTC. */
  updatedAt: string;
  /** The value this one replaced, one level deep: enough to explain a change, not a full history. */
  previous?: { value: unknown; source: string; runId: string; updatedAt: string };
}

export type AttributeMap = Record<string, AttributeEntry>;

/** CustomerUpsertInput plus what the store also understands. */
export interface StoreUpsertInput extends CustomerUpsertInput {
  /** Added to the customer's tags (never removed by an upsert). */
  tags?: string[];
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
  owner: { id: string } | null;
  score: number;
  stage: string;
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
  /** The customer and any customers merged into it: they hold the same person's data. */
  customerIds: string[];
  identitiesDeleted: number;
  eventsScrubbed: number;
  auditId: string;
}
