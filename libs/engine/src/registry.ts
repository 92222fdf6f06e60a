import type { NodeRegistry } from './executor.types.js';
import type { NodeDefinition } from './node.types.js';

/** A registry that also answers catalogue questions (latest version, known versions). */
export interface NodeCatalogRegistry extends NodeRegistry {
  /** The highest version of a node type. */
  latest(type: string): NodeDefinition | undefined;
  /** Known versions of a node type, ascending (empty when the type is unknown). */
  versions(type: string): number[];
}

/** Indexes node definitions by id and version; a second definition of the same id and version is a bug. */
export function createNodeRegistry(defs: NodeDefinition[]): NodeCatalogRegistry {
  const byType = new Map<string, Map<number, NodeDefinition>>();
  for (const def of defs) {
    let versions = byType.get(def.id);
    if (!versions) byType.set(def.id, (versions = new Map()));
    if (versions.has(def.version)) throw new Error(`node ${def.id} version ${def.version} is defined twice`);
    versions.set(def.version, def);
  }
  const all = [...defs];
  const versions = (type: string): number[] => [...(byType.get(type)?.keys() ?? [])].sort((a, b) => a - b);
  return {
    get: (type, version) => byType.get(type)?.get(version),
    list: () => [...all],
    versions,
    latest: (type) => byType.get(type)?.get(versions(type).at(-1)!),
  };
}

/** Known versions of a type in any registry (uses `list()`, for registries that are not catalogues). */
export function knownVersions(registry: NodeRegistry, type: string): number[] {
  const r = registry as Partial<NodeCatalogRegistry>;
  if (typeof r.versions === 'function') return r.versions(type);
  return registry
    .list()
    .filter((d) => d.id === type)
    .map((d) => d.version)
    .sort((a, b) => a - b);
}
