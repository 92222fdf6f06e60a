// The parts of the API's flow shapes the editor reads and writes (GET/PUT/POST /api/flows).
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
  config?: Record<string, unknown>;
  position?: { x: number; y: number };
  /** Other fields (`retry`, …) are kept as they are. */
  [extra: string]: unknown;
}

export interface FlowEdgeDoc {
  /** `nodeId` or `nodeId:port` (default port `out`). */
  from: string;
  /** `nodeId` or `nodeId:port` (default port `in`). */
  to: string;
}

export interface FlowDocument {
  schemaVersion?: number;
  id?: string;
  name: string;
  description?: string;
  nodes: FlowNodeDoc[];
  edges: FlowEdgeDoc[];
  settings?: Record<string, unknown>;
  [extra: string]: unknown;
}

export interface FlowDetail extends FlowSummary {
  document: FlowDocument;
  webhooks?: Array<{ nodeId: string; url: string }>;
}

/** One problem of a `400 flow_invalid` answer. */
export interface FlowProblem {
  code?: string;
  nodeId?: string;
  path: string;
  message: string;
}
