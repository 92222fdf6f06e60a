import { createAjv, issuesFromAjv, type AnyAjv, type ConfigIssue } from '@tributary/engine';
import { compileConfig } from './pair.scorer.js';
import type { MatchConfig } from './match.types.js';

// A rules file for `tributary match --config` as JSON Schema: the same shape as MatchConfig
// (match.types.ts, which documents each field), so a typo is a named error instead of a rule
// that silently never fires.

const COMPARATORS = ['exact', 'jaro_winkler', 'person_name', 'company_name', 'city', 'levenshtein', 'date', 'phone_near', 'email_near'] as const;
const TRANSFORMS = ['exact', 'prefix3', 'pinyin_initials', 'pinyin', 'soundex', 'digits', 'year', 'phone_ends', 'phone_head'] as const;

const fieldName = { type: 'string', minLength: 1, maxLength: 100 } as const;
const fieldList = { type: 'array', items: fieldName, uniqueItems: true } as const;
const weight = { type: 'number', minimum: -1000, maximum: 1000 } as const;
const similarity = { type: 'number', minimum: 0, maximum: 1 } as const;

export const matchConfigSchema = {
  type: 'object',
  title: 'Matching rules',
  required: ['identifiers', 'fuzzy'],
  additionalProperties: false,
  properties: {
    identifiers: {
      type: 'array',
      description: 'Identifier rules: columns named like a rule type become identities and link deterministically, in priority order.',
      items: {
        type: 'object',
        required: ['type', 'priority'],
        additionalProperties: false,
        properties: {
          type: fieldName,
          priority: { type: 'integer', minimum: 0, maximum: 100 },
          maxPerCustomer: { type: 'integer', minimum: 1 },
          maxCustomersPerValue: { type: 'integer', minimum: 1 },
          conflictFields: fieldList,
          conflictIdentifiers: fieldList,
        },
      },
    },
    fuzzy: {
      type: 'object',
      required: ['fields', 'blocking', 'autoMergeThreshold', 'reviewThreshold'],
      additionalProperties: false,
      properties: {
        fields: {
          type: 'array',
          items: {
            type: 'object',
            required: ['field', 'comparator', 'agreeWeight', 'disagreeWeight'],
            additionalProperties: false,
            properties: {
              field: fieldName,
              comparator: { enum: COMPARATORS },
              agreeWeight: weight,
              disagreeWeight: weight,
              agree: similarity,
              partial: similarity,
              partialWeight: weight,
              rare: {
                type: 'object',
                required: ['maxRecords', 'bonus'],
                additionalProperties: false,
                properties: { maxRecords: { type: 'integer', minimum: 1 }, bonus: weight, maxShare: { type: 'number', exclusiveMinimum: 0, maximum: 1 } },
              },
              common: {
                type: 'object',
                required: ['minRecords', 'minShare', 'manyRecords', 'penalty'],
                additionalProperties: false,
                properties: {
                  minRecords: { type: 'integer', minimum: 1 },
                  minShare: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
                  manyRecords: { type: 'integer', minimum: 1 },
                  penalty: { type: 'number', minimum: 0, maximum: 1000 },
                },
              },
              swapWith: fieldName,
            },
          },
        },
        blocking: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'fields'],
            additionalProperties: false,
            properties: {
              name: fieldName,
              fields: {
                type: 'array',
                minItems: 1,
                items: {
                  type: 'object',
                  required: ['field'],
                  additionalProperties: false,
                  properties: { field: fieldName, transform: { enum: TRANSFORMS } },
                },
              },
              unordered: { type: 'boolean' },
            },
          },
        },
        autoMergeThreshold: weight,
        reviewThreshold: weight,
        maxCandidates: { type: 'integer', minimum: 1, maximum: 10_000 },
        identifierDisagreeWeight: { type: 'object', additionalProperties: weight },
        clusterKeys: { type: 'array', items: { ...fieldList, minItems: 1 } },
        rareClusters: {
          type: 'object',
          required: ['field', 'maxClusters'],
          additionalProperties: false,
          properties: {
            field: fieldName,
            maxClusters: { type: 'integer', minimum: 2 },
            compatible: fieldList,
            minAgreeing: { type: 'integer', minimum: 0 },
            within: { type: 'string', maxLength: 100 },
            maxExpected: { type: 'number', exclusiveMinimum: 0 },
          },
        },
        uniqueNames: {
          type: 'object',
          required: ['field', 'maxExpected'],
          additionalProperties: false,
          properties: {
            field: fieldName,
            maxExpected: { type: 'number', exclusiveMinimum: 0, maximum: 10 },
            maxClusters: { type: 'integer', minimum: 2 },
            compatible: fieldList,
          },
        },
      },
    },
  },
} as const;

let validator: ReturnType<AnyAjv['compile']> | undefined;

/**
 * The problems of a rules file, each at its JSON pointer: its shape against matchConfigSchema,
 * then what only the rules together can tell (a swapWith or conflict field that is not a fuzzy
 * field, a review threshold above the merge threshold). Empty when the rules can run.
 */
export function validateMatchConfig(config: unknown): ConfigIssue[] {
  validator ??= createAjv().compile(matchConfigSchema);
  if (!validator(config)) return issuesFromAjv(validator.errors);
  const c = config as MatchConfig;
  const issues: ConfigIssue[] = [];
  if (c.fuzzy.reviewThreshold > c.fuzzy.autoMergeThreshold) {
    issues.push({ path: '/fuzzy/reviewThreshold', message: `must not be above autoMergeThreshold (${c.fuzzy.autoMergeThreshold})` });
  }
  const fields = new Set(c.fuzzy.fields.map((f) => f.field));
  const named = (list: string[] | undefined, path: string) =>
    (list ?? []).forEach((f, i) => {
      if (!fields.has(f)) issues.push({ path: `${path}/${i}`, message: `"${f}" is not one of fuzzy.fields` });
    });
  c.identifiers.forEach((r, i) => named(r.conflictFields, `/identifiers/${i}/conflictFields`));
  c.fuzzy.clusterKeys?.forEach((k, i) => named(k, `/fuzzy/clusterKeys/${i}`));
  for (const key of ['rareClusters', 'uniqueNames'] as const) {
    const rule = c.fuzzy[key];
    if (!rule) continue;
    if (!fields.has(rule.field)) issues.push({ path: `/fuzzy/${key}/field`, message: `"${rule.field}" is not one of fuzzy.fields` });
    named(rule.compatible, `/fuzzy/${key}/compatible`);
    const within = key === 'rareClusters' ? c.fuzzy.rareClusters!.within : undefined;
    if (within && !fields.has(within)) issues.push({ path: '/fuzzy/rareClusters/within', message: `"${within}" is not one of fuzzy.fields` });
  }
  if (c.fuzzy.uniqueNames && c.fuzzy.fields.find((f) => f.field === c.fuzzy.uniqueNames!.field)?.comparator !== 'person_name') {
    issues.push({ path: '/fuzzy/uniqueNames/field', message: 'must be a fuzzy field compared with person_name' });
  }
  if (issues.length > 0) return issues;
  try {
    compileConfig(c);
  } catch (err) {
    issues.push({ path: '', message: (err as Error).message });
  }
  return issues;
}
