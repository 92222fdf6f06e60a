import type { Item, Provenance } from '@tributary/engine';

// The shapes of customer.score and customer.rescore: model configs as the node's JSON Schema
// describes them, and what the store answers.

/** One attribute test. Every operator given must hold. */
export interface AttributeCondition {
  /** Item field or customer attribute; a dotted path reads into objects (`payload.title`). */
  field: string;
  /** Where to read: the item, the customer's attributes, or the item and else the customer (default). */
  of?: 'item' | 'customer' | 'any';
  equals?: string | number | boolean;
  notEquals?: string | number | boolean;
  oneOf?: (string | number | boolean)[];
  /** Text containing this (case-insensitive), or a list holding it. */
  contains?: string;
  /** true: present and not empty; false: absent or empty. */
  exists?: boolean;
  gte?: number;
  lte?: number;
}

/** When a rule applies. Every part given must hold; an empty condition always holds. */
export interface RuleCondition {
  /** The item's event type is one of these. */
  eventTypes?: string[];
  attributes?: AttributeCondition[];
  /** The customer has all of these tags. */
  tags?: string[];
  /** The customer has none of these tags. */
  notTags?: string[];
  /** The customer's stage is one of these. */
  stages?: string[];
  /** JSONata over `{item, customer, event}`; truthy holds. */
  expression?: string;
}

export interface ScoreRule {
  /** Names the rule in the explanation and in its per-customer counter (shared by flows that use the same id). */
  id: string;
  title?: string;
  when: RuleCondition;
  /** Added (negative: subtracted) each time the rule applies. */
  points: number;
  /** At most once for a customer, ever. */
  oncePerCustomer?: boolean;
  /** At most this many times for a customer, ever. */
  maxTimes?: number;
}

/**
 * "No reply to sales for 3 days −10": points when a customer has had no event of the
 * `activity` types for `days` days. With `since`, the clock starts at the latest event of
 * those types (sales contacted them) and stops at an activity after it; without, it counts
 * from the latest activity (else from when the customer was created).
 */
export interface InactivityRule {
  id: string;
  title?: string;
  activity: string[];
  since?: string[];
  days: number;
  points: number;
  /** Apply again every this many further days of the same silence (default: once per silence). */
  repeatEveryDays?: number;
  /** With repeatEveryDays: at most this many times per silence. */
  maxTimes?: number;
}

export interface Threshold {
  id: string;
  title?: string;
  /** In range when score >= min (no min: no lower bound). */
  min?: number;
  /** In range when score < max (no max: no upper bound). */
  max?: number;
  /** Only for customers in one of these stages (as they were before this scoring). */
  stages?: string[];
  /** The priority while in range; the first threshold in range that names one wins. */
  priority?: string;
  /** The stage to move to while in range: forward only along stageOrder unless allowBackward. */
  stage?: string;
  allowBackward?: boolean;
  /** Tags the customer has while in range and loses when it leaves. */
  tags?: string[];
  /** Which crossings emit the item on `crossed` (default enter). */
  emit?: 'enter' | 'leave' | 'both' | 'none';
}

export interface RulesModelConfig {
  rules?: ScoreRule[];
  inactivity?: InactivityRule[];
  /**
   * Halves the score every halfLifeDays since score_updated_at. Decay on its own is applied
   * once it is worth minPoints (default 1), so a daily rescore does not write an event per
   * customer per day for a point each.
   */
  decay?: { halfLifeDays: number; minPoints?: number };
  floor?: number;
  cap?: number;
  thresholds?: Threshold[];
  /** Lifecycle stages in order; thresholds move customers forward along it. */
  stageOrder?: string[];
}

export interface RfmSegment {
  label: string;
  /** Inclusive score ranges 1–5; a bound left out is open. */
  r?: [number, number];
  f?: [number, number];
  m?: [number, number];
}

export interface RfmBreakpoints {
  /** Days since the last purchase at most these for R = 5, 4, 3, 2 (else 1); ascending. */
  recencyDays: number[];
  /** Orders at least these for F = 2, 3, 4, 5; ascending. */
  frequency: number[];
  /** Monetary total at least these for M = 2, 3, 4, 5; ascending decimal strings or numbers. */
  monetary: (string | number)[];
}

