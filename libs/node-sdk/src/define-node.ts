import {
  configValidator,
  createAjv,
  isPlainObject,
  NODE_TYPE_PATTERN,
  PORT_PATTERN,
  type ConnectorDefinition,
  type NodeCategory,
  type NodeDefinition,
} from '@tributary/engine';
import { connectorLocaleProblems, nodeLocaleProblems } from './locale.util.js';

const CATEGORIES: NodeCategory[] = ['trigger', 'transform', 'logic', 'customer', 'notify', 'io'];
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const CONNECTOR_ID_PATTERN = /^[a-z0-9_-]+$/;
const nodeId = new RegExp(NODE_TYPE_PATTERN);
const port = new RegExp(PORT_PATTERN);
const ajv = createAjv();

/**
 * Everything wrong with a node declaration, empty when it is sound. Catches at definition
 * time what would otherwise surface in a run: a schema that does not compile, a trigger
 * with inputs, a webhook without `verify`, a node without `run`.
 */
export function validateNodeDefinition(def: NodeDefinition): string[] {
  const problems: string[] = [];
  const fn = (v: unknown) => typeof v === 'function';
  if (typeof def.id !== 'string' || !nodeId.test(def.id)) problems.push(`id "${String(def.id)}" must look like <package>.<name> (${NODE_TYPE_PATTERN})`);
  if (!Number.isInteger(def.version) || def.version < 1) problems.push(`version must be an integer ≥ 1, got ${String(def.version)}`);
  if (typeof def.title !== 'string' || !def.title.trim()) problems.push('title is required');
  if (typeof def.description !== 'string' || !def.description.trim()) problems.push('description is required');
  if (!CATEGORIES.includes(def.category)) problems.push(`category must be one of ${CATEGORIES.join(', ')}`);

  if (!def.configSchema || typeof def.configSchema !== 'object') problems.push('configSchema is required');
  else {
    if (def.configSchema.type !== 'object') problems.push('configSchema must describe an object (type: "object")');
    try {
      configValidator(def);
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }

  const checkPorts = (what: string, ports: unknown) => {
    if (!Array.isArray(ports)) return problems.push(`${what} must be an array of port names`);
    for (const p of ports) if (typeof p !== 'string' || !port.test(p)) problems.push(`${what}: "${String(p)}" is not a valid port name (${PORT_PATTERN})`);
    if (new Set(ports).size !== ports.length) problems.push(`${what} lists a port twice`);
  };
  if (def.inputs !== undefined) checkPorts('inputs', def.inputs);
  if (def.outputs !== undefined && !fn(def.outputs)) checkPorts('outputs', def.outputs);

  const t = def.trigger;
  if (t) {
    if (!Array.isArray(def.inputs) || def.inputs.length !== 0) problems.push('a trigger must declare inputs: []');
    if (def.run !== undefined && !fn(def.run)) problems.push('run must be a function');
    switch (t.kind) {
      case 'webhook':
        // No default verify: an unsigned endpoint has to say so in its own verify.
        if (!fn(t.verify)) problems.push('a webhook trigger must define verify (there is no default)');
        if (!fn(t.map)) problems.push('a webhook trigger must define map');
        for (const k of ['handshake', 'decode', 'respond'] as const) if (t[k] !== undefined && !fn(t[k])) problems.push(`${k} must be a function`);
        if (t.methods !== undefined && (!Array.isArray(t.methods) || !t.methods.every((m) => HTTP_METHODS.includes(String(m).toUpperCase())))) {
          problems.push(`methods must be HTTP methods (${HTTP_METHODS.join(', ')})`);
        }
        if (t.maxBodyBytes !== undefined && (!Number.isInteger(t.maxBodyBytes) || t.maxBodyBytes < 1)) problems.push('maxBodyBytes must be a positive integer');
        break;
      case 'poll':
        if (!t.cursorSchema || typeof t.cursorSchema !== 'object') problems.push('a poll trigger must define cursorSchema');
        else {
          try {
            ajv.compile(t.cursorSchema);
          } catch (err) {
            problems.push(`cursorSchema does not compile: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
        if (!fn(t.initialCursor)) problems.push('a poll trigger must define initialCursor');
        if (!fn(t.poll)) problems.push('a poll trigger must define poll');
        if (!(typeof t.intervalSeconds === 'number' && t.intervalSeconds > 0)) problems.push('a poll trigger must define a positive intervalSeconds');
        break;
      case 'schedule':
      case 'manual':
        break;
      default:
        problems.push(`unknown trigger kind "${String((t as { kind?: unknown }).kind)}"`);
    }
  } else {
    if (!fn(def.run)) problems.push('a node that is not a trigger must define run');
    if (Array.isArray(def.inputs) && def.inputs.length === 0) problems.push('a node that is not a trigger needs at least one input');
  }

  if (def.retry !== undefined) {
    const r = def.retry;
    if (!Number.isInteger(r.maxAttempts) || r.maxAttempts < 1) problems.push('retry.maxAttempts must be an integer ≥ 1');
    if (!(Number.isInteger(r.backoffMs) && r.backoffMs >= 0)) problems.push('retry.backoffMs must be an integer ≥ 0');
  }
  if (def.connection !== undefined && (typeof def.connection.type !== 'string' || typeof def.connection.required !== 'boolean')) {
    problems.push('connection must be { type: string, required: boolean }');
  } else if (def.connection?.typeField !== undefined) {
    const field = (def.configSchema.properties as Record<string, unknown> | undefined)?.[def.connection.typeField];
    if (!field) problems.push(`connection.typeField "${def.connection.typeField}" is not a property of configSchema`);
  }
  if (def.sample !== undefined) {
    if (!def.sample.config || typeof def.sample.config !== 'object') problems.push('sample.config must be an object');
    if (def.sample.input !== undefined && !Array.isArray(def.sample.input)) problems.push('sample.input must be an array of items');
  }
  if (def.checkConfig !== undefined && !fn(def.checkConfig)) problems.push('checkConfig must be a function');
  problems.push(...nodeLocaleProblems(def));
  return problems;
}

/** Declares a node: validated now, frozen so that nothing changes it at run time. */
export function defineNode<C = Record<string, unknown>>(def: NodeDefinition<C>): NodeDefinition<C> {
  const problems = validateNodeDefinition(def as NodeDefinition);
  if (problems.length) throw new Error(`invalid node definition ${String(def.id)}@${String(def.version)}:\n  - ${problems.join('\n  - ')}`);
  return deepFreeze(def);
}

/** Declares a connector: its node ids carry its id as prefix, and each id+version appears once. */
export function defineConnector(def: ConnectorDefinition): ConnectorDefinition {
  const problems: string[] = [];
  if (typeof def.id !== 'string' || !CONNECTOR_ID_PATTERN.test(def.id)) problems.push(`id "${String(def.id)}" must match ${CONNECTOR_ID_PATTERN}`);
  if (typeof def.title !== 'string' || !def.title.trim()) problems.push('title is required');
  if (typeof def.description !== 'string' || !def.description.trim()) problems.push('description is required');
  if (!Array.isArray(def.nodes) || def.nodes.length === 0) problems.push('nodes must list at least one node');
  const seen = new Set<string>();
  for (const node of def.nodes ?? []) {
    if (!node.id?.startsWith(`${def.id}.`)) problems.push(`node ${node.id} must be named ${def.id}.<name>`);
    const key = `${node.id}@${node.version}`;
    if (seen.has(key)) problems.push(`node ${key} is listed twice`);
    seen.add(key);
    for (const p of validateNodeDefinition(node)) problems.push(`${key}: ${p}`);
  }
  if (def.auth !== undefined) {
    try {
      ajv.compile(def.auth);
    } catch (err) {
      problems.push(`auth schema does not compile: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (def.check !== undefined && typeof def.check !== 'function') problems.push('check must be a function');
  problems.push(...connectorLocaleProblems(def));
  if (problems.length) throw new Error(`invalid connector ${String(def.id)}:\n  - ${problems.join('\n  - ')}`);
  return deepFreeze({ ...def, nodes: [...def.nodes] });
}

/** Freezes plain data (objects, arrays) all the way down; functions are left as they are. */
function deepFreeze<T>(value: T): T {
  if ((Array.isArray(value) || isPlainObject(value)) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
