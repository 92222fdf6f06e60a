import type { Connection, Edge, Node } from '@xyflow/react';
import { outputPorts, specKey, type NodeSpec } from './catalog.types.js';
import type { FlowDocument, FlowEdgeDoc, FlowNodeDoc, FlowProblem } from './flow.types.js';

export interface FlowNodeData extends Record<string, unknown> {
  label: string;
  type: string;
  version: number;
  disabled: boolean;
  inputs: string[];
  outputs: string[];
  config: Record<string, unknown>;
  title?: string;
  /** Port name → label in the language shown (the catalogue's translation; the name is the id edges use). */
  portLabels?: Record<string, string>;
  icon?: string | null;
  category?: string;
  trigger?: boolean;
  /** Problems the API reported for this node on the last save or publish. */
  problems?: FlowProblem[];
  /** On a run's canvas: the status of this node's step (`notReached` when it has none). */
  runStatus?: string;
  /** Fields of the node document the editor does not edit (`retry`, …), written back unchanged. */
  extra?: Record<string, unknown>;
}

export type FlowCanvasNode = Node<FlowNodeData, 'flowNode'>;

export function endpoint(ref: string, defaultPort: string): { node: string; port: string } {
  const i = ref.indexOf(':');
  return i < 0 ? { node: ref, port: defaultPort } : { node: ref.slice(0, i), port: ref.slice(i + 1) };
}

/** Depth of each node from the triggers: a fallback layout for nodes saved without a position. */
function depths(nodes: FlowNodeDoc[], links: Array<{ from: string; to: string }>): Map<string, number> {
  const depth = new Map(nodes.map((n) => [n.id, 0]));
  for (let pass = 0; pass < nodes.length; pass++) {
    for (const { from, to } of links) {
      const d = (depth.get(from) ?? 0) + 1;
      if (d > (depth.get(to) ?? 0)) depth.set(to, d);
    }
  }
  return depth;
}

const union = (a: string[], b: Iterable<string>) => [...new Set([...a, ...b])];

export function edgeLabel(fromPort: string, toPort: string): string | undefined {
  // Only named ports are worth a label; plain out → in edges stay clean.
  return toPort !== 'in' ? `${fromPort} → ${toPort}` : fromPort !== 'out' ? fromPort : undefined;
}

/** Canvas data of one node: ports from its catalogue entry (and any port an edge uses), title and icon. */
export function nodeData(doc: FlowNodeDoc, spec: NodeSpec | undefined, used?: { inputs: Set<string>; outputs: Set<string> }): FlowNodeData {
  const { id: _id, type, version, name, disabled, config, position: _p, ...extra } = doc;
  const cfg = config ?? {};
  const usedIn = used?.inputs ?? new Set<string>();
  const usedOut = used?.outputs ?? new Set<string>();
  return {
    label: name ?? doc.id,
    type,
    version,
    disabled: disabled === true,
    inputs: spec ? union(spec.inputs, usedIn) : [...usedIn],
    outputs: spec ? union(outputPorts(spec, cfg), usedOut) : usedOut.size ? [...usedOut] : ['out'],
    config: cfg,
    title: spec?.title,
    portLabels: spec?.portLabels,
    icon: spec?.icon ?? null,
    category: spec?.category,
    trigger: spec ? spec.trigger !== null : usedIn.size === 0,
    extra,
  };
}

/** A flow document as React Flow nodes and edges: ports become handles, and edges from or to a named port carry its name. */
export function toGraph(doc: FlowDocument, catalog?: Map<string, NodeSpec>): { nodes: FlowCanvasNode[]; edges: Edge[] } {
  const links = doc.edges.map((e, i) => ({ i, from: endpoint(e.from, 'out'), to: endpoint(e.to, 'in') }));
  const ports = new Map(doc.nodes.map((n) => [n.id, { inputs: new Set<string>(), outputs: new Set<string>() }]));
  for (const l of links) {
    ports.get(l.from.node)?.outputs.add(l.from.port);
    ports.get(l.to.node)?.inputs.add(l.to.port);
  }
  const depth = depths(doc.nodes, links.map((l) => ({ from: l.from.node, to: l.to.node })));
  const row = new Map<number, number>();
  // Nodes saved without a position go below the ones that have one.
  const placed = doc.nodes.filter((n) => n.position).map((n) => n.position!.y);
  const top = placed.length ? Math.max(...placed) + 180 : 0;
  const nodes: FlowCanvasNode[] = doc.nodes.map((n) => {
    const d = depth.get(n.id) ?? 0;
    const r = row.get(d) ?? 0;
    row.set(d, r + 1);
    return {
      id: n.id,
      type: 'flowNode',
      position: n.position ?? { x: d * 280, y: top + r * 140 },
      data: nodeData(n, catalog?.get(specKey(n.type, n.version)), ports.get(n.id)),
    };
  });
  const edges: Edge[] = links.map(({ i, from, to }) => ({
    id: `e${i}`,
    source: from.node,
    sourceHandle: from.port,
    target: to.node,
    targetHandle: to.port,
    label: edgeLabel(from.port, to.port),
  }));
  return { nodes, edges };
}

