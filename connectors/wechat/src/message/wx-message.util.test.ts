import { describe, expect, it } from '@jest/globals';
import { PayloadError } from '@tributary/node-sdk';
import { wecomPythonVectors, wecomVectors } from '../__fixtures__/official-vectors.js';
import { envelopeEncrypt, isoFromSeconds, parseWxBody, parseWxJson, parseWxXml, quoteJsonNumbers } from './wx-message.util.js';
import { queryParam } from './wx-request.util.js';

describe('parseWxXml', () => {
  it('reads the official decrypted message: CDATA, line breaks between fields, MsgId beyond 2^53 kept exact', () => {
    expect(parseWxXml(wecomVectors.decryptXml.message)).toEqual({
      ToUserName: 'wx5823bf96d3bd56c7',
      FromUserName: 'mycreate',
      CreateTime: '1409659813',
      MsgType: 'text',
      Content: 'hello',
      MsgId: '4561255354251345929',
      AgentID: '218',
    });
    expect(parseWxXml(wecomPythonVectors.decryptXml.message)).toMatchObject({ Content: '你好', MsgId: '1456453720' });
  });

  it('keeps content byte for byte, empty elements as "", nested and repeated elements as objects and arrays', () => {
    const xml =
      '<xml><Content><![CDATA[  two spaces & <b>tags</b> ]]></Content><EventKey><![CDATA[]]></EventKey><AgentID/>' +
      '<ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType><ScanResult><![CDATA[1]]></ScanResult></ScanCodeInfo><Item>a</Item><Item>b</Item>' +
      '<Label>A &amp; B</Label></xml>';
    expect(parseWxXml(xml)).toEqual({
      Content: '  two spaces & <b>tags</b> ',
      EventKey: '',
      AgentID: '',
      ScanCodeInfo: { ScanType: 'qrcode', ScanResult: '1' },
      Item: ['a', 'b'],
      Label: 'A & B',
    });
  });

  it('refuses garbage, other roots, DTDs and nesting beyond the parser\'s limit with a PayloadError (a 400, not a 500)', () => {
    const deep = '<xml>' + '<a>'.repeat(20_000) + '</a>'.repeat(20_000) + '</xml>';
    for (const bad of ['not xml', '<xml><a>1</a>', '<root><a>1</a></root>', '<xml>just text</xml>', '<!DOCTYPE xml [<!ENTITY a "b">]><xml><a>&a;</a></xml>', deep]) {
      expect(() => parseWxXml(bad)).toThrow(PayloadError);
    }
    expect(parseWxXml('<xml></xml>')).toEqual({});
  });
});

describe('parseWxJson', () => {
  it('keeps every number as its exact text (the official JSON message has MsgId 4561255354251345929)', () => {
    expect(parseWxJson(wecomVectors.decryptJson.message)).toEqual({
      ToUserName: 'wx5823bf96d3bd56c7',
      FromUserName: 'mycreate',
      CreateTime: '1409659813',
      MsgType: 'text',
      Content: 'hello',
      MsgId: '4561255354251345929',
      AgentID: '218',
    });
  });

  it('only rewrites numbers outside strings', () => {
    expect(quoteJsonNumbers('{"a":-1.5e3,"b":"12 \\"34\\" 5","c":[1,true,null],"d":{"e":0}}')).toBe('{"a":"-1.5e3","b":"12 \\"34\\" 5","c":["1",true,null],"d":{"e":"0"}}');
    expect(parseWxJson('{"c":[1,true,null],"d":{"e":0}}')).toEqual({ c: ['1', 'true', ''], d: { e: '0' } });
  });

  it('refuses malformed JSON and non-objects, and never lets __proto__ through', () => {
    expect(() => parseWxJson('{"a":')).toThrow(PayloadError);
    expect(() => parseWxJson('[1,2]')).toThrow(/must be an object/);
    const parsed = parseWxJson('{"__proto__":{"polluted":"yes"},"a":"1"}');
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(parsed).toEqual({ a: '1' });
  });
});

describe('parseWxBody', () => {
  it('tells XML from JSON by the first character (BOM and whitespace allowed)', () => {
    expect(parseWxBody(Buffer.from(`\uFEFF  ${wecomVectors.decryptXml.body}`)).format).toBe('xml');
    expect(envelopeEncrypt(parseWxBody(wecomVectors.decryptXml.body).message)).toBe(wecomVectors.decryptXml.encrypt);
    const json = parseWxBody(wecomVectors.decryptJson.body);
    expect(json.format).toBe('json');
    expect(envelopeEncrypt(json.message)).toMatch(/^CZWs4CWR/);
    expect(() => parseWxBody('')).toThrow(/empty/);
    expect(() => parseWxBody('hello=world')).toThrow(PayloadError);
  });

  it('turns CreateTime into an ISO time', () => {
    expect(isoFromSeconds('1409659813')).toBe('2014-09-02T12:10:13.000Z');
    expect(isoFromSeconds('soon')).toBeUndefined();
    expect(isoFromSeconds(undefined)).toBeUndefined();
  });
});

describe('queryParam', () => {
  const echostr = 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==';

  it('reads the raw URL, where a literal or encoded + stays a +', () => {
    expect(queryParam({ url: `https://h.test/hooks/f/n?echostr=${echostr}&nonce=1`, query: {} }, 'echostr')).toBe(echostr);
    expect(queryParam({ url: `https://h.test/hooks/f/n?echostr=${encodeURIComponent(echostr)}`, query: {} }, 'echostr')).toBe(echostr);
    expect(queryParam({ url: 'https://h.test/hooks/f/n?a=1', query: {} }, 'echostr')).toBeUndefined();
  });

  it('falls back to the parsed query and restores the + a form parser turned into a space', () => {
    expect(queryParam({ url: 'https://h.test/hooks/f/n', query: { echostr: echostr.replace(/\+/g, ' ') } }, 'echostr')).toBe(echostr);
  });
});
