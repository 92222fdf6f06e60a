import { createNodeRegistry, type ConnectorDefinition, type NodeRegistry } from '@tributary/engine';
import { coreConnector } from '@tributary/connector-core';
import { customerConnector } from '@tributary/connector-customer';
import { formsConnectors } from '@tributary/connector-forms';
import { adsConnectors } from '@tributary/connector-ads';
import { wechatConnectors } from '@tributary/connector-wechat';
import { posConnectors } from '@tributary/connector-pos';
import { helpdeskConnectors } from '@tributary/connector-helpdesk';
import { ecommerceConnectors } from '@tributary/connector-ecommerce';
import { filesConnectors } from '@tributary/connector-files';
import { notifyConnectors } from '@tributary/connector-notify';

export interface Catalog {
  connectors: ConnectorDefinition[];
  registry: NodeRegistry;
}

/** Every connector this build ships; the one place that lists them. */
export function createCatalog(extra: ConnectorDefinition[] = []): Catalog {
  const connectors = [
    coreConnector,
    customerConnector,
    ...formsConnectors,
    ...adsConnectors,
    ...wechatConnectors,
    ...posConnectors,
    ...helpdeskConnectors,
    ...ecommerceConnectors,
    ...filesConnectors,
    ...notifyConnectors,
    ...extra,
  ];
  return { connectors, registry: createNodeRegistry(connectors.flatMap((c) => c.nodes)) };
}
