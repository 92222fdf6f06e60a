import type { Edge } from '@xyflow/react';
import { newNodeId, type FlowCanvasNode } from './flow-graph.util.js';

export interface Snapshot {
  nodes: FlowCanvasNode[];
  edges: Edge[];
}

/** Undo and redo stacks of canvas snapshots (bounded, so a long session does not grow without end). */
export class EditHistory {
  private past: Snapshot[] = [];
  private future: Snapshot[] = [];
  constructor(private readonly limit = 100) {}

  /** Call before a change, with the state it changes. */
  record(s: Snapshot): void {
    this.past.push(s);
    if (this.past.length > this.limit) this.past.shift();
    this.future = [];
  }

  undo(current: Snapshot): Snapshot | null {
    const prev = this.past.pop();
    if (!prev) return null;
    this.future.push(current);
    return prev;
  }

  redo(current: Snapshot): Snapshot | null {
    const next = this.future.pop();
    if (!next) return null;
    this.past.push(current);
    return next;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }
  get canRedo(): boolean {
    return this.future.length > 0;
  }
}

/** The selected nodes and the edges between them: what Ctrl+C copies. */
export function copySelection(nodes: FlowCanvasNode[], edges: Edge[]): Snapshot {
  const picked = nodes.filter((n) => n.selected);
  const ids = new Set(picked.map((n) => n.id));
  return { nodes: picked, edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)) };
}

/** A copy to paste: fresh node ids (kept readable), edges remapped, shifted by `offset`, selected. */
export function pasteClip(clip: Snapshot, taken: Iterable<string>, offset: { x: number; y: number }): Snapshot {
  const used = new Set(taken);
  const ids = new Map<string, string>();
  for (const n of clip.nodes) {
    const id = newNodeId(n.data.type, used);
    used.add(id);
    ids.set(n.id, id);
  }
  const nodes = clip.nodes.map((n) => ({
    ...n,
    id: ids.get(n.id)!,
    selected: true,
    position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
    data: { ...n.data, label: n.data.label === n.id ? ids.get(n.id)! : n.data.label, problems: undefined },
  }));
  const edges = clip.edges.map((e) => {
    const source = ids.get(e.source)!;
    const target = ids.get(e.target)!;
    return { ...e, id: `e-${source}-${e.sourceHandle}-${target}-${e.targetHandle}`, source, target, selected: false };
  });
  return { nodes, edges };
}
