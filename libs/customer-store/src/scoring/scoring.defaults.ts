import type { RfmBreakpoints, RfmSegment } from './scoring.types.js';

/** Lifecycle stages in order: thresholds move customers forward along it, never back unless a threshold allows it. */
export const DEFAULT_STAGE_ORDER = ['lead', 'mql', 'sql', 'customer', 'churn_risk'] as const;

/** Entries of a score_changed explanation that are not configured rules. */
export const RESERVED_RULE_IDS = ['decay', 'floor', 'cap'] as const;

export const SCORE_EVENT_TYPE = 'score_changed';
/** Written besides score_changed when a threshold moves the stage: payload `{ from, to, threshold, score }` (the funnel report reads it). */
export const STAGE_EVENT_TYPE = 'stage_changed';

export const DEFAULT_RFM_EVENT_TYPES = ['pos_purchase', 'order_placed', 'order_paid'];
/** A refund voids the whole order here: partial refunds are not netted. */
export const DEFAULT_RFM_CANCEL_TYPES = ['order_cancelled', 'pos_order_cancelled', 'order_refunded'];
export const DEFAULT_RFM_AMOUNT_PATHS = ['amount'];
export const DEFAULT_RFM_ORDER_ID_PATH = 'order_id';
export const DEFAULT_RFM_PREFIX = 'rfm_';

/** Retail-ish defaults (CNY): bought within a month, five orders, ¥5,000 are the top tier. */
export const DEFAULT_RFM_BREAKPOINTS: RfmBreakpoints = {
  recencyDays: [30, 60, 120, 240],
  frequency: [2, 3, 4, 5],
  monetary: ['500', '1000', '2000', '5000'],
};

/**
 * The usual RFM map on R and F (M splits the top), first match wins; every (r, f) pair
 * lands somewhere.
 */
export const DEFAULT_RFM_SEGMENTS: RfmSegment[] = [
  { label: 'champions', r: [4, 5], f: [4, 5], m: [4, 5] },
  { label: 'loyal', r: [3, 5], f: [4, 5] },
  { label: 'cant_lose', r: [1, 2], f: [4, 5], m: [4, 5] },
  { label: 'at_risk', r: [1, 2], f: [3, 5] },
  { label: 'new', r: [4, 5], f: [1, 1] },
  { label: 'potential_loyalist', r: [3, 5], f: [2, 3] },
  { label: 'about_to_sleep', r: [3, 3], f: [1, 1] },
  { label: 'lost', r: [1, 1], f: [1, 2] },
  { label: 'hibernating', r: [1, 2], f: [1, 2] },
];

/** The label when no configured segment matches. */
export const RFM_FALLBACK_SEGMENT = 'other';
