import { describe, expect, it } from '@jest/globals';
import type { ConnectorDefinition, NodeDefinition } from '@tributary/engine';
import { defineConnector, defineNode, validateNodeDefinition } from './define-node.js';
import { labelledSchemas, missingConnectorTexts, missingNodeTexts, resolveSchemaPointer } from './locale.util.js';

const schema = {
  type: 'object',
  title: 'Settings',
  properties: {
    mode: { type: 'string', enum: ['merge', 'replace'], title: 'Mode', description: 'How output is built.' },
    'a/b': { type: 'string', title: 'Slash' },
    event: { type: 'object', properties: { type: { type: 'string', title: 'Event type', 'x-placeholder': 'form_submitted' } } },
    rules: { type: 'array', items: { type: 'object', properties: { port: { type: 'string', title: 'Port' } } } },
    fields: { type: 'object', additionalProperties: { type: 'string', description: 'Any other field.' } },
  },
  anyOf: [{ required: ['mode'] }, { required: ['event'] }],
};

const base = (): NodeDefinition => ({
  id: 'acme.tag',
  version: 1,
  title: 'Tag',
  description: 'Adds a tag',
  category: 'transform',
  configSchema: structuredClone(schema),
  outputs: ['out', 'skipped'],
  run: async (_ctx, items) => ({ out: items }),
});

describe('resolveSchemaPointer', () => {
  it.each([
    ['', 'Settings'],
    ['/properties/mode', 'Mode'],
    ['/properties/event/properties/type', 'Event type'],
    ['/properties/rules/items/properties/port', 'Port'],
    ['/properties/a~1b', 'Slash'],
  ])('finds %j', (pointer, title) => {
    expect(resolveSchemaPointer(schema, pointer)?.title).toBe(title);
  });

  it.each(['properties/mode', '/properties/nope', '/properties/mode/enum', '/properties/mode/title', '/anyOf/7'])('finds no object at %j', (pointer) => {
    expect(resolveSchemaPointer(schema, pointer)).toBeUndefined();
  });

  it('walks arrays by index', () => {
    expect(resolveSchemaPointer(schema, '/anyOf/1')).toEqual({ required: ['event'] });
  });
});

describe('labelledSchemas', () => {
  it('lists every labelled field, nested ones too, but not constraint branches', () => {
    expect([...labelledSchemas(schema).keys()]).toEqual([
      '',
      '/properties/mode',
      '/properties/a~1b',
      '/properties/event/properties/type',
      '/properties/rules/items/properties/port',
      '/properties/fields/additionalProperties',
    ]);
  });
});

