import { describe, expect, it } from '@jest/globals';
import { missingConnectorTexts, missingNodeTexts } from '@tributary/node-sdk';
import { createCatalog } from './catalog.js';

// The editor is used in Chinese: a node or connector that ships with English-only texts would show
// up as English in the palette and the settings form. Every declaration in the catalogue carries
// its zh-CN texts (libs/engine NodeLocale), config and connection fields nested in objects and arrays included.
const catalog = createCatalog();
const cjk = /[\u4e00-\u9fff]/;

describe('zh-CN texts of the catalogue', () => {
  it.each(catalog.connectors.map((c) => [c.id, c] as const))('connector %s has a Chinese title, description and a text for every labelled connection field', (_id, connector) => {
    expect(missingConnectorTexts(connector, 'zh-CN', { auth: true })).toEqual([]);
    expect(connector.locales!['zh-CN']!.description).toMatch(cjk);
  });

  it.each(catalog.registry.list().map((d) => [`${d.id}@${d.version}`, d] as const))('node %s has a Chinese title, description and a text for every labelled config field', (_key, def) => {
    expect(missingNodeTexts(def, 'zh-CN')).toEqual([]);
    expect(def.locales!['zh-CN']!.title).toMatch(cjk);
    expect(def.locales!['zh-CN']!.description).toMatch(cjk);
  });
});
