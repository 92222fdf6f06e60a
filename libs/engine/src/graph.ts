import type { FlowDocument, FlowEdge } from './flow.types.js';
import type { NodeDefinition } from './node.types.js';

export const DEFAULT_OUTPUT_PORT = 'out';
export const DEFAULT_INPUT_PORT = 'in';

/** `nodeId` or `nodeId:port`, with the default port filled in. */
export function parseEndpoint(endpoint: string, defaultPort: string): { nodeId: string; port: string } {
  const i = endpoint.indexOf(':');
  return i < 0 ? { nodeId: endpoint, port: defaultPort } : { nodeId: endpoint.slice(0, i), port: endpoint.slice(i + 1) };
}

export interface GraphEdge {
  index: number;
  from: string;
  fromPort: string;
  to: string;
  toPort: string;
}

export function parseEdge(edge: FlowEdge, index: number): GraphEdge {
  const from = parseEndpoint(edge.from, DEFAULT_OUTPUT_PORT);
  const to = parseEndpoint(edge.to, DEFAULT_INPUT_PORT);
  return { index, from: from.nodeId, fromPort: from.port, to: to.nodeId, toPort: to.port };
}

/** A node's input ports (`['in']` unless declared; `[]` for triggers). */
export function inputPorts(def: NodeDefinition): string[] {
  return def.inputs ?? (def.trigger ? [] : [DEFAULT_INPUT_PORT]);
}

/** A node's output ports for a given config (branch nodes derive them from the config). */
export function outputPorts(def: NodeDefinition, config: Record<string, unknown>): string[] {
  const outs = def.outputs;
  if (outs === undefined) return [DEFAULT_OUTPUT_PORT];
  return typeof outs === 'function' ? outs(config) : outs;
}

/** The flow's edges indexed both ways, in document order. */
export class FlowGraph {
  readonly nodeIds: string[];
  readonly edges: GraphEdge[];
  private readonly outgoing = new Map<string, GraphEdge[]>();
  private readonly incoming = new Map<string, GraphEdge[]>();

  constructor(nodeIds: string[], edges: GraphEdge[]) {
    this.nodeIds = [...new Set(nodeIds)];
    this.edges = edges;
    for (const id of this.nodeIds) {
      this.outgoing.set(id, []);
      this.incoming.set(id, []);
    }
    for (const e of edges) {
      this.outgoing.get(e.from)?.push(e);
      this.incoming.get(e.to)?.push(e);
    }
  }

  static fromFlow(flow: Pick<FlowDocument, 'nodes' | 'edges'>): FlowGraph {
    return new FlowGraph(
      flow.nodes.map((n) => n.id),
      flow.edges.map(parseEdge),
    );
  }

  has(nodeId: string): boolean {
    return this.outgoing.has(nodeId);
  }

  /** Edges leaving a node (only edges between known nodes). */
  out(nodeId: string): GraphEdge[] {
    return (this.outgoing.get(nodeId) ?? []).filter((e) => this.has(e.to));
  }

  /** Edges entering a node (only edges between known nodes), in document order. */
  in(nodeId: string): GraphEdge[] {
    return (this.incoming.get(nodeId) ?? []).filter((e) => this.has(e.from));
  }

  /** Every node reachable from the starting nodes, the starting nodes included. */
  reachableFrom(starts: Iterable<string>): Set<string> {
    return this.closure(starts, (id) => this.out(id).map((e) => e.to));
  }

  /** Every node from which `target` can be reached, `target` included. */
  ancestorsOf(target: string): Set<string> {
    return this.closure([target], (id) => this.in(id).map((e) => e.from));
  }

  /**
   * Strongly connected components that form cycles (two or more nodes, or a node with an
   * edge to itself), each in document order. Tarjan's algorithm, iterative.
   */
  cycles(): string[][] {
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const onStack = new Set<string>();
    const stack: string[] = [];
    const result: string[][] = [];
    let counter = 0;
    for (const root of this.nodeIds) {
      if (index.has(root)) continue;
      const work: Array<{ id: string; next: number }> = [{ id: root, next: 0 }];
      index.set(root, counter);
      low.set(root, counter++);
      stack.push(root);
      onStack.add(root);
      while (work.length) {
        const frame = work[work.length - 1]!;
        const succ = this.out(frame.id).map((e) => e.to);
        if (frame.next < succ.length) {
          const w = succ[frame.next++]!;
          if (!index.has(w)) {
            index.set(w, counter);
            low.set(w, counter++);
            stack.push(w);
            onStack.add(w);
            work.push({ id: w, next: 0 });
          } else if (onStack.has(w)) {
            low.set(frame.id, Math.min(low.get(frame.id)!, index.get(w)!));
          }
          continue;
        }
        work.pop();
        if (work.length) {
          const parent = work[work.length - 1]!.id;
          low.set(parent, Math.min(low.get(parent)!, low.get(frame.id)!));
        }
        if (low.get(frame.id) === index.get(frame.id)) {
          const scc: string[] = [];
          let w: string;
          do {
            w = stack.pop()!;
            onStack.delete(w);
            scc.push(w);
          } while (w !== frame.id);
          const selfLoop = scc.length === 1 && this.out(w).some((e) => e.to === w);
          if (scc.length > 1 || selfLoop) {
            const order = new Map(this.nodeIds.map((id, i) => [id, i]));
            result.push(scc.sort((a, b) => order.get(a)! - order.get(b)!));
          }
        }
      }
    }
    return result;
  }

  /**
   * The nodes of `subset` in an order where every node comes after the nodes feeding it;
   * ties keep document order. Throws when the subset contains a cycle.
   */
  topologicalOrder(subset: Set<string> = new Set(this.nodeIds)): string[] {
    const pending = new Map<string, number>();
    for (const id of this.nodeIds) {
      if (subset.has(id)) pending.set(id, this.in(id).filter((e) => subset.has(e.from)).length);
    }
    const order: string[] = [];
    const ready = this.nodeIds.filter((id) => pending.get(id) === 0);
    while (ready.length) {
      const id = ready.shift()!;
      order.push(id);
      for (const e of this.out(id)) {
        if (!pending.has(e.to)) continue;
        const left = pending.get(e.to)! - 1;
        pending.set(e.to, left);
        if (left === 0) insertInDocumentOrder(ready, e.to, this.nodeIds);
      }
    }
    if (order.length !== pending.size) {
      const stuck = [...pending.keys()].filter((id) => !order.includes(id));
      throw new Error(`flow has a cycle through ${stuck.join(', ')}`);
    }
    return order;
  }

  private closure(starts: Iterable<string>, next: (id: string) => string[]): Set<string> {
    const seen = new Set<string>();
    const todo = [...starts].filter((id) => this.has(id));
    while (todo.length) {
      const id = todo.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const n of next(id)) if (!seen.has(n)) todo.push(n);
    }
    return seen;
  }
}

function insertInDocumentOrder(queue: string[], id: string, docOrder: string[]): void {
  const rank = docOrder.indexOf(id);
  const at = queue.findIndex((q) => docOrder.indexOf(q) > rank);
  if (at < 0) queue.push(id);
  else queue.splice(at, 0, id);
}