export interface RfmConfig {
  /** Purchase event types (default pos_purchase, order_placed, order_paid). */
  eventTypes?: string[];
  /** Events that void the order with the same order id (default order_cancelled, pos_order_cancelled, order_refunded). */
  cancelTypes?: string[];
  /** Payload paths tried in order for the amount, a decimal string or number (default `amount`). */
  amountPaths?: string[];
  /** Payload path of the order id: events of one order count once (default `order_id`). */
  orderIdPath?: string;
  /** Frequency and monetary count orders of the last N days (recency looks at all). */
  lookbackDays?: number;
  /** Fixed breakpoints, or `quintiles` of the live customers with orders, computed in SQL. */
  method?: 'fixed' | 'quintiles';
  breakpoints?: RfmBreakpoints;
  /** First match wins; the default map names champions, loyal, cant_lose, at_risk, new, potential_loyalist, about_to_sleep, lost, hibernating. */
  segments?: RfmSegment[];
  /** Attribute name prefix (default `rfm_`): rfm_r, rfm_f, rfm_m, rfm_segment, rfm_monetary, rfm_frequency, rfm_last_purchase_at. */
  attributePrefix?: string;
}

/** Breakpoints resolved for one computation (fixed, or quintiles measured on the store). */
export interface ResolvedRfmBreakpoints {
  recencyDays: number[];
  frequency: number[];
  monetary: string[];
  /** Quintiles compare strictly (> p80 for 5) so that ties at the low end do not all score high. */
  strict: boolean;
  /** How many customers the quintiles were measured on. */
  population?: number;
}

/** A rule's part in a score change, as the timeline explains it. */
export interface AppliedRule {
  /** The rule id, or `decay`, `floor`, `cap`. */
  rule: string;
  points: number;
  reason: string;
  title?: string;
  /** Inactivity: applications in this entry (points is the total). */
  times?: number;
}

export interface Crossing {
  threshold: string;
  direction: 'entered' | 'left';
  min?: number;
  max?: number;
  priority?: string;
  stage?: string;
  /** RFM: the segment left and entered. */
  from?: string | null;
  to?: string;
}

export type ExpressionFn = (expression: string, input: unknown) => Promise<unknown>;

export interface ScoreRequestItem {
  customerId: string;
  /** From ctx.idempotencyKey(i): the score_changed event's key, so a retried step adds nothing twice. */
  idempotencyKey: string;
  item: Item;
  eventType?: string;
}

export interface ScoreRequest {
  config: RulesModelConfig;
  items: ScoreRequestItem[];
  provenance: Provenance;
  /** JSONata for `expression` conditions (the node's ctx.expr with its bindings). */
  evaluate?: ExpressionFn;
}

export interface ScoreOutcome {
  /** scored (written or nothing to change), replayed (an earlier attempt wrote it), not_found, failed (its condition threw). */
  status: 'scored' | 'replayed' | 'not_found' | 'failed';
  /** The live customer scored: a merged id is followed to its survivor. */
  customerId: string;
  score: number;
  scoreDelta: number;
  priority: string | null;
  stage: string;
  tags: string[];
  rules: AppliedRule[];
  crossed: Crossing[];
  /** Whether a score_changed event was written (or found, on a replay). */
  changed: boolean;
  error?: { code: string; message: string };
}

export interface RfmRequestItem {
  customerId: string;
  idempotencyKey: string;
}

export interface RfmRequest {
  config: RfmConfig;
  items: RfmRequestItem[];
  provenance: Provenance;
  /** Breakpoints already measured (the node caches quintiles); default: fixed ones, or quintiles measured now. */
  breakpoints?: ResolvedRfmBreakpoints;
}

export interface RfmValues {
  r: number;
  f: number;
  m: number;
  segment: string;
  frequency: number;
  /** Decimal string. */
  monetary: string;
  lastPurchaseAt: string;
  recencyDays: number;
}

export interface RfmOutcome {
  status: 'scored' | 'replayed' | 'not_found';
  customerId: string;
  /** null when the customer has no orders. */
  rfm: RfmValues | null;
  previous: Partial<RfmValues> | null;
  changed: boolean;
  score: number;
  priority: string | null;
  stage: string;
  crossed: Crossing[];
}

export interface RescoreRequest {
  model: 'rules' | 'rfm';
  rules?: RulesModelConfig;
  rfm?: RfmConfig;
  /** Names the run in idempotency keys: `<scope>:<customer>:<UTC day>`, so a second run on the same day changes nothing. */
  scope: string;
  provenance: Provenance;
  /** Customers per transaction (default 1000). */
  batchSize?: number;
  /** Crossings returned at most (default 10,000); the counts cover all. */
  maxCrossings?: number;
  signal?: AbortSignal;
}

export interface RescoreSummary {
  model: 'rules' | 'rfm';
  /** The UTC day the idempotency keys name. */
  day: string;
  /** Customers visited (those already rescored today by this scope are not). */
  customers: number;
  changed: number;
  /** Customers a concurrent run of this scope rescored while this one waited for their locks. */
  skipped: number;
  crossedCount: number;
  crossed: { customerId: string; score: number; scoreDelta: number; priority: string | null; stage: string; crossed: Crossing[] }[];
  batches: number;
  ms: number;
  breakpoints?: ResolvedRfmBreakpoints;
}
