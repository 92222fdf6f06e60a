export type * from './match.types.js';
export { jaro, jaroWinkler } from './jaro-winkler.comparator.js';
export { preparePersonName, comparePersonNames, type PreparedName } from './person-name.comparator.js';
export {
  prepareField,
  compareField,
  compareDates,
  levenshteinSimilarity,
  plainText,
  type PreparedValue,
} from './field.comparator.js';
export {
  scorePair,
  compileConfig,
  prepareRecord,
  scorePrepared,
  explainPrepared,
  sharedIdentities,
  type CompiledConfig,
  type CompiledField,
  type PreparedRecord,
} from './pair.scorer.js';
export { blockingKeys, soundex } from './blocking-key.util.js';
export { bridgeVeto, decide, identifierConflict, conflictFieldVeto, conflictIdentifierVeto, nearlyEqual, rareBonus, type DecideContext } from './match.decider.js';
export { DEFAULT_MATCH_CONFIG } from './default-match.config.js';
export { recordFromRow, identityFuzzyFields } from './match-record.mapper.js';
export { BatchMatcher, prepareBatchRecord, type BatchRecordInput, type BatchMatcherOptions, type BatchDecision, type BatchReasonKind } from './batch.matcher.js';
export { matchConfigSchema, validateMatchConfig } from './match-config.schema.js';
