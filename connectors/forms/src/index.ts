import type { ConnectorDefinition } from '@tributary/node-sdk';
import { formsConnector, jiandaoyunConnector, typeformConnector } from './forms.connector.js';

/** The connectors of this package, as the runtime's catalogue lists them. */
export const formsConnectors: ConnectorDefinition[] = [formsConnector, typeformConnector, jiandaoyunConnector];

export { formsConnector, typeformConnector, jiandaoyunConnector, formsNodes } from './forms.connector.js';
export { formWebhookTrigger, formItem, SUBMISSION_ID_FIELDS, SUBMISSION_ID_HEADERS, type FormWebhookConfig } from './triggers/form-webhook.trigger.js';
export { typeformWebhookTrigger, typeformSignature, typeformAnswerValue, type TypeformWebhookConfig } from './triggers/typeform-webhook.trigger.js';
export { jiandaoyunWebhookTrigger, jiandaoyunSignature, type JiandaoyunWebhookConfig } from './triggers/jiandaoyun-webhook.trigger.js';
export { FORM_FIELD_ALIASES, flattenAnswers, mapAnswers, squashLabel, standardFieldOf, joinName, type FieldMap, type FormAnswer, type StandardField } from './fields/form-fields.util.js';
