import type { ValidateFunction } from 'ajv';
import { createAjv, escapePointer, issuesFromAjv, JSONATA_FORMAT } from './ajv.util.js';
import { ConfigError } from './errors.js';
import { checkExpressionSyntax } from './expression.js';
import type { ConfigIssue, JsonSchema, NodeDefinition } from './node.types.js';

const ajv = createAjv({ useDefaults: true });
// Each definition's schema is compiled once; definitions are long-lived module constants.
const validators = new WeakMap<object, ValidateFunction>();

/** A config checked three ways: JSON Schema, JSONata syntax of `format: jsonata` fields, the node's checkConfig. */
export interface NodeConfigCheck {
  /** A copy of the config with schema defaults applied. */
  config: Record<string, unknown>;
  schemaIssues: ConfigIssue[];
  expressionIssues: Array<ConfigIssue & { position?: number }>;
  /** Issues from the node's own checkConfig (only run when the schema is satisfied). */
  checkIssues: ConfigIssue[];
}

/** The compiled validator of a definition's configSchema; throws when the schema itself is broken. */
export function configValidator(def: Pick<NodeDefinition, 'id' | 'version' | 'configSchema'>): ValidateFunction {
  let v = validators.get(def);
  if (!v) {
    try {
      v = ajv.compile(def.configSchema);
    } catch (err) {
      throw new Error(`configSchema of ${def.id}@${def.version} does not compile: ${err instanceof Error ? err.message : String(err)}`);
    }
    validators.set(def, v);
  }
  return v;
}

/** Checks a node config without throwing; `config` has defaults applied (on a copy). */
export function checkNodeConfig(def: NodeDefinition, config: unknown): NodeConfigCheck {
  const validate = configValidator(def);
  const copy = (config !== null && typeof config === 'object' ? structuredClone(config) : config) as Record<string, unknown>;
  const schemaOk = validate(copy);
  const schemaIssues = schemaOk ? [] : issuesFromAjv(validate.errors);
  const expressionIssues: NodeConfigCheck['expressionIssues'] = [];
  for (const field of expressionFields(def.configSchema, copy)) {
    const err = checkExpressionSyntax(field.source);
    if (err) expressionIssues.push({ path: field.path, message: err.message, position: err.position });
  }
  let checkIssues: ConfigIssue[] = [];
  if (schemaOk && def.checkConfig) {
    try {
      checkIssues = def.checkConfig(copy);
    } catch (err) {
      checkIssues = [{ path: '', message: `config check failed: ${err instanceof Error ? err.message : String(err)}` }];
    }
  }
  return { config: copy, schemaIssues, expressionIssues, checkIssues };
}

/** The config with defaults applied; throws ConfigError naming every problem. */
export function compileNodeConfig<C = Record<string, unknown>>(def: NodeDefinition<C>, config: unknown): C {
  const check = checkNodeConfig(def, config);
  const issues = [...check.schemaIssues, ...check.expressionIssues.map(({ path, message }) => ({ path, message })), ...check.checkIssues];
  if (issues.length) throw new ConfigError(`${def.id}@${def.version}`, issues);
  return check.config as C;
}

/**
 * The string values in `value` whose schema says `format: jsonata`, with their JSON pointers.
 * Follows properties, additionalProperties, items, local $refs and the applicators
 * (a path found twice is reported once).
 */
export function expressionFields(schema: JsonSchema, value: unknown): Array<{ path: string; source: string }> {
  const found = new Map<string, string>();
  const walk = (s: unknown, v: unknown, path: string, depth: number): void => {
    if (!s || typeof s !== 'object' || depth > 32) return;
    const sch = s as Record<string, unknown>;
    if (typeof sch.$ref === 'string' && sch.$ref.startsWith('#')) walk(resolveLocalRef(schema, sch.$ref), v, path, depth + 1);
    if (sch.format === JSONATA_FORMAT && typeof v === 'string') found.set(path, v);
    for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
      if (Array.isArray(sch[k])) for (const sub of sch[k] as unknown[]) walk(sub, v, path, depth + 1);
    }
    for (const k of ['then', 'else'] as const) walk(sch[k], v, path, depth + 1);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const props = (sch.properties ?? {}) as Record<string, unknown>;
      for (const [key, child] of Object.entries(v)) {
        const sub = key in props ? props[key] : sch.additionalProperties;
        walk(sub, child, `${path}/${escapePointer(key)}`, depth + 1);
      }
    }
    if (Array.isArray(v)) {
      const prefix = Array.isArray(sch.prefixItems) ? (sch.prefixItems as unknown[]) : [];
      v.forEach((child, i) => walk(i < prefix.length ? prefix[i] : sch.items, child, `${path}/${i}`, depth + 1));
    }
  };
  walk(schema, value, '', 0);
  return [...found].map(([path, source]) => ({ path, source }));
}

function resolveLocalRef(root: JsonSchema, ref: string): unknown {
  const parts = ref.slice(1).split('/').filter(Boolean).map((p) => decodeURIComponent(p).replace(/~1/g, '/').replace(/~0/g, '~'));
  let cur: unknown = root;
  for (const p of parts) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}
