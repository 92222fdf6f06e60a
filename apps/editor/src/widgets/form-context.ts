import type { ConnectorSpec, NodeSpec } from '../catalog.types.js';

/** What the config form's custom widgets need beyond their field: passed as rjsf's `formContext`. */
export interface ConfigFormContext {
  /** The flow id, or `new` for an unsaved flow: the key of its test data. */
  flowKey: string;
  nodeId: string;
  spec: NodeSpec;
  /** The node's config as edited (a widget may depend on another field, e.g. the connection type on `platform`). */
  config: Record<string, unknown>;
  connectors: ConnectorSpec[];
  token: string;
  onUnauthorized: () => void;
}