/** The canvas back to a flow document: `base` keeps id, settings and any field the editor does not edit. */
export function fromGraph(base: FlowDocument, nodes: FlowCanvasNode[], edges: Edge[]): FlowDocument {
  const nodeDocs: FlowNodeDoc[] = nodes.map((n) => {
    const d = n.data;
    const doc: FlowNodeDoc = { ...(d.extra ?? {}), id: n.id, type: d.type, version: d.version };
    if (d.label && d.label !== n.id) doc.name = d.label;
    if (d.disabled) doc.disabled = true;
    doc.config = d.config;
    doc.position = { x: Math.round(n.position.x), y: Math.round(n.position.y) };
    return doc;
  });
  const edgeDocs: FlowEdgeDoc[] = edges.map((e) => {
    const sp = e.sourceHandle ?? 'out';
    const tp = e.targetHandle ?? 'in';
    return { from: sp === 'out' ? e.source : `${e.source}:${sp}`, to: tp === 'in' ? e.target : `${e.target}:${tp}` };
  });
  return { schemaVersion: 1, ...base, nodes: nodeDocs, edges: edgeDocs };
}

/** Why a connection is refused, as an i18n key (`connect.*`), or `null` when it is fine. */
export type ConnectionRefusal = 'connect.self' | 'connect.triggerInput' | 'connect.unknownPort' | 'connect.cycle' | 'connect.duplicate' | 'connect.incomplete';

export function checkConnection(c: Connection, nodes: FlowCanvasNode[], edges: Edge[]): ConnectionRefusal | null {
  if (!c.source || !c.target) return 'connect.incomplete';
  if (c.source === c.target) return 'connect.self';
  const source = nodes.find((n) => n.id === c.source);
  const target = nodes.find((n) => n.id === c.target);
  if (!source || !target) return 'connect.incomplete';
  if (target.data.trigger || target.data.inputs.length === 0) return 'connect.triggerInput';
  const sp = c.sourceHandle ?? 'out';
  const tp = c.targetHandle ?? 'in';
  if (!source.data.outputs.includes(sp) || !target.data.inputs.includes(tp)) return 'connect.unknownPort';
  if (edges.some((e) => e.source === c.source && e.target === c.target && (e.sourceHandle ?? 'out') === sp && (e.targetHandle ?? 'in') === tp))
    return 'connect.duplicate';
  // A cycle: the target already reaches the source.
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  const seen = new Set<string>();
  const stack = [c.target];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === c.source) return 'connect.cycle';
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return null;
}

/** A readable node id for a new node of `type` (`core.transform` → `transform`, `transform_2`, …). */
export function newNodeId(type: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base =
    (type.split('.').pop() ?? 'node')
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '') || 'node';
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}_${i}`)) return `${base}_${i}`;
}

/** The API's problems by node id; problems of a node's config path count for that node even without `nodeId`. */
export function problemsByNode(problems: FlowProblem[], doc: FlowDocument): Map<string, FlowProblem[]> {
  const out = new Map<string, FlowProblem[]>();
  for (const p of problems) {
    const m = /^\/nodes\/(\d+)(\/|$)/.exec(p.path);
    const id = p.nodeId ?? (m ? doc.nodes[Number(m[1])]?.id : undefined);
    if (!id) continue;
    out.set(id, [...(out.get(id) ?? []), p]);
  }
  return out;
}

export interface ErrorSchemaNode {
  __errors?: string[];
  [field: string]: ErrorSchemaNode | string[] | undefined;
}

/** Problems under `/nodes/<i>/config/…` as an @rjsf error schema, so each shows on its field. */
export function configErrorSchema(problems: FlowProblem[]): ErrorSchemaNode {
  const root: ErrorSchemaNode = {};
  for (const p of problems) {
    const m = /^\/nodes\/\d+\/config(\/.*)?$/.exec(p.path);
    if (!m) continue;
    const parts = (m[1] ?? '').split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    let at = root;
    for (const part of parts) at = (at[part] ??= {}) as ErrorSchemaNode;
    (at.__errors ??= []).push(p.message);
  }
  return root;
}