describe('node locales', () => {
  it('accepts translations whose pointers, enum labels and ports match the declaration', () => {
    const def = base();
    def.locales = {
      'zh-CN': {
        title: '打标签',
        description: '给线索打标签',
        ports: { in: '输入', skipped: '已跳过', error: '出错' },
        config: {
          '': { title: '设置' },
          '/properties/mode': { title: '模式', enumNames: ['合并', '替换'] },
          '/properties/event/properties/type': { title: '事件类型', placeholder: '表单提交' },
          '/properties/rules/items/properties/port': { title: '端口' },
        },
      },
    };
    expect(validateNodeDefinition(def)).toEqual([]);
    const node = defineNode(def);
    expect(Object.isFrozen(node.locales!['zh-CN']!.config!['/properties/mode'])).toBe(true);
  });

  it.each<[string, NodeDefinition['locales'], RegExp]>([
    ['an unknown language', { fr: { title: 'Étiquette' } } as NodeDefinition['locales'], /locales\["fr"\]: unknown language/],
    ['an empty title', { 'zh-CN': { title: ' ' } }, /title must be a non-empty string/],
    ['a pointer that misses', { 'zh-CN': { config: { '/properties/nope': { title: '无' } } } }, /\/properties\/nope"\]: the pointer does not address an object/],
    ['a pointer without a slash', { 'zh-CN': { config: { 'properties/mode': { title: '模式' } } } }, /does not address/],
    ['a pointer at a keyword value', { 'zh-CN': { config: { '/properties/mode/enum': { title: '模式' } } } }, /does not address/],
    ['too few enum labels', { 'zh-CN': { config: { '/properties/mode': { enumNames: ['合并'] } } } }, /enumNames has 1 labels for 2 enum values/],
    ['enum labels where there is no enum', { 'zh-CN': { config: { '/properties/event/properties/type': { enumNames: ['a'] } } } }, /the schema there has no enum/],
    ['a misspelt text key', { 'zh-CN': { config: { '/properties/mode': { tilte: '模式' } as never } } }, /unknown key "tilte"/],
    ['a port the node does not have', { 'zh-CN': { ports: { matched: '已匹配' } } }, /"matched" is not a port of this node/],
    ['an unknown locale key', { 'zh-CN': { help: '帮助' } as never }, /unknown key "help"/],
  ])('rejects %s', (_name, locales, message) => {
    const def = base();
    def.locales = locales;
    expect(() => defineNode(def)).toThrow(message);
  });

  it('accepts any port name when the outputs depend on the config', () => {
    const def = base();
    def.outputs = () => ['out'];
    def.locales = { 'zh-CN': { ports: { vip: '贵宾', else: '其他' } } };
    expect(validateNodeDefinition(def)).toEqual([]);
    def.locales = { 'zh-CN': { ports: { 'not a port': '无' } } };
    expect(validateNodeDefinition(def).join()).toMatch(/not a port of this node/);
  });
});

describe('connector locales', () => {
  const connector = (locales: ConnectorDefinition['locales']): ConnectorDefinition => ({
    id: 'acme',
    title: 'Acme',
    description: 'Acme CRM',
    auth: { type: 'object', properties: { apiKey: { type: 'string', title: 'API key' } } },
    nodes: [base()],
    locales,
  });

  it('accepts texts for the connector and its auth schema', () => {
    expect(() => defineConnector(connector({ 'zh-CN': { title: 'Acme', description: 'Acme 客户管理', auth: { '/properties/apiKey': { title: 'API 密钥' } } } }))).not.toThrow();
  });

  it('rejects an auth pointer that misses the auth schema', () => {
    expect(() => defineConnector(connector({ 'zh-CN': { auth: { '/properties/token': { title: '令牌' } } } }))).toThrow(/auth\["\/properties\/token"\]: the pointer does not address/);
  });

  it('reports the nodes’ own locale problems under the node', () => {
    const c = connector(undefined);
    c.nodes[0]!.locales = { 'zh-CN': { config: { '/properties/x': { title: 'x' } } } };
    expect(() => defineConnector(c)).toThrow(/acme.tag@1: locales\["zh-CN"\].config\["\/properties\/x"\]/);
  });
});

describe('missing translations', () => {
  it('lists the title, description and every labelled field without a translation', () => {
    const def = base();
    def.locales = { 'zh-CN': { title: '打标签', config: { '/properties/mode': { title: '模式' }, '/properties/a~1b': { title: '斜杠' } } } };
    expect(missingNodeTexts(def, 'zh-CN')).toEqual([
      'description',
      'config/ title',
      'config/properties/mode description',
      'config/properties/event/properties/type title',
      'config/properties/rules/items/properties/port title',
      'config/properties/fields/additionalProperties description',
    ]);
  });

  it('is empty for a fully translated connector, and lists auth fields only when asked', () => {
    const c: ConnectorDefinition = { id: 'acme', title: 'Acme', description: 'Acme CRM', auth: { type: 'object', properties: { apiKey: { type: 'string', title: 'API key' } } }, nodes: [], locales: { 'zh-CN': { title: 'Acme', description: 'Acme 客户管理' } } };
    expect(missingConnectorTexts(c, 'zh-CN')).toEqual([]);
    expect(missingConnectorTexts(c, 'zh-CN', { auth: true })).toEqual(['auth/properties/apiKey title']);
  });
});
