export type * from './scoring.types.js';
export {
  DEFAULT_STAGE_ORDER,
  DEFAULT_RFM_BREAKPOINTS,
  DEFAULT_RFM_SEGMENTS,
  DEFAULT_RFM_EVENT_TYPES,
  DEFAULT_RFM_CANCEL_TYPES,
  DEFAULT_RFM_AMOUNT_PATHS,
  DEFAULT_RFM_ORDER_ID_PATH,
  DEFAULT_RFM_PREFIX,
  RESERVED_RULE_IDS,
  SCORE_EVENT_TYPE,
  STAGE_EVENT_TYPE,
} from './scoring.defaults.js';
export { evaluateRules, type Evaluation, type EvaluationInput, type InactivityFact, type RuleCounter } from './rules-model.evaluator.js';
export { matchCondition, matchAttribute, type ScoringCustomer } from './rule-condition.util.js';
export { applyThresholds, inRange, isForward, sameStage } from './thresholds.util.js';
export { runScore } from './score.command.js';
export { rescoreRules, rescoreKey } from './rescore.command.js';
export { runRfm, rescoreRfm, resolveRfmBreakpoints } from './rfm.command.js';
export type { ScoringStore } from './scoring-store.types.js';
