import { createAjv, issuesFromAjv, type ConfigIssue } from '@tributary/engine';
import { CustomerStoreError } from '../customer-store.errors.js';
import type { OwnerInput, OwnerPatch, TeamInput, TeamPatch } from './owner.types.js';
import { workingHoursProblems, type WorkingHours } from './working-hours.util.js';

// The request bodies of /api/owners and /api/teams as JSON Schema: one schema language per boundary.

/** Ids chosen by the caller (`li.lei`, `sales-east`) or generated. */
export const ENTITY_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.@:-]{0,99}$';

export const workingHoursSchema = {
  type: ['object', 'null'],
  title: 'Working hours',
  description: 'The same window on each listed day, in the owner\'s time zone. `end` before `start` is a night shift; `end` may be 24:00.',
  properties: {
    timezone: { type: 'string', minLength: 1, maxLength: 64, title: 'Time zone', description: 'IANA name, e.g. Asia/Shanghai.' },
    days: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 7 }, minItems: 1, maxItems: 7, uniqueItems: true, title: 'Days', description: 'ISO weekdays: 1 = Monday … 7 = Sunday.' },
    start: { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', title: 'Start (HH:MM)' },
    end: { type: 'string', pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$', title: 'End (HH:MM)' },
  },
  required: ['timezone', 'days', 'start', 'end'],
  additionalProperties: false,
} as const;

const ownerFields = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  email: { type: ['string', 'null'], format: 'email', maxLength: 320 },
  phone: { type: ['string', 'null'], minLength: 1, maxLength: 50 },
  wecomUserId: { type: ['string', 'null'], minLength: 1, maxLength: 100, description: 'The WeCom (企业微信) userid messages go to.' },
  active: { type: 'boolean' },
  awayUntil: { type: ['string', 'null'], format: 'date-time', description: 'Skipped by assignment until this time.' },
  capacity: { type: ['integer', 'null'], minimum: 0, maximum: 1_000_000, description: 'Most open customers at once; null: no limit.' },
  workingHours: workingHoursSchema,
  attributes: { type: 'object', maxProperties: 100, description: 'regions, industries, productLines, …' },
} as const;

export const ownerInputSchema = {
  type: 'object',
  properties: { id: { type: 'string', pattern: ENTITY_ID_PATTERN }, ...ownerFields },
  required: ['name'],
  additionalProperties: false,
} as const;

export const ownerPatchSchema = { type: 'object', properties: ownerFields, additionalProperties: false, minProperties: 1 } as const;

const teamFields = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  members: { type: 'array', items: { type: 'string', pattern: ENTITY_ID_PATTERN }, maxItems: 1000, uniqueItems: true, description: 'Owner ids in round-robin order.' },
  leadOwnerId: { type: ['string', 'null'], pattern: ENTITY_ID_PATTERN },
} as const;

export const teamInputSchema = {
  type: 'object',
  properties: { id: { type: 'string', pattern: ENTITY_ID_PATTERN }, ...teamFields },
  required: ['name'],
  additionalProperties: false,
} as const;

export const teamPatchSchema = { type: 'object', properties: teamFields, additionalProperties: false, minProperties: 1 } as const;

const ajv = createAjv();
const validators = {
  owner: ajv.compile(ownerInputSchema),
  ownerPatch: ajv.compile(ownerPatchSchema),
  team: ajv.compile(teamInputSchema),
  teamPatch: ajv.compile(teamPatchSchema),
};

// snake_case spellings (the column names) are accepted too.
const ALIASES: Record<string, string> = {
  wecom_userid: 'wecomUserId',
  wecomUserid: 'wecomUserId',
  away_until: 'awayUntil',
  working_hours: 'workingHours',
  lead_owner_id: 'leadOwnerId',
  leadOwner: 'leadOwnerId',
};

function canonical(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) out[ALIASES[k] ?? k] = v;
  return out;
}

function check<T>(kind: keyof typeof validators, what: string, body: unknown): T {
  const value = canonical(body);
  const validate = validators[kind];
  const issues: ConfigIssue[] = validate(value) ? [] : issuesFromAjv(validate.errors);
  const wh = (value as { workingHours?: WorkingHours | null } | undefined)?.workingHours;
  if (issues.length === 0 && wh) issues.push(...workingHoursProblems(wh).map((p) => ({ path: `/workingHours${p.path}`, message: p.message })));
  if (issues.length > 0) {
    throw new CustomerStoreError('invalid_input', `invalid ${what}: ${issues.map((i) => `${i.path || '/'} ${i.message}`).join('; ')}`, { problems: issues });
  }
  return value as T;
}

/** The body as an OwnerInput, or CustomerStoreError invalid_input naming each bad field. */
export const parseOwnerInput = (body: unknown) => check<OwnerInput>('owner', 'owner', body);
export const parseOwnerPatch = (body: unknown) => check<OwnerPatch>('ownerPatch', 'owner update', body);
export const parseTeamInput = (body: unknown) => check<TeamInput>('team', 'team', body);
export const parseTeamPatch = (body: unknown) => check<TeamPatch>('teamPatch', 'team update', body);
