// The parts of the API's flow shapes the editor reads (GET /api/flows, GET /api/flows/:id).
// Kept local: the editor is built by Vite alone and must not depend on the engine's build.

export interface FlowSummary {
  id: string;
  name: string;
  version: number;
  publishedVersion: number | null;
  updatedAt: string;
}

export interface FlowNodeDoc {
  id: string;
  type: string;
  version: number;
  name?: string;
  disabled?: boolean;
  position?: { x: number; y: number };
}

export interface FlowEdgeDoc {
  /** `nodeId` or `nodeId:port` (default port `out`). */
  from: string;
  /** `nodeId` or `nodeId:port` (default port `in`). */
  to: string;
}

export interface FlowDetail extends FlowSummary {
  document: { name: string; description?: string; nodes: FlowNodeDoc[]; edges: FlowEdgeDoc[] };
}
