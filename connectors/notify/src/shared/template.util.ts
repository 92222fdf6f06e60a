import { isPlainObject, type Item } from '@tributary/node-sdk';

// `{{field}}` placeholders for message templates: what ops staff type into a subject line
// without learning JSONata. A path reads nested fields (`{{owner.name}}`, `{{tags.0}}`);
// a missing field renders as nothing.

const PLACEHOLDER = /\{\{\s*([^{}]+?)\s*\}\}/g;

/** The value at a dotted path (`owner.email`, `items.0.sku`), or undefined. */
export function valueAt(item: unknown, path: string): unknown {
  let value: unknown = item;
  for (const part of path.split('.')) {
    if (part === '') return undefined;
    if (Array.isArray(value) && /^\d+$/.test(part)) value = value[Number(part)];
    else if (isPlainObject(value) && Object.hasOwn(value, part)) value = value[part];
    else return undefined;
  }
  return value;
}

/** A field value as message text: scalars as they read, objects as JSON, nothing as ''. */
export function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Fills `{{path}}` placeholders from the item. `escape` is applied to each inserted value
 * (HTML bodies escape them, so a customer's name cannot inject markup).
 */
export function renderTemplate(template: string, item: Item, escape: (text: string) => string = (t) => t): string {
  return template.replace(PLACEHOLDER, (_, path: string) => escape(textOf(valueAt(item, path))));
}

/** The placeholder paths a template uses, for config checks and docs. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** Cuts a string to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return { text, truncated: false };
  let bytes = 0;
  let out = '';
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > maxBytes) break;
    bytes += n;
    out += ch;
  }
  return { text: out, truncated: true };
}
