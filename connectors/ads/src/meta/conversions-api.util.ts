import { createHash } from 'node:crypto';
import { Int64, stringifyWithInt64 } from '../shared/exact-json.util.js';
import { graphRequest, type GraphDeps, type GraphOptions } from './graph-api.util.js';

// Conversions API for CRM leads: POST /{dataset_id}/events with action_source
// system_generated, the Meta lead id, and SHA-256 hashes of normalized e-mail and phone.

export interface MetaConversion {
  datasetId: string;
  eventName: string;
  eventTime: Date;
  eventId: string;
  leadId?: string;
  email?: string;
  phone?: string;
  defaultCountryCode: string;
  leadEventSource: string;
  testEventCode?: string;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** Meta's e-mail normalization: trimmed, lower case. Undefined when it is not an address. */
export function normalizeEmail(email: string | undefined): string | undefined {
  const e = email?.trim().toLowerCase();
  return e && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e) ? e : undefined;
}

/**
 * Meta's phone normalization: digits only, with the country code and no leading + or 00.
 * A number written without a country code (13912345670) gets the default one (86).
 */
export function normalizePhone(phone: string | undefined, defaultCountryCode: string): string | undefined {
  if (!phone) return undefined;
  const t = phone.trim();
  const digits = t.replace(/\D/g, '');
  if (digits.length < 6) return undefined;
  if (t.startsWith('+')) return digits;
  if (digits.startsWith('00')) return digits.slice(2);
  if (defaultCountryCode && digits.startsWith(defaultCountryCode) && digits.length > 11) return digits;
  return defaultCountryCode + digits.replace(/^0+/, '');
}

/** The request body; lead_id goes out as the int64 number Meta documents, exact to the last digit. */
export function conversionBody(c: MetaConversion): string {
  const em = normalizeEmail(c.email);
  const ph = normalizePhone(c.phone, c.defaultCountryCode);
  const event = {
    event_name: c.eventName,
    event_time: Math.floor(c.eventTime.getTime() / 1000),
    action_source: 'system_generated',
    event_id: c.eventId,
    user_data: {
      ...(c.leadId ? { lead_id: new Int64(c.leadId) } : {}),
      ...(em ? { em: [sha256(em)] } : {}),
      ...(ph ? { ph: [sha256(ph)] } : {}),
    },
    custom_data: { event_source: 'crm', lead_event_source: c.leadEventSource },
  };
  return stringifyWithInt64({ data: [event], ...(c.testEventCode ? { test_event_code: c.testEventCode } : {}) });
}

/** Sends one CRM event; Meta answers `{events_received, fbtrace_id}`. */
export async function sendMetaConversion(deps: GraphDeps, opts: GraphOptions, c: MetaConversion): Promise<Record<string, unknown>> {
  const res = await graphRequest(deps, opts, { method: 'POST', path: `${c.datasetId}/events`, body: conversionBody(c) });
  return typeof res === 'object' && res !== null ? (res as Record<string, unknown>) : {};
}
