// The step test's decisions that need no React: which items a node is tested on, which
// trigger a "run up to here" starts from, and how a value fits in a table cell.
import { specKey, type NodeSpec } from './catalog.types.js';
import type { FlowTestData, TestItem } from './test-data.store.js';

/** Just what these helpers read of the canvas (React Flow nodes and edges fit). */
export interface GraphNode {
  id: string;
  data: { type: string; version: number };
}
export interface GraphEdge {
  source: string;
  target: string;
  sourceHandle?: string | null;
}

export type InputSource = 'pinned' | 'upstream' | 'sample';

/** The items a node would get from its upstream nodes' last test outputs; undefined unless every upstream node has one. */
export function upstreamOutput(nodeId: string, edges: GraphEdge[], data: FlowTestData): TestItem[] | undefined {
  const incoming = edges.filter((e) => e.target === nodeId);
  if (!incoming.length) return undefined;
  const items: TestItem[] = [];
  for (const e of incoming) {
    const result = data.results[e.source];
    if (!result?.output) return undefined;
    items.push(...(result.output[e.sourceHandle ?? 'out'] ?? []));
  }
  return items;
}

/** A node's declared sample input (`sample.input` in the catalogue). */
export function sampleInput(spec: NodeSpec | undefined): TestItem[] | undefined {
  const input = (spec?.sample as { input?: unknown } | null | undefined)?.input;
  return Array.isArray(input) ? (input as TestItem[]) : undefined;
}

/** Every node from which `nodeId` can be reached, itself included. */
export function ancestorsOf(nodeId: string, edges: GraphEdge[]): Set<string> {
  const seen = new Set([nodeId]);
  const stack = [nodeId];
  while (stack.length) {
    const id = stack.pop()!;
    for (const e of edges) {
      if (e.target === id && !seen.has(e.source)) {
        seen.add(e.source);
        stack.push(e.source);
      }
    }
  }
  return seen;
}

/** The nodes a "run up to here" from `start` runs: those after the trigger on a way to `target`. */
export function untilScope(start: string, target: string, edges: GraphEdge[]): Set<string> {
  const reached = new Set([start]);
  const stack = [start];
  while (stack.length) {
    const id = stack.pop()!;
    for (const e of edges) {
      if (e.source === id && !reached.has(e.target)) {
        reached.add(e.target);
        stack.push(e.target);
      }
    }
  }
  const ancestors = ancestorsOf(target, edges);
  return new Set([...reached].filter((id) => ancestors.has(id)));
}

/** The trigger a "run up to here" starts from, chosen as the API does: a manual trigger, else the first in the flow. */
export function startTrigger(nodeId: string, nodes: GraphNode[], edges: GraphEdge[], specs: Map<string, NodeSpec>): GraphNode | undefined {
  const ancestors = ancestorsOf(nodeId, edges);
  const triggers = nodes.filter((n) => ancestors.has(n.id) && specs.get(specKey(n.data.type, n.data.version))?.trigger);
  return triggers.find((n) => specs.get(specKey(n.data.type, n.data.version))?.trigger === 'manual') ?? triggers[0];
}

/** Nodes of a "run up to here" (or the node alone) that are not pure: their effects are real. */
export function nodesWithEffects(nodeIds: Iterable<string>, nodes: GraphNode[], specs: Map<string, NodeSpec>): GraphNode[] {
  const ids = new Set(nodeIds);
  return nodes.filter((n) => ids.has(n.id) && specs.get(specKey(n.data.type, n.data.version))?.pure !== true);
}

export type ParsedItems = { ok: true; items: TestItem[] } | { ok: false; error: string };

/** The JSON the user typed as items: an array of objects (a single object is taken as one item). */
export function parseItems(text: string): ParsedItems {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  const list = Array.isArray(value) ? value : [value];
  const bad = list.findIndex((v) => !v || typeof v !== 'object' || Array.isArray(v));
  if (bad >= 0) return { ok: false, error: `item ${bad + 1} is not a JSON object` };
  return { ok: true, items: list as TestItem[] };
}

/** The columns of a table of items: every key, in the order first seen. */
export function itemColumns(items: TestItem[]): string[] {
  const cols = new Set<string>();
  for (const it of items) for (const k of Object.keys(it)) cols.add(k);
  return [...cols];
}

/** A cell's text: scalars as they are, objects and arrays as short JSON (the full value goes in the title). */
export function cellText(value: unknown, max = 48): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (typeof value !== 'object') return String(value);
  const json = JSON.stringify(value);
  return json.length > max ? `${json.slice(0, max - 1)}…` : json;
}
