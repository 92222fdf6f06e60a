// What changed between two flow documents: for the publish dialog, the versions panel and the
// unsaved-changes marker. Pure, so it is unit-tested without a browser. Nodes are matched by id.
import type { FlowDocument, FlowEdgeDoc, FlowNodeDoc } from './flow.types.js';

/** One value that differs. `path` is a JSON Pointer under the node (`/config/expression`) or the flow (`/settings/retry`); absent is `undefined`. */
export interface ValueChange {
  path: string;
  before: unknown;
  after: unknown;
}

export interface NodeRef {
  id: string;
  type: string;
  name?: string;
}

export interface NodeChange extends NodeRef {
  changes: ValueChange[];
}

export interface NodeMove extends NodeRef {
  before?: { x: number; y: number };
  after?: { x: number; y: number };
}

export interface FlowDiff {
  name: ValueChange | null;
  description: ValueChange | null;
  /** `settings` (concurrency, retry) of the flow. */
  settings: ValueChange[];
  /** Other top-level fields (`x-…` tool metadata): saved, but not behaviour. */
  meta: ValueChange[];
  nodes: {
    added: NodeRef[];
    removed: NodeRef[];
    /** Changes of behaviour: name, type/version, disabled, retry, config and other node fields. */
    changed: NodeChange[];
    /** Position only: a layout change, reported apart and not a change of behaviour. */
    moved: NodeMove[];
  };
  /** Edges with default ports left out (`a` = `a:out`, `b` = `b:in`). */
  edges: { added: FlowEdgeDoc[]; removed: FlowEdgeDoc[] };
}

export interface DiffOptions {
  /**
   * A node type's config JSON Schema: a key left out and the same key set to its schema `default`
   * mean the same (at any depth), as the settings form fills defaults in when it first shows a config.
   */
  configSchema?: (type: string, version: number) => unknown;
}

/**
 * `value` with the schema's `default`s filled in where it leaves a key out, in nested objects and
 * array items too; an absent object whose properties have defaults is filled as the form fills it.
 */
export function withSchemaDefaults(schema: unknown, value: unknown): unknown {
  if (!isObject(schema)) return value;
  if (Array.isArray(value)) return isObject(schema.items) ? value.map((v) => withSchemaDefaults(schema.items, v)) : value;
  if (!isObject(value) || !isObject(schema.properties)) return value;
  const out: Record<string, unknown> = { ...value };
  for (const [key, prop] of Object.entries(schema.properties)) {
    if (!isObject(prop)) continue;
    if (out[key] !== undefined) out[key] = withSchemaDefaults(prop, out[key]);
    else if (prop.default !== undefined) out[key] = withSchemaDefaults(prop, prop.default);
    else if (isObject(prop.properties)) {
      const filled = withSchemaDefaults(prop, {}) as Record<string, unknown>;
      if (Object.keys(filled).length) out[key] = filled;
    }
  }
  return out;
}

const EMPTY: FlowDocument = { name: '', nodes: [], edges: [] };
// Top-level fields with a section of their own in the diff, or that do not describe the flow.
const TOP_LEVEL = new Set(['schemaVersion', 'id', 'name', 'description', 'settings', 'nodes', 'edges']);
// Node fields compared on their own; everything else (retry, x-…) is compared generically.
const NODE_OWN = new Set(['id', 'type', 'version', 'name', 'disabled', 'config', 'position']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Deep equality of JSON values; key order does not matter, an absent key equals `undefined`. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  // No key sets: this runs for every node on every render of the editor (the unsaved-changes marker).
  for (const k in a) if (!jsonEqual(a[k], b[k])) return false;
  for (const k in b) if (!(k in a) && b[k] !== undefined) return false;
  return true;
}

/**
 * The leaf values that differ under `path`. Objects are compared key by key; an array of the same
 * length item by item; an array that grew or shrank is one change (indexes would all shift).
 */
export function valueChanges(before: unknown, after: unknown, path = ''): ValueChange[] {
  if (jsonEqual(before, after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => valueChanges(before[k], after[k], `${path}/${escape(k)}`));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((x, i) => valueChanges(x, after[i], `${path}/${i}`));
  }
  return [{ path: path || '/', before, after }];
}

/** A node's fields other than config and position, so that equivalent spellings compare equal. */
function nodeFields(n: FlowNodeDoc): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in n) if (!NODE_OWN.has(k) && n[k] !== undefined) out[k] = n[k];
  out.type = n.type;
  out.version = n.version;
  // A node named after its id has no name of its own (the editor drops it on save).
  if (n.name && n.name !== n.id) out.name = n.name;
  if (n.disabled === true) out.disabled = true;
  return out;
}

function configChanges(a: FlowNodeDoc, b: FlowNodeDoc, opts: DiffOptions): ValueChange[] {
  // The canvas keeps the saved config object until a field is edited: most nodes stop here.
  if (a.config === b.config && a.type === b.type && a.version === b.version) return [];
  const withDefaults = (n: FlowNodeDoc) => {
    const schema = opts.configSchema?.(n.type, n.version);
    return (schema ? withSchemaDefaults(schema, n.config ?? {}) : (n.config ?? {})) as Record<string, unknown>;
  };
  return valueChanges(withDefaults(a), withDefaults(b), '/config');
}

