// JSON Schema of the flow document (CONTRACT.md §4). Structural only: node types, ports,
// graph shape and node configs are checked by validateFlow against the registry.

export const FLOW_ID_PATTERN = '^[a-z0-9][a-z0-9_-]{0,62}$';
export const NODE_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';
export const NODE_TYPE_PATTERN = '^[a-z0-9_-]+\\.[a-z0-9_.-]+$';
export const PORT_PATTERN = '^[A-Za-z0-9_-]{1,64}$';
/** `nodeId` or `nodeId:port`. */
export const ENDPOINT_PATTERN = '^[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_-]{1,64})?$';

const retrySchema = {
  type: 'object',
  properties: {
    maxAttempts: { type: 'integer', minimum: 1, maximum: 100 },
    backoffMs: { type: 'integer', minimum: 0, maximum: 86_400_000 },
  },
  additionalProperties: false,
} as const;

export const flowDocumentSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://tributary.dev/schemas/flow.json',
  title: 'Tributary flow',
  type: 'object',
  required: ['schemaVersion', 'name', 'nodes', 'edges'],
  properties: {
    schemaVersion: { const: 1 },
    id: { type: 'string', pattern: FLOW_ID_PATTERN },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    description: { type: 'string', maxLength: 5000 },
    nodes: {
      type: 'array',
      maxItems: 500,
      items: {
        type: 'object',
        required: ['id', 'type', 'version', 'config'],
        properties: {
          id: { type: 'string', pattern: NODE_ID_PATTERN },
          type: { type: 'string', pattern: NODE_TYPE_PATTERN },
          version: { type: 'integer', minimum: 1 },
          config: { type: 'object' },
          position: {
            type: 'object',
            required: ['x', 'y'],
            properties: { x: { type: 'number' }, y: { type: 'number' } },
          },
          name: { type: 'string', maxLength: 200 },
          disabled: { type: 'boolean' },
          retry: retrySchema,
        },
        patternProperties: { '^x-': true },
        additionalProperties: false,
      },
    },
    edges: {
      type: 'array',
      maxItems: 2000,
      items: {
        type: 'object',
        required: ['from', 'to'],
        properties: {
          from: { type: 'string', pattern: ENDPOINT_PATTERN },
          to: { type: 'string', pattern: ENDPOINT_PATTERN },
        },
        additionalProperties: false,
      },
    },
    settings: {
      type: 'object',
      properties: {
        concurrency: { type: 'integer', minimum: 1 },
        retry: retrySchema,
      },
      additionalProperties: false,
    },
  },
  // `x-…` keys carry tool metadata (editor viewport, notes); anything else is a typo.
  patternProperties: { '^x-': true },
  additionalProperties: false,
} as const;
