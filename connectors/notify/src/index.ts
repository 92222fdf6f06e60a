import type { ConnectorDefinition } from '@tributary/node-sdk';

/** The connectors of this package, as the runtime's catalogue lists them. */
export const notifyConnectors: ConnectorDefinition[] = [];
