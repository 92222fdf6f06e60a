export { coreConnector, coreNodes } from './core.connector.js';
export { webhookTrigger, itemsOf, DEFAULT_DEDUPE_HEADERS, type WebhookConfig } from './triggers/webhook.trigger.js';
export { manualTrigger } from './triggers/manual.trigger.js';
export { scheduleTrigger, nextFireTimes, cronProblem, timezoneProblem, type ScheduleConfig } from './triggers/schedule.trigger.js';
export { transformNode, type TransformConfig } from './nodes/transform.node.js';
export { filterNode, type FilterConfig } from './nodes/filter.node.js';
export { branchNode, branchPorts, type BranchConfig, type BranchRule } from './nodes/branch.node.js';
export { validateNode, schemaValidator, type ValidateConfig } from './nodes/validate.node.js';
export { httpNode, type HttpConfig } from './nodes/http.node.js';
