import type { ConnectorDefinition } from '@tributary/node-sdk';
import { shopifyConnector } from './shopify.connector.js';
import { youzanConnector } from './youzan.connector.js';

export { shopifyConnector, checkShopifySecrets, shopifyAuthSchema } from './shopify.connector.js';
export { youzanConnector, checkYouzanSecrets, youzanAuthSchema } from './youzan.connector.js';
export { shopifyOrdersTrigger, shopifyHmac, type ShopifyOrdersConfig } from './triggers/shopify-orders.trigger.js';
export { youzanOrdersNode, type YouzanOrdersConfig } from './triggers/youzan-orders.trigger.js';
export { ORDER_EVENT_TYPES, type OrderEventType } from './util/order-events.util.js';

/** The connectors of this package, as the runtime's catalogue lists them. */
export const ecommerceConnectors: ConnectorDefinition[] = [shopifyConnector, youzanConnector];
