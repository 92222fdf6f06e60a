// Saved dynamic segments: a definition (a JSON tree of conditions) compiled to one SQL
// predicate over live customers, members kept up to date incrementally, and every entry and
// exit recorded in segment_changes (the outbox of customer.segment-entered flows).

/** A segment definition: `all` / `any` / `not` over conditions. */
export type SegmentNode = SegmentAll | SegmentAny | SegmentNot | FieldCondition | EventCondition;

export interface SegmentAll {
  /** Every child holds (an empty list: every live customer). */
  all: SegmentNode[];
}

export interface SegmentAny {
  /** At least one child holds. */
  any: SegmentNode[];
}

export interface SegmentNot {
  not: SegmentNode;
}

/** Customer columns a condition may name. */
export const SEGMENT_NUMBER_FIELDS = ['score'] as const;
export const SEGMENT_TEXT_FIELDS = ['stage', 'priority', 'owner_id', 'first_channel'] as const;
export const SEGMENT_TIME_FIELDS = ['created_at', 'updated_at', 'last_interaction_at', 'assigned_at', 'stage_changed_at', 'score_updated_at'] as const;
export const SEGMENT_TAG_FIELDS = ['tags'] as const;

export type SegmentColumn =
  | (typeof SEGMENT_NUMBER_FIELDS)[number]
  | (typeof SEGMENT_TEXT_FIELDS)[number]
  | (typeof SEGMENT_TIME_FIELDS)[number]
  | (typeof SEGMENT_TAG_FIELDS)[number];

export const NUMBER_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'notIn'] as const;
export const TEXT_OPS = ['eq', 'neq', 'in', 'notIn', 'exists', 'notExists'] as const;
export const TIME_OPS = ['before', 'after', 'withinLastDays', 'olderThanDays', 'withinNextDays', 'exists', 'notExists'] as const;
export const TAG_OPS = ['contains', 'notContains', 'containsAny', 'containsAll', 'exists', 'notExists'] as const;
/** Attribute values are free-form JSON: text, number and time operators all apply. */
export const ATTRIBUTE_OPS = [
  'eq', 'neq', 'in', 'notIn', 'contains', 'notContains', 'exists', 'notExists',
  'gt', 'gte', 'lt', 'lte', 'between',
  'before', 'after', 'withinLastDays', 'olderThanDays', 'withinNextDays',
] as const;

export type SegmentOp = (typeof ATTRIBUTE_OPS)[number] | (typeof TAG_OPS)[number];

/**
 * A test of one customer column (`score`, `stage`, `tags`, `last_interaction_at`, …) or of an
 * attribute's value (`attributes.<name>`, e.g. `attributes.rfm_segment`).
 */
export interface FieldCondition {
  field: SegmentColumn | `attributes.${string}`;
  op: SegmentOp;
  /** A string, number or boolean; a list for in / notIn / containsAny / containsAll; [low, high] for between; days for the *Days operators; an ISO time for before / after. */
  value?: unknown;
}

/** The customer has events of these types on its timeline (at least minCount, within the last withinDays days when given). */
export interface EventCondition {
  event: {
    types: string[];
    withinDays?: number;
    /** Default 1. */
    minCount?: number;
  };
}

/** One problem with a definition; `path` is a JSON pointer into it. */
export interface SegmentIssue {
  path: string;
  message: string;
}

export interface SegmentView {
  id: string;
  name: string;
  description: string | null;
  definition: SegmentNode;
  enabled: boolean;
  memberCount: number;
  /** When members were last computed over all customers (create, update, the periodic pass). */
  evaluatedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SegmentInput {
  /** Default: a generated id. Lower-case letters, digits, `-` and `_`. */
  id?: string;
  name: string;
  description?: string | null;
  definition: unknown;
  /** Default true. A disabled segment keeps its members as they were and records no changes. */
  enabled?: boolean;
}

export interface SegmentMember {
  customerId: string;
  enteredAt: string;
  displayName: string | null;
  stage: string;
  score: number;
  priority: string | null;
  ownerId: string | null;
  tags: string[];
  identities: { type: string; value: string }[];
}

export interface SegmentMemberPage {
  items: SegmentMember[];
  nextCursor: string | null;
}

export interface SegmentPreview {
  count: number;
  /** Up to 10 matching customer ids, newest activity first. */
  sample: string[];
}

/** What one evaluation did. */
export interface SegmentEvaluationResult {
  segmentId: string;
  memberCount: number;
  entered: number;
  left: number;
  ms: number;
}

export interface IncrementalEvaluationResult {
  /** False when another evaluator held the lock: nothing was done. */
  ran: boolean;
  /** Changed customers evaluated (the settling re-check counts too). */
  customers: number;
  entered: number;
  left: number;
  /** Batches that ended at the batch limit: more changes are waiting. */
  more: boolean;
}
