export { customerConnector, customerNodes } from './customer.connector.js';
export { normalizeNode, type NormalizeConfig } from './nodes/normalize.node.js';
export { upsertNode, survivorshipSchema, type UpsertConfig } from './nodes/upsert.node.js';
export { resolveNode, type ResolveConfig, type ItemResolution } from './nodes/resolve.node.js';
export { DEFAULT_FIELD_ALIASES, DEFAULT_OTHER_IDENTITY_FIELDS } from './fields/customer-fields.util.js';
export { scoreNode, checkScoringConfig, type ScoreConfig } from './nodes/score.node.js';
export { rescoreNode, type RescoreConfig } from './nodes/rescore.node.js';
export { rematchNode, type RematchConfig } from './nodes/rematch.node.js';
