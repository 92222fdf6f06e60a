import type { JsonSchema } from '@tributary/engine';
import {
  ATTRIBUTE_OPS,
  NUMBER_OPS,
  SEGMENT_NUMBER_FIELDS,
  SEGMENT_TAG_FIELDS,
  SEGMENT_TEXT_FIELDS,
  SEGMENT_TIME_FIELDS,
  TAG_OPS,
  TEXT_OPS,
  TIME_OPS,
} from './segment.types.js';

/** `attributes.<name>`: any attribute name without control characters. */
export const ATTRIBUTE_FIELD_PATTERN = '^attributes\\.[^\\u0000-\\u001f]{1,100}$';
const COLUMNS = [...SEGMENT_NUMBER_FIELDS, ...SEGMENT_TEXT_FIELDS, ...SEGMENT_TIME_FIELDS, ...SEGMENT_TAG_FIELDS];
const ALL_OPS = [...new Set([...ATTRIBUTE_OPS, ...TAG_OPS])];

const text = { type: 'string', minLength: 1, maxLength: 1000 };
const scalar = { anyOf: [text, { type: 'number' }, { type: 'boolean' }] };
const days = { type: 'number', exclusiveMinimum: 0, maximum: 36500, description: 'Days (fractions allowed).' };
const time = { type: 'string', anyOf: [{ format: 'date-time' }, { format: 'date' }], description: 'An ISO 8601 time or date (UTC when no offset is given).' };
const list = (items: JsonSchema, max = 1000) => ({ type: 'array', minItems: 1, maxItems: max, items });

const when = (field: JsonSchema | null, ops: readonly string[], then: JsonSchema): JsonSchema => ({
  if: { required: field ? ['field', 'op'] : ['op'], properties: { ...(field ? { field } : {}), op: { enum: [...ops] } } },
  then,
});
const forField = (field: JsonSchema, then: JsonSchema): JsonSchema => ({ if: { required: ['field'], properties: { field } }, then });
const isNumber = { enum: [...SEGMENT_NUMBER_FIELDS] };
const isText = { enum: [...SEGMENT_TEXT_FIELDS] };
const isTime = { enum: [...SEGMENT_TIME_FIELDS] };
const isTags = { enum: [...SEGMENT_TAG_FIELDS] };
const isAttribute = { type: 'string', pattern: ATTRIBUTE_FIELD_PATTERN };

const fieldCondition: JsonSchema = {
  type: 'object',
  required: ['field', 'op'],
  properties: {
    field: {
      type: 'string',
      anyOf: [{ enum: COLUMNS }, { pattern: ATTRIBUTE_FIELD_PATTERN }],
      description: `A customer column (${COLUMNS.join(', ')}) or attributes.<name>.`,
    },
    op: { type: 'string', enum: ALL_OPS },
    value: {},
  },
  additionalProperties: false,
  allOf: [
    // Which operators each kind of field takes.
    forField(isNumber, { properties: { op: { enum: [...NUMBER_OPS] } } }),
    forField(isText, { properties: { op: { enum: [...TEXT_OPS] } } }),
    forField(isTime, { properties: { op: { enum: [...TIME_OPS] } } }),
    forField(isTags, { properties: { op: { enum: [...TAG_OPS] } } }),
    forField(isAttribute, { properties: { op: { enum: [...ATTRIBUTE_OPS] } } }),
    // What value each operator takes.
    when(null, ['exists', 'notExists'], { properties: { value: false } }),
    when(null, ALL_OPS.filter((o) => o !== 'exists' && o !== 'notExists'), { required: ['value'] }),
    when(null, ['gt', 'gte', 'lt', 'lte'], { properties: { value: { type: 'number' } } }),
    when(null, ['between'], { properties: { value: { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }], minItems: 2, maxItems: 2 } } }),
    when(null, ['withinLastDays', 'olderThanDays', 'withinNextDays'], { properties: { value: days } }),
    when(null, ['before', 'after'], { properties: { value: time } }),
    when(null, ['containsAny', 'containsAll'], { properties: { value: list(text, 100) } }),
    when(isNumber, ['eq', 'neq'], { properties: { value: { type: 'number' } } }),
    when(isNumber, ['in', 'notIn'], { properties: { value: list({ type: 'number' }) } }),
    when(isText, ['eq', 'neq'], { properties: { value: text } }),
    when(isText, ['in', 'notIn'], { properties: { value: list(text) } }),
    when(isTags, ['contains', 'notContains'], { properties: { value: text } }),
    when(isAttribute, ['eq', 'neq'], { properties: { value: scalar } }),
    when(isAttribute, ['in', 'notIn'], { properties: { value: { anyOf: [list(text), list({ type: 'number' })] } } }),
    when(isAttribute, ['contains', 'notContains'], { properties: { value: { anyOf: [text, { type: 'number' }] } } }),
  ],
};

const eventCondition: JsonSchema = {
  type: 'object',
  required: ['event'],
  properties: {
    event: {
      type: 'object',
      required: ['types'],
      properties: {
        types: { ...list({ type: 'string', minLength: 1, maxLength: 200 }, 50), uniqueItems: true, description: 'Timeline event types, e.g. purchase, form_submitted.' },
        withinDays: { ...days, description: 'Only events of the last N days (default: any time).' },
        minCount: { type: 'integer', minimum: 1, maximum: 10000, description: 'At least this many such events (default 1).' },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
};

/**
 * A segment definition (JSON Schema 2020-12): a tree of `{"all": [...]}`, `{"any": [...]}`,
 * `{"not": {...}}`, field conditions `{"field", "op", "value"}` and timeline conditions
 * `{"event": {"types", "withinDays", "minCount"}}`. A node is told by its key, so errors name
 * the path of the node that is wrong rather than every alternative.
 */
export const segmentDefinitionSchema: JsonSchema = {
  $id: 'https://tributary.dev/schemas/segment-definition.json',
  $ref: '#/$defs/node',
  $defs: {
    node: {
      type: 'object',
      if: { required: ['all'] },
      then: { properties: { all: { type: 'array', maxItems: 100, items: { $ref: '#/$defs/node' } } }, additionalProperties: false },
      else: {
        if: { required: ['any'] },
        then: { properties: { any: { type: 'array', minItems: 1, maxItems: 100, items: { $ref: '#/$defs/node' } } }, additionalProperties: false },
        else: {
          if: { required: ['not'] },
          then: { properties: { not: { $ref: '#/$defs/node' } }, additionalProperties: false },
          else: {
            if: { required: ['event'] },
            then: eventCondition,
            else: { if: { required: ['field'] }, then: fieldCondition, else: false },
          },
        },
      },
    },
  },
};
