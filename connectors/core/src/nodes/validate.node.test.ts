import { describe, expect, it } from '@jest/globals';
import { ConfigError, runNode } from '@tributary/node-sdk';
import { schemaValidator, validateNode } from './validate.node.js';

const schema = {
  type: 'object',
  required: ['email', 'age'],
  properties: { email: { type: 'string', format: 'email' }, age: { type: 'integer', minimum: 18 } },
  additionalProperties: false,
};

describe('core.validate', () => {
  it('passes valid items and sends invalid ones to error with ajv’s reasons', async () => {
    const items = [{ email: 'ada@example.com', age: 36 }, { email: 'nope', age: 12 }, { age: 40, extra: true }];
    const out = await runNode(validateNode, { config: { schema }, items });
    expect(out.out).toEqual([items[0]]);
    expect(out.error).toHaveLength(2);
    const [bad, missing] = out.error as Array<{ item: unknown; error: { code: string; message: string; details: { errors: Array<{ instancePath: string; message: string }> } } }>;
    expect(bad!.item).toEqual(items[1]);
    expect(bad!.error.code).toBe('invalid_item');
    expect(bad!.error.message).toBe('item does not match the schema: /email must match format "email"');
    expect(bad!.error.details.errors.map((e) => [e.instancePath, e.message])).toEqual([
      ['/email', 'must match format "email"'],
      ['/age', 'must be >= 18'],
    ]);
    expect(missing!.error.details.errors.map((e) => e.message)).toEqual(expect.arrayContaining(["must have required property 'email'", 'must NOT have additional properties']));
  });

  it('coerces types and removes additional properties when asked, emitting the converted item', async () => {
    const items = [{ email: 'ada@example.com', age: '36', extra: 1 }];
    const strict = await runNode(validateNode, { config: { schema }, items });
    expect(strict.out).toEqual([]);
    const lenient = await runNode(validateNode, { config: { schema, coerceTypes: true, removeAdditional: true }, items });
    expect(lenient).toEqual({ out: [{ email: 'ada@example.com', age: 36 }], error: [] });
  });

  it('understands draft-07 schemas that say so', async () => {
    const d7 = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', definitions: { n: { type: 'number' } }, properties: { n: { $ref: '#/definitions/n' } } };
    const out = await runNode(validateNode, { config: { schema: d7 }, items: [{ n: 1 }, { n: 'x' }] });
    expect(out.out).toEqual([{ n: 1 }]);
    expect(out.error).toHaveLength(1);
  });

  it('refuses a schema that does not compile, at config time', async () => {
    await expect(runNode(validateNode, { config: { schema: { type: 'strng' } }, items: [] })).rejects.toBeInstanceOf(ConfigError);
    await expect(runNode(validateNode, { config: { schema: { type: 'strng' } }, items: [] })).rejects.toThrow(/\/schema does not compile/);
  });

  it('compiles each distinct schema once', () => {
    const a = schemaValidator({ schema: { type: 'object', $id: 'https://x/s' }, coerceTypes: false, removeAdditional: false });
    const b = schemaValidator({ schema: { type: 'object', $id: 'https://x/s' }, coerceTypes: false, removeAdditional: false });
    const c = schemaValidator({ schema: { type: 'object', $id: 'https://x/s' }, coerceTypes: true, removeAdditional: false });
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });
});
