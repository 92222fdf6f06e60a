import { createNodeRegistry, type ConnectorDefinition, type NodeRegistry } from '@tributary/engine';
import { coreConnector } from '@tributary/connector-core';
import { customerConnector } from '@tributary/connector-customer';

export interface Catalog {
  connectors: ConnectorDefinition[];
  registry: NodeRegistry;
}

/** Every connector this build ships; the one place that lists them. */
export function createCatalog(extra: ConnectorDefinition[] = []): Catalog {
  const connectors = [coreConnector, customerConnector, ...extra];
  return { connectors, registry: createNodeRegistry(connectors.flatMap((c) => c.nodes)) };
}
