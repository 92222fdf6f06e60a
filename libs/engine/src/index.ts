export * from './node.types.js';
export * from './flow.types.js';
export * from './executor.types.js';
export * from './errors.js';
export { createAjv, schemaDraft, issuesFromAjv, escapePointer, JSONATA_FORMAT, EDITOR_KEYWORDS, type AnyAjv, type CreateAjvOptions } from './ajv.util.js';
export { flowDocumentSchema, FLOW_ID_PATTERN, NODE_ID_PATTERN, NODE_TYPE_PATTERN, PORT_PATTERN, ENDPOINT_PATTERN } from './flow.schema.js';
export { createNodeRegistry, knownVersions, type NodeCatalogRegistry } from './registry.js';
export { validateFlow, type FlowValidationResult } from './validate-flow.js';
export { compileNodeConfig, checkNodeConfig, configValidator, expressionFields, type NodeConfigCheck } from './node-config.js';
export {
  createExpressionEvaluator,
  compileExpression,
  checkExpressionSyntax,
  clockBindings,
  expressionBindings,
  expressionTruthy,
  DEFAULT_EXPRESSION_LIMITS,
} from './expression.js';
export { FlowGraph, parseEndpoint, parseEdge, inputPorts, outputPorts, DEFAULT_INPUT_PORT, DEFAULT_OUTPUT_PORT, type GraphEdge } from './graph.js';
export { executeFlow, stepErrorOf } from './executor.js';
export { checkNodeOutput } from './node-output.js';
export { resolveRetryPolicy, retryDelayMs, DEFAULT_RETRY_POLICY } from './retry-policy.js';
export { isPlainObject, findNonJson, MAX_JSON_DEPTH, tooDeep, storableText, storableValue, storableJson, withStorableText } from './json.util.js';
export { LruCache } from './lru-cache.js';
export * from './wait.js';
