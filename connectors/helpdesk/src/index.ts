import type { ConnectorDefinition } from '@tributary/node-sdk';
import { freshdeskConnector } from './freshdesk.connector.js';
import { zendeskConnector } from './zendesk.connector.js';
import { zohoDeskConnector } from './zohodesk.connector.js';

export { freshdeskConnector, checkFreshdeskSecrets, freshdeskAuthSchema } from './freshdesk.connector.js';
export { zendeskConnector, checkZendeskSecrets, zendeskAuthSchema } from './zendesk.connector.js';
export { zohoDeskConnector, checkZohoDeskSecrets, zohoDeskAuthSchema } from './zohodesk.connector.js';
export { zendeskWebhookTrigger, type ZendeskWebhookConfig } from './triggers/zendesk-webhook.trigger.js';
export { zendeskRequesterNode, type ZendeskRequesterConfig } from './nodes/zendesk-requester.node.js';
export { freshdeskTicketsTrigger, type FreshdeskCursor, type FreshdeskTicketsConfig } from './triggers/freshdesk-tickets.trigger.js';
export { zohoDeskTicketsTrigger, type ZohoDeskWebhookConfig } from './triggers/zohodesk-tickets.trigger.js';
export { zohoDeskTicketsPollTrigger, type ZohoDeskCursor, type ZohoDeskPollConfig } from './triggers/zohodesk-tickets-poll.trigger.js';
export { TICKET_EVENT_TYPES, type TicketEventType } from './util/ticket-events.util.js';

/** The connectors of this package, as the runtime's catalogue lists them. */
export const helpdeskConnectors: ConnectorDefinition[] = [zendeskConnector, freshdeskConnector, zohoDeskConnector];
