// The API's flow shapes as the editor reads and writes them (GET/PUT/POST /api/flows). A flow
// summary is the runtime's own type; the document is kept loose here on purpose: the editor
// keeps every field it does not know (`retry`, settings of newer versions) as it found it.
import type { FlowSummary } from '@tributary/runtime';

export type { FlowSummary };

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