const ref = (n: FlowNodeDoc): NodeRef => (n.name && n.name !== n.id ? { id: n.id, type: n.type, name: n.name } : { id: n.id, type: n.type });

function normalizeEdge(e: FlowEdgeDoc): FlowEdgeDoc & { key: string } {
  const [fn, fp = 'out'] = e.from.split(':');
  const [tn, tp = 'in'] = e.to.split(':');
  const from = fp === 'out' ? fn! : `${fn}:${fp}`;
  const to = tp === 'in' ? tn! : `${tn}:${tp}`;
  return { from, to, key: `${fn}:${fp}>${tn}:${tp}` };
}

const samePosition = (a?: { x: number; y: number }, b?: { x: number; y: number }) =>
  // A node saved without a position (a flow written by hand or by the API) gets one when the editor
  // first saves it: no move. The editor rounds positions when it saves: sub-pixel noise is no move either.
  !a || !b || (Math.round(a.x) === Math.round(b.x) && Math.round(a.y) === Math.round(b.y));

/** The differences from `before` to `after`; `before = null` (nothing published yet) diffs against an empty flow. */
export function diffFlows(before: FlowDocument | null, after: FlowDocument, opts: DiffOptions = {}): FlowDiff {
  const a = before ?? EMPTY;
  const nameChange = (a.name ?? '') === (after.name ?? '') ? null : { path: '/name', before: before ? a.name : undefined, after: after.name };
  const descChange = (a.description ?? '') === (after.description ?? '') ? null : { path: '/description', before: a.description, after: after.description };
  const metaKeys = [...new Set([...Object.keys(a), ...Object.keys(after)])].filter((k) => !TOP_LEVEL.has(k)).sort();

  const beforeNodes = new Map(a.nodes.map((n) => [n.id, n]));
  const afterNodes = new Map(after.nodes.map((n) => [n.id, n]));
  const added = after.nodes.filter((n) => !beforeNodes.has(n.id)).map(ref);
  const removed = a.nodes.filter((n) => !afterNodes.has(n.id)).map(ref);
  const changed: NodeChange[] = [];
  const moved: NodeMove[] = [];
  for (const n of after.nodes) {
    const old = beforeNodes.get(n.id);
    if (!old) continue;
    const changes = [...configChanges(old, n, opts), ...valueChanges(nodeFields(old), nodeFields(n))];
    if (changes.length) changed.push({ ...ref(n), changes });
    if (!samePosition(old.position, n.position)) moved.push({ ...ref(n), before: old.position, after: n.position });
  }

  const beforeEdges = new Map(a.edges.map((e) => [normalizeEdge(e).key, e]));
  const afterEdges = new Map(after.edges.map((e) => [normalizeEdge(e).key, e]));
  const strip = (e: FlowEdgeDoc): FlowEdgeDoc => {
    const { from, to } = normalizeEdge(e);
    return { from, to };
  };

  return {
    name: nameChange,
    description: descChange,
    settings: valueChanges(a.settings ?? {}, after.settings ?? {}, '/settings'),
    meta: metaKeys.flatMap((k) => valueChanges(a[k], after[k], `/${escape(k)}`)),
    nodes: { added, removed, changed, moved },
    edges: {
      added: [...afterEdges].filter(([k]) => !beforeEdges.has(k)).map(([, e]) => strip(e)),
      removed: [...beforeEdges].filter(([k]) => !afterEdges.has(k)).map(([, e]) => strip(e)),
    },
  };
}

/** Whether runs would behave differently: nodes, edges or settings changed (not names, notes or layout). */
export function changesBehaviour(d: FlowDiff): boolean {
  return d.nodes.added.length + d.nodes.removed.length + d.nodes.changed.length + d.edges.added.length + d.edges.removed.length + d.settings.length > 0;
}

/** Whether anything at all differs, layout and names included (what saving would write). */
export function hasChanges(d: FlowDiff): boolean {
  return changesBehaviour(d) || d.name !== null || d.description !== null || d.meta.length > 0 || d.nodes.moved.length > 0;
}

export interface DiffCounts {
  added: number;
  removed: number;
  changed: number;
  moved: number;
  edges: number;
  /** Name, description, settings and metadata of the flow. */
  flow: number;
}

export function diffCounts(d: FlowDiff): DiffCounts {
  return {
    added: d.nodes.added.length,
    removed: d.nodes.removed.length,
    changed: d.nodes.changed.length,
    moved: d.nodes.moved.length,
    edges: d.edges.added.length + d.edges.removed.length,
    flow: (d.name ? 1 : 0) + (d.description ? 1 : 0) + d.settings.length + d.meta.length,
  };
}

/** A value for one line of a diff: JSON, cut to `max` characters. */
export function showValue(v: unknown, max = 120): string {
  if (v === undefined) return '∅';
  // Strings unescaped: an expression reads better as written than as JSON with backslashes.
  const s = typeof v === 'string' ? `"${v}"` : JSON.stringify(v) ?? String(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
