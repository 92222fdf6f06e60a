import { createAjv, defineNode, errorItem, LruCache, schemaDraft, type AnyAjv, type Item, type JsonSchema } from '@tributary/node-sdk';
import { validateNodeLocales } from './validate.node.locale.js';

type ValidateFunction = ReturnType<AnyAjv['compile']>;

export interface ValidateConfig {
  schema: JsonSchema;
  coerceTypes: boolean;
  removeAdditional: boolean;
}

// One ajv per option set and dialect; schemas users paste in are often not strict.
const ajvs = new Map<string, AnyAjv>();
function ajvFor(draft: '2020' | '07', coerceTypes: boolean, removeAdditional: boolean): AnyAjv {
  const key = `${draft}|${coerceTypes}|${removeAdditional}`;
  let ajv = ajvs.get(key);
  if (!ajv) ajvs.set(key, (ajv = createAjv({ draft, strict: false, coerceTypes, removeAdditional, allErrors: true })));
  return ajv;
}

// Distinct schemas are compiled once; evicted ones are removed from ajv too, or it keeps them forever.
const compiled = new LruCache<string, { validate: ValidateFunction; ajv: AnyAjv; schema: object }>(200, (_k, v) => v.ajv.removeSchema(v.schema));

/** The compiled validator of a config's schema (cached by its JSON and options); throws when it does not compile. */
export function schemaValidator(config: Pick<ValidateConfig, 'schema' | 'coerceTypes' | 'removeAdditional'>): ValidateFunction {
  const key = `${config.coerceTypes}|${config.removeAdditional}|${JSON.stringify(config.schema)}`;
  return compiled.getOrCreate(key, () => {
    const draft = schemaDraft(config.schema);
    // The dialect is chosen above; an `$id` would clash when two configs reuse one.
    const { $schema: _s, $id: _i, ...schema } = structuredClone(config.schema);
    const ajv = ajvFor(draft, config.coerceTypes, config.removeAdditional);
    return { validate: ajv.compile(schema), ajv, schema };
  }).validate;
}

export const validateNode = defineNode<ValidateConfig>({
  id: 'core.validate',
  version: 1,
  title: 'Validate',
  description: 'Checks each item against a JSON Schema: valid items go to `out`, invalid ones to `error` with the reasons.',
  category: 'logic',
  locales: validateNodeLocales,
  pure: true,
  icon: 'check-circle',
  outputs: ['out', 'error'],
  configSchema: {
    type: 'object',
    required: ['schema'],
    properties: {
      schema: {
        type: 'object',
        title: 'JSON Schema',
        description: 'The schema items must satisfy (draft 2020-12, or draft-07 when its $schema says so).',
        'x-widget': 'json',
      },
      coerceTypes: { type: 'boolean', default: false, title: 'Coerce types', description: 'Convert values to the schema’s types where possible ("42" → 42); valid items are emitted converted.' },
      removeAdditional: {
        type: 'boolean',
        default: false,
        title: 'Remove additional properties',
        description: 'Where the schema says `additionalProperties: false`, drop unknown properties instead of rejecting the item.',
      },
    },
    additionalProperties: false,
  },
  checkConfig(config) {
    try {
      schemaValidator(config);
      return [];
    } catch (err) {
      return [{ path: '/schema', message: `does not compile: ${err instanceof Error ? err.message : String(err)}` }];
    }
  },
  sample: {
    config: { schema: { type: 'object', required: ['email'], properties: { email: { type: 'string', format: 'email' } } }, coerceTypes: false, removeAdditional: false },
    input: [{ email: 'ada@example.com' }, { email: 'not-an-email' }, { name: 'no email' }],
  },
  async run(ctx, items) {
    const validate = schemaValidator(ctx.config);
    const out: Item[] = [];
    const error: Item[] = [];
    for (const item of items) {
      // ajv coerces and removes in place: work on a copy, report the original.
      const candidate = structuredClone(item);
      if (validate(candidate)) {
        out.push(candidate);
        continue;
      }
      const errors = (validate.errors ?? []).map((e) => ({ instancePath: e.instancePath, message: e.message ?? 'is invalid', keyword: e.keyword, params: e.params }));
      const first = errors[0];
      const message = first ? `item does not match the schema: ${first.instancePath || '/'} ${first.message}` : 'item does not match the schema';
      error.push(errorItem(item, 'invalid_item', message, { errors }));
    }
    return { out, error };
  },
});
