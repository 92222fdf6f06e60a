import { describe, expect, it } from '@jest/globals';
import type { NodeCatalog, NodeSpec } from './catalog.types.js';
import { localizeCatalog, localizeSchema, localizeSpec, pickLocale } from './catalog-locale.util.js';

const spec = (): NodeSpec => ({
  id: 'core.transform',
  version: 1,
  title: 'Transform',
  description: 'Reshapes each item with JSONata.',
  category: 'transform',
  icon: null,
  configSchema: {
    type: 'object',
    properties: {
      expression: { type: 'string', title: 'Expression', description: 'JSONata.' },
      mode: { type: 'string', enum: ['merge', 'replace'], default: 'merge', title: 'Mode' },
      event: { type: 'object', properties: { type: { type: 'string', title: 'Event type', 'x-placeholder': 'form_submitted' } } },
      kinds: { type: 'array', uniqueItems: true, items: { type: 'string', enum: ['a', 'b'] } },
    },
  },
  inputs: ['in'],
  outputs: ['out', 'error'],
  dynamicOutputs: false,
  trigger: null,
  connection: null,
  sample: null,
  locales: {
    'zh-CN': {
      title: '数据转换',
      description: '用 JSONata 重组每条数据。',
      ports: { error: '出错' },
      config: {
        '/properties/expression': { title: '表达式' },
        '/properties/mode': { title: '模式', enumNames: ['合并', '替换'] },
        '/properties/event/properties/type': { title: '事件类型', placeholder: '表单提交' },
        '/properties/kinds/items': { enumNames: ['甲', '乙'] },
        '/properties/nope': { title: '不存在' },
      },
    },
  },
});

const props = (s: NodeSpec) => s.configSchema.properties as Record<string, Record<string, unknown>>;

describe('pickLocale', () => {
  const locales = { 'zh-CN': 'zh' };
  it.each([
    ['zh-CN', 'zh'],
    ['zh', 'zh'],
    ['zh-TW', 'zh'],
    ['en', undefined],
    ['en-US', undefined],
  ])('%s → %s', (language, expected) => {
    expect(pickLocale(locales, language)).toBe(expected);
  });
});

describe('localizeSpec', () => {
  it('translates the title, description, port labels and form texts', () => {
    const zh = localizeSpec(spec(), 'zh-CN');
    expect(zh.title).toBe('数据转换');
    expect(zh.description).toBe('用 JSONata 重组每条数据。');
    expect(zh.portLabels).toEqual({ error: '出错' });
    expect(props(zh).expression).toEqual({ type: 'string', title: '表达式', description: 'JSONata.' });
    expect((props(zh).event!.properties as Record<string, unknown>).type).toEqual({ type: 'string', title: '事件类型', 'x-placeholder': '表单提交' });
  });

  it('labels enum values the way rjsf 6 reads them: oneOf with const and title, same values', () => {
    const zh = localizeSpec(spec(), 'zh-CN');
    expect(props(zh).mode).toEqual({
      type: 'string',
      default: 'merge',
      title: '模式',
      oneOf: [
        { const: 'merge', title: '合并' },
        { const: 'replace', title: '替换' },
      ],
    });
    expect((props(zh).kinds!.items as Record<string, unknown>).oneOf).toEqual([
      { const: 'a', title: '甲' },
      { const: 'b', title: '乙' },
    ]);
  });

  it('falls back to the English per string and leaves the served spec untouched', () => {
    const original = spec();
    const before = structuredClone(original);
    const zh = localizeSpec(original, 'zh-CN');
    expect(props(zh).expression!.description).toBe('JSONata.');
    expect(original).toEqual(before);
    expect(zh.configSchema).not.toBe(original.configSchema);
  });

  it('returns the spec as it is for English and for nodes without translations', () => {
    const s = spec();
    expect(localizeSpec(s, 'en')).toBe(s);
    const bare = { ...spec(), locales: {} };
    expect(localizeSpec(bare, 'zh-CN')).toBe(bare);
  });

  it('keeps the enum when the labels do not match its length', () => {
    const schema = localizeSchema({ type: 'object', properties: { m: { enum: ['a', 'b'] } } }, { '/properties/m': { enumNames: ['甲'] } });
    expect((schema.properties as Record<string, unknown>).m).toEqual({ enum: ['a', 'b'] });
  });
});

describe('localizeCatalog', () => {
  it('localizes nodes and connectors', () => {
    const catalog: NodeCatalog = {
      connectors: [{ id: 'core', title: 'Core', description: 'Built-in nodes', auth: null, locales: { 'zh-CN': { title: '内置', description: '内置节点' } } }],
      items: [spec()],
    };
    const zh = localizeCatalog(catalog, 'zh-CN');
    expect(zh.connectors![0]!.title).toBe('内置');
    expect(zh.items[0]!.title).toBe('数据转换');
    expect(localizeCatalog(catalog, 'en').items[0]!.title).toBe('Transform');
  });
});
