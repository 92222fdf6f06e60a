import type { ValidateFunction } from 'ajv';
import { createAjv, escapePointer } from './ajv.util.js';
import type { NodeRegistry } from './executor.types.js';
import { flowDocumentSchema } from './flow.schema.js';
import type { FlowDocument, FlowProblem } from './flow.types.js';
import { FlowGraph, inputPorts, outputPorts, parseEdge, type GraphEdge } from './graph.js';
import { checkNodeConfig } from './node-config.js';
import type { NodeDefinition } from './node.types.js';
import { knownVersions } from './registry.js';

export type FlowValidationResult = { ok: true; flow: FlowDocument } | { ok: false; problems: FlowProblem[] };

let flowValidator: ValidateFunction | undefined;

interface NodeInfo {
  index: number;
  id: string;
  def?: NodeDefinition;
  /** Config with defaults, when it satisfied the schema. */
  config?: Record<string, unknown>;
}

/**
 * Validates a flow document against the flow schema and the node registry and reports
 * every problem found, each located by node id or edge index and a JSON pointer.
 * Checks continue past schema errors wherever the document still makes sense.
 */
export function validateFlow(doc: unknown, registry: NodeRegistry): FlowValidationResult {
  const problems: FlowProblem[] = [];
  const root = (doc && typeof doc === 'object' && !Array.isArray(doc) ? doc : {}) as Record<string, unknown>;
  const rawNodes = Array.isArray(root.nodes) ? (root.nodes as unknown[]) : [];
  const rawEdges = Array.isArray(root.edges) ? (root.edges as unknown[]) : [];
  const nodeIdAt = (i: number): string | undefined => {
    const n = rawNodes[i] as { id?: unknown } | undefined;
    return n && typeof n.id === 'string' ? n.id : undefined;
  };

  // 1. Structure.
  flowValidator ??= createAjv().compile(flowDocumentSchema);
  if (!flowValidator(doc)) {
    for (const e of flowValidator.errors ?? []) {
      const m = /^\/(nodes|edges)\/(\d+)/.exec(e.instancePath);
      const p: FlowProblem = { code: 'schema', message: e.message ?? 'is invalid', path: e.instancePath };
      if (e.keyword === 'additionalProperties') {
        const extra = (e.params as { additionalProperty?: string }).additionalProperty ?? '';
        p.path += `/${escapePointer(extra)}`;
        p.message = 'is not an allowed property';
      } else if (e.keyword === 'required') {
        p.path += `/${escapePointer((e.params as { missingProperty?: string }).missingProperty ?? '')}`;
      } else if (e.keyword === 'const' && e.instancePath === '/schemaVersion') {
        p.message = 'must be 1';
      }
      if (m?.[1] === 'nodes') {
        const id = nodeIdAt(Number(m[2]));
        if (id !== undefined) p.nodeId = id;
      }
      if (m?.[1] === 'edges') p.edgeIndex = Number(m[2]);
      problems.push(p);
    }
  }

  // 2. Nodes: unique ids, known types and versions, valid configs.
  const nodes = new Map<string, NodeInfo>();
  rawNodes.forEach((raw, index) => {
    if (!raw || typeof raw !== 'object') return;
    const n = raw as Record<string, unknown>;
    if (typeof n.id !== 'string') return;
    const id = n.id;
    const at = `/nodes/${index}`;
    if (nodes.has(id)) {
      problems.push({ code: 'duplicate_node_id', message: `node id "${id}" is used more than once (first at /nodes/${nodes.get(id)!.index})`, nodeId: id, path: `${at}/id` });
      return;
    }
    const info: NodeInfo = { index, id };
    nodes.set(id, info);
    if (typeof n.type !== 'string') return;
    const versions = knownVersions(registry, n.type);
    if (versions.length === 0) {
      problems.push({ code: 'unknown_node_type', message: `node "${id}" has unknown type "${n.type}"`, nodeId: id, path: `${at}/type` });
      return;
    }
    if (typeof n.version !== 'number') return;
    const def = registry.get(n.type, n.version);
    if (!def) {
      problems.push({
        code: 'unknown_node_version',
        message: `node "${id}" uses ${n.type} version ${n.version}; known versions: ${versions.join(', ')}`,
        nodeId: id,
        path: `${at}/version`,
      });
      return;
    }
    info.def = def;
    if (!n.config || typeof n.config !== 'object' || Array.isArray(n.config)) return;
    let check;
    try {
      check = checkNodeConfig(def, n.config);
    } catch (err) {
      problems.push({ code: 'invalid_config', message: err instanceof Error ? err.message : String(err), nodeId: id, path: `${at}/config` });
      return;
    }
    for (const issue of [...check.schemaIssues, ...check.checkIssues]) {
      problems.push({ code: 'invalid_config', message: `${issue.path || 'config'} ${issue.message}`, nodeId: id, path: `${at}/config${issue.path}` });
    }
    for (const issue of check.expressionIssues) {
      problems.push({ code: 'invalid_expression', message: issue.message, nodeId: id, path: `${at}/config${issue.path}` });
    }
    if (check.schemaIssues.length === 0) info.config = check.config;
  });

  // 3. Edges: known nodes and ports, nothing into a trigger.
  const edges: GraphEdge[] = [];
  rawEdges.forEach((raw, index) => {
    if (!raw || typeof raw !== 'object') return;
    const r = raw as Record<string, unknown>;
    if (typeof r.from !== 'string' || typeof r.to !== 'string') return;
    const edge = parseEdge({ from: r.from, to: r.to }, index);
    const at = `/edges/${index}`;
    let ok = true;
    const from = nodes.get(edge.from);
    const to = nodes.get(edge.to);
    if (!from) {
      problems.push({ code: 'unknown_node', message: `edge ${index} starts at unknown node "${edge.from}"`, edgeIndex: index, path: `${at}/from` });
      ok = false;
    } else if (from.def) {
      const outs = safeOutputs(from);
      if (outs && !outs.includes(edge.fromPort)) {
        problems.push({
          code: 'unknown_port',
          message: `node "${from.id}" (${from.def.id}) has no output port "${edge.fromPort}"; ports: ${outs.join(', ') || 'none'}`,
          nodeId: from.id,
          edgeIndex: index,
          path: `${at}/from`,
        });
      }
    }
    if (!to) {
      problems.push({ code: 'unknown_node', message: `edge ${index} ends at unknown node "${edge.to}"`, edgeIndex: index, path: `${at}/to` });
      ok = false;
    } else if (to.def) {
      const ins = inputPorts(to.def);
      if (to.def.trigger) {
        problems.push({ code: 'trigger_has_input', message: `trigger node "${to.id}" cannot have incoming edges`, nodeId: to.id, edgeIndex: index, path: `${at}/to` });
      } else if (!ins.includes(edge.toPort)) {
        problems.push({
          code: 'unknown_port',
          message: `node "${to.id}" (${to.def.id}) has no input port "${edge.toPort}"; ports: ${ins.join(', ') || 'none'}`,
          nodeId: to.id,
          edgeIndex: index,
          path: `${at}/to`,
        });
      }
    }
    if (ok) edges.push(edge);
  });

  // 4. Graph shape: no cycles, at least one trigger, every node reachable from one.
  const graph = new FlowGraph([...nodes.keys()], edges);
  for (const cycle of graph.cycles()) {
    const members = new Set(cycle);
    const edge = edges.find((e) => members.has(e.from) && members.has(e.to))!;
    problems.push({
      code: 'cycle',
      message: `nodes ${cycle.map((id) => `"${id}"`).join(', ')} form a cycle`,
      nodeId: cycle[0],
      edgeIndex: edge.index,
      path: `/edges/${edge.index}`,
    });
  }
  const triggers = [...nodes.values()].filter((n) => n.def?.trigger).map((n) => n.id);
  // A node of unknown type may be the trigger: it is reported already, and what hangs off it
  // is not reported again as unreachable.
  const unresolved = [...nodes.values()].filter((n) => !n.def).map((n) => n.id);
  if (triggers.length === 0) {
    if (unresolved.length === 0) problems.push({ code: 'no_trigger', message: 'flow has no trigger node', path: '/nodes' });
  } else {
    const reachable = graph.reachableFrom([...triggers, ...unresolved]);
    for (const n of nodes.values()) {
      if (!reachable.has(n.id)) {
        problems.push({ code: 'unreachable', message: `node "${n.id}" cannot be reached from any trigger`, nodeId: n.id, path: `/nodes/${n.index}` });
      }
    }
  }

  if (problems.length) return { ok: false, problems };
  return { ok: true, flow: structuredClone(doc) as FlowDocument };
}

function safeOutputs(node: NodeInfo): string[] | undefined {
  if (!node.def) return undefined;
  if (typeof node.def.outputs === 'function' && !node.config) return undefined;
  try {
    return outputPorts(node.def, node.config ?? {});
  } catch {
    return undefined;
  }
}
