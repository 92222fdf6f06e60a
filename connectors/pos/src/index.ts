import type { ConnectorDefinition } from '@tributary/node-sdk';
import { keruyunConnector, squareConnector } from './pos.connector.js';

/**
 * The connectors of this package, as the runtime's catalogue lists them. `youzan.webhook` is
 * listed by the `youzan` connector of connectors/ecommerce, with `youzan.orders`.
 */
export const posConnectors: ConnectorDefinition[] = [squareConnector, keruyunConnector];

export { squareConnector, keruyunConnector, posNodes } from './pos.connector.js';
export { squareWebhookTrigger, type SquareWebhookConfig } from './triggers/square-webhook.trigger.js';
export { keruyunWebhookTrigger, keruyunAck, type KeruyunWebhookConfig } from './triggers/keruyun-webhook.trigger.js';
export { youzanWebhookTrigger, youzanAck, type YouzanWebhookConfig } from './triggers/youzan-webhook.trigger.js';
export { squareSignature, verifySquareSignature } from './sign/square-signature.util.js';
export { keruyunSign, keruyunSignsBody, verifyKeruyunSign } from './sign/keruyun-sign.util.js';
export { youzanEventSign, verifyYouzanEventSign } from './sign/youzan-sign.util.js';
export { decodeYouzanPush, mapYouzanPush, youzanDedupeKey, type YouzanPush } from './mapping/youzan-push.mapper.js';
export { mapSquareEvent, type SquareMapOptions } from './mapping/square-event.mapper.js';
export { mapKeruyunPush, KERUYUN_FIELDS } from './mapping/keruyun-push.mapper.js';
export { minorUnitsToDecimal, majorUnitsToDecimal, currencyExponent } from './util/money.util.js';
