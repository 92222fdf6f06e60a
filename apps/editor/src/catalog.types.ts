// The node catalogue as `GET /api/nodes` serves it (see apps/api/src/nodes/nodes.controller.ts).

/** Texts for one object of a JSON Schema, addressed by a JSON pointer (libs/engine SchemaTextLocale). */
export interface SchemaTextLocale {
  title?: string;
  description?: string;
  placeholder?: string;
  /** One label per `enum` value, in order. */
  enumNames?: string[];
}

/** A node's texts in one language, as declared (libs/engine NodeLocale); missing ones fall back to the English. */
export interface NodeLocale {
  title?: string;
  description?: string;
  ports?: Record<string, string>;
  /** JSON pointer into configSchema → texts. */
  config?: Record<string, SchemaTextLocale>;
}

export interface ConnectorLocale {
  title?: string;
  description?: string;
  auth?: Record<string, SchemaTextLocale>;
}

export interface NodeSpec {
  id: string;
  version: number;
  title: string;
  description: string;
  category: string;
  icon: string | null;
  configSchema: Record<string, unknown>;
  inputs: string[];
  /** `null` when the ports depend on the config (`dynamicOutputs`). */
  outputs: string[] | null;
  dynamicOutputs: boolean;
  trigger: string | null;
  /** The connection type the node's `config.connection` names one of. */
  connection: { type: string; required: boolean; typeField?: string } | null;
  sample: unknown;
  /** No effects outside the run (no writes, no sends); a step test of any other node has real effects. */
  pure?: boolean;
  /** By language tag (`zh-CN`); `{}` when the node carries no translations. */
  locales?: Record<string, NodeLocale>;
  /** Port name → label in the language shown (set by localizeSpec; ports without one show their name). */
  portLabels?: Record<string, string>;
}

/** A connector or connection type: `auth` is the JSON Schema of its connection secrets. */
export interface ConnectorSpec {
  id: string;
  title: string;
  description: string;
  auth: Record<string, unknown> | null;
  locales?: Record<string, ConnectorLocale>;
}

export interface NodeCatalog {
  connectors: ConnectorSpec[];
  items: NodeSpec[];
}

/** The newest version of each node id: what the palette offers. */
export function latestVersions(items: NodeSpec[]): NodeSpec[] {
  const byId = new Map<string, NodeSpec>();
  for (const n of items) {
    const prev = byId.get(n.id);
    if (!prev || prev.version < n.version) byId.set(n.id, n);
  }
  return [...byId.values()];
}

export const specKey = (type: string, version: number) => `${type}@${version}`;

/** Catalogue lookup by `type@version`. */
export function indexCatalog(items: NodeSpec[]): Map<string, NodeSpec> {
  return new Map(items.map((n) => [specKey(n.id, n.version), n]));
}

/**
 * Output ports of a node. Nodes with config-dependent ports (`core.branch`) declare them as a function the
 * API cannot serve, so they are derived from the usual `rules[].port` shape plus `else` and `error`.
 */
export function outputPorts(spec: NodeSpec | undefined, config: Record<string, unknown> | undefined): string[] {
  if (!spec) return ['out'];
  if (spec.outputs) return spec.outputs;
  const rules = Array.isArray(config?.['rules']) ? (config!['rules'] as Array<{ port?: unknown }>) : [];
  const ports = rules.map((r) => r?.port).filter((p): p is string => typeof p === 'string' && p.length > 0);
  return [...new Set([...ports, 'else', 'error'])];
}
