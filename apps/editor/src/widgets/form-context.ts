import type { ConnectorSpec, NodeSpec } from '../catalog.types.js';

/** What the config form's custom widgets need beyond their field: passed as rjsf's `formContext`. */
export interface ConfigFormContext {
  /** The flow id, or `new` for an unsaved flow: the key of its test data. */
  flowKey: string;
  nodeId: string;
  spec: NodeSpec;
  connectors: ConnectorSpec[];
  token: string;
  onUnauthorized: () => void;
}
