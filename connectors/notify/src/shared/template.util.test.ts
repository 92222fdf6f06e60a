import { describe, expect, it } from '@jest/globals';
import { escapeHtml, placeholdersOf, renderTemplate, truncateUtf8, valueAt } from './template.util.js';
import { isPrivateAddress } from './private-address.util.js';

describe('templates', () => {
  const item = { name: 'Ada', owner: { name: '张伟', tags: ['vip', 'sh'] }, score: 42, ok: true, nothing: null, attrs: { a: 1 } };

  it('fills {{path}} placeholders from the item', () => {
    expect(renderTemplate('Hi {{name}}, owner {{ owner.name }} ({{owner.tags.0}}), score {{score}}, {{ok}}', item)).toBe('Hi Ada, owner 张伟 (vip), score 42, true');
    expect(renderTemplate('[{{missing}}][{{nothing}}][{{owner.tags.9}}][{{attrs}}]', item)).toBe('[][][][{"a":1}]');
    expect(renderTemplate('{{name}} {not} {{', item)).toBe('Ada {not} {{');
    expect(placeholdersOf('{{a}} and {{ b.c }}')).toEqual(['a', 'b.c']);
  });

  it('escapes inserted values, not the template', () => {
    expect(renderTemplate('<b>{{name}}</b>', { name: '<i>"O\'Neil" & co</i>' }, escapeHtml)).toBe('<b>&lt;i&gt;&quot;O&#39;Neil&quot; &amp; co&lt;/i&gt;</b>');
  });

  it('reads own fields only', () => {
    expect(valueAt({}, 'constructor')).toBeUndefined();
    expect(valueAt({ a: { b: 1 } }, 'a..b')).toBeUndefined();
  });

  it('cuts UTF-8 text on character boundaries', () => {
    expect(truncateUtf8('长长长', 7)).toEqual({ text: '长长', truncated: true });
    expect(truncateUtf8('abc', 3)).toEqual({ text: 'abc', truncated: false });
  });
});

describe('isPrivateAddress', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '255.255.255.255', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', 'not-an-ip'])('blocks %s', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });
  it.each(['203.0.113.7', '8.8.8.8', '2001:4860:4860::8888'])('allows %s', (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });
});
