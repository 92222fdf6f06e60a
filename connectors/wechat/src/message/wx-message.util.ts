import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { PayloadError, isPlainObject } from '@tributary/node-sdk';

// WeChat and WeCom push XML (`<xml><ToUserName>…</xml>`) or, when the console says so, JSON.
// Every value stays a string: MsgId (4561255354251345929) and other ids exceed 2^53.

export type WxValue = string | WxMessage | WxValue[];
export interface WxMessage {
  [field: string]: WxValue;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  // Strings only: no number or boolean guessing.
  parseTagValue: false,
  // Content is kept byte for byte (leading spaces in a text message are the user's).
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
});

/** Whitespace between elements comes back as `#text`; drop it. */
function stripLayout(value: unknown): WxValue {
  if (Array.isArray(value)) return value.map(stripLayout);
  if (isPlainObject(value)) {
    const out: WxMessage = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '__proto__' || (k === '#text' && typeof v === 'string' && v.trim() === '')) continue;
      out[k] = stripLayout(v);
    }
    return out;
  }
  return value === undefined || value === null ? '' : String(value);
}

/** Parses `<xml>…</xml>` into its fields. Throws PayloadError for anything else. */
export function parseWxXml(text: string): WxMessage {
  // WeChat never sends a DTD; refusing one rules out entity tricks before the parser sees them.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new PayloadError('XML with a DOCTYPE or ENTITY declaration is not accepted');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new PayloadError(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(text) as Record<string, unknown>;
  } catch (err) {
    // The parser's own limits (nesting far beyond any message WeChat sends): the sender's fault, not ours.
    throw new PayloadError(`malformed XML: ${(err as Error).message}`);
  }
  const rootName = Object.keys(doc).find((k) => k !== '#text');
  if (rootName !== 'xml') throw new PayloadError(`expected an <xml> root element, got ${rootName ? `<${rootName}>` : 'none'}`);
  const root = doc.xml;
  if (root === '' || root === undefined) return {};
  if (!isPlainObject(root)) throw new PayloadError('the <xml> element holds text, not fields');
  return stripLayout(root) as WxMessage;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * JSON text with every number literal turned into a string literal, so `JSON.parse` keeps
 * 64-bit ids exact (and every value is a string, as in the XML form).
 */
export function quoteJsonNumbers(text: string): string {
  let out = '';
  let i = 0;
  let inString = false;
  while (i < text.length) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') {
        out += text.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (c === '"') inString = false;
      out += c;
      i++;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      i++;
      continue;
    }
    if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (m) {
        out += `"${m[0]}"`;
        i += m[0].length;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}

function toWxValue(value: unknown): WxValue {
  if (Array.isArray(value)) return value.map(toWxValue);
  if (isPlainObject(value)) {
    const out: WxMessage = {};
    // A "__proto__" key would replace the object's prototype when assigned.
    for (const [k, v] of Object.entries(value)) if (k !== '__proto__') out[k] = toWxValue(v);
    return out;
  }
  return value === null || value === undefined ? '' : String(value);
}

/** Parses a JSON push (an object) losslessly; every scalar becomes a string. Throws PayloadError. */
export function parseWxJson(text: string): WxMessage {
  let value: unknown;
  try {
    value = JSON.parse(quoteJsonNumbers(text));
  } catch (err) {
    throw new PayloadError(`malformed JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isPlainObject(value)) throw new PayloadError('the JSON body must be an object');
  return toWxValue(value) as WxMessage;
}

export type WxFormat = 'xml' | 'json';

/** Parses an XML or JSON push, telling them apart by the first character. */
export function parseWxBody(body: Buffer | string): { format: WxFormat; message: WxMessage } {
  let text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const head = text.trimStart()[0];
  if (head === '<') return { format: 'xml', message: parseWxXml(text) };
  if (head === '{') return { format: 'json', message: parseWxJson(text) };
  throw new PayloadError(head === undefined ? 'the body is empty' : 'the body is neither XML nor JSON');
}

/** A field as text; undefined when absent, empty or not a scalar. */
export function textField(message: WxMessage, ...names: string[]): string | undefined {
  for (const name of names) {
    const v = message[name];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

/** `CreateTime` (Unix seconds) as an ISO string; undefined when it is not a time. */
export function isoFromSeconds(seconds: string | undefined): string | undefined {
  if (!seconds || !/^\d{1,12}$/.test(seconds.trim())) return undefined;
  return new Date(Number(seconds.trim()) * 1000).toISOString();
}

/** The `Encrypt` field of a safe-mode envelope (XML `Encrypt`, WeCom JSON `encrypt`). */
export function envelopeEncrypt(message: WxMessage): string | undefined {
  return textField(message, 'Encrypt', 'encrypt');
}
