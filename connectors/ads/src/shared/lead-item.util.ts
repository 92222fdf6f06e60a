import { text as scalarText, type Item } from '@tributary/node-sdk';

/** Field names that every lead trigger sets itself; a form question with one of these names never overwrites them. */
export const RESERVED_LEAD_FIELDS = new Set([
  'eventType', 'occurredAt', 'channel', 'utm_source', 'utm_medium', 'lead_id', 'raw',
  'campaign_id', 'campaign_name', 'adgroup_id', 'adset_id', 'ad_id', 'ad_name', 'creative_id', 'form_id', 'page_id',
]);

/** Values nobody typed: placeholders the platforms put in empty form fields. */
const PLACEHOLDERS = new Set(['', '-', '--', '未命名', '未知', 'null', 'undefined', 'none', 'n/a']);

/** A trimmed text, or undefined for empty values and platform placeholders. */
export function text(value: unknown): string | undefined {
  const t = scalarText(value);
  return t === undefined || PLACEHOLDERS.has(t.toLowerCase()) ? undefined : t;
}

/** An id field: exact text, and `0` (the platforms' "none") dropped. */
export function idText(value: unknown): string | undefined {
  const t = typeof value === 'number' ? (Number.isSafeInteger(value) ? String(value) : undefined) : text(value);
  return t === undefined || t === '0' ? undefined : t;
}

/** The item without undefined fields, in the shape every lead trigger emits. */
export function leadItem(fields: Record<string, unknown>): Item {
  const item: Item = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) item[k] = v;
  return item;
}

/** Adds answers to form questions as top-level fields, never replacing a field already set. */
export function addAnswers(item: Item, answers: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(answers)) {
    const key = k.trim();
    if (!key || v === undefined || RESERVED_LEAD_FIELDS.has(key) || key in item) continue;
    item[key] = v;
  }
}
