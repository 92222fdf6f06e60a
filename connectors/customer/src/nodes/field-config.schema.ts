import type { JsonSchema } from '@tributary/node-sdk';
import { DEFAULT_FIELD_ALIASES, DEFAULT_OTHER_IDENTITY_FIELDS } from '../fields/customer-fields.util.js';

/** A list of item field names (or dotted paths), tried in order. */
export function fieldListSchema(title: string): JsonSchema {
  return { type: 'array', title, items: { type: 'string', minLength: 1 }, minItems: 1 };
}

/** kind → field names; kinds are identity types (phone, email, wechat_unionid, …) or profile fields. */
export const fieldMapSchema: JsonSchema = {
  type: 'object',
  propertyNames: { pattern: '^[a-z][a-z0-9_.-]{0,63}$' },
  additionalProperties: fieldListSchema('Fields'),
};

/** `identityFields` of the nodes that read identities from items (customer.resolve, customer.upsert). */
export const identityFieldsSchema: JsonSchema = {
  ...fieldMapSchema,
  title: 'Identity fields',
  description: `Which item fields hold each identity type; a type left out uses its defaults (phone: ${DEFAULT_FIELD_ALIASES.phone.slice(0, 7).join(', ')}…; email: ${DEFAULT_FIELD_ALIASES.email.slice(0, 5).join(', ')}…; ${Object.keys(DEFAULT_OTHER_IDENTITY_FIELDS).join(', ')}). \`identities\` from customer.normalize are always used.`,
  properties: { phone: fieldListSchema('Phone fields'), email: fieldListSchema('E-mail fields') },
};
