export * from './segment.types.js';
export { segmentDefinitionSchema, ATTRIBUTE_FIELD_PATTERN } from './segment-definition.schema.js';
export {
  compileSegmentDefinition,
  validateSegmentDefinition,
  parseSegmentDefinition,
  SqlParams,
  MAX_SEGMENT_CONDITIONS,
  MAX_SEGMENT_DEPTH,
  type CompiledSegment,
} from './segment-definition.compiler.js';
export { SegmentEvaluator, SEGMENT_LOCK, type SegmentEvaluatorOptions } from './segment.evaluator.js';
export { SegmentService, SEGMENT_ID_PATTERN } from './segment.service.js';
