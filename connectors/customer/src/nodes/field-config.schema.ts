import type { JsonSchema } from '@tributary/node-sdk';

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
