import { isPlainObject } from '@tributary/node-sdk';
import { text } from '../shared/lead-item.util.js';

export interface MetaLeadFields {
  name?: string;
  phone?: string;
  email?: string;
  city?: string;
  company?: string;
  title?: string;
  /** Every other question (standard ones such as state or zip_code, and custom questions), by its key. */
  answers: Record<string, string>;
}

// Meta's standard question keys that have a place of their own in the item.
const OWN: Record<string, keyof Omit<MetaLeadFields, 'answers'>> = {
  full_name: 'name',
  phone_number: 'phone',
  email: 'email',
  city: 'city',
  company_name: 'company',
  job_title: 'title',
};
// Second choices, used when the first is missing.
const FALLBACK: Record<string, keyof Omit<MetaLeadFields, 'answers'>> = {
  work_phone_number: 'phone',
  work_email: 'email',
};

/** `field_data: [{name, values: [...]}]` as item fields; several values of one question are joined with ", ". */
export function mapFieldData(fieldData: unknown): MetaLeadFields {
  const out: MetaLeadFields = { answers: {} };
  if (!Array.isArray(fieldData)) return out;
  const values: Record<string, string> = {};
  for (const f of fieldData) {
    if (!isPlainObject(f) || typeof f.name !== 'string') continue;
    const list = Array.isArray(f.values) ? f.values : [f.values];
    const joined = list.map(text).filter((v): v is string => v !== undefined).join(', ');
    if (joined) values[f.name] = joined;
  }
  for (const [key, value] of Object.entries(values)) {
    const own = OWN[key];
    if (own) out[own] = value;
    else if (!(key in FALLBACK)) out.answers[key] = value;
  }
  for (const [key, field] of Object.entries(FALLBACK)) {
    if (values[key] === undefined) continue;
    if (out[field] === undefined) out[field] = values[key];
    else out.answers[key] = values[key]!;
  }
  if (!out.name) {
    const name = [values.first_name, values.last_name].filter(Boolean).join(' ');
    if (name) out.name = name;
  }
  return out;
}
