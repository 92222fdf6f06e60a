import { Ajv2020 } from 'ajv/dist/2020.js';
import { Ajv, type ErrorObject, type Options } from 'ajv';
import addFormatsPkg from 'ajv-formats';
import type { ConfigIssue } from './node.types.js';

/** The format that marks a config string as a JSONata expression (checked with jsonata's parser, not ajv). */
export const JSONATA_FORMAT = 'jsonata';

/**
 * Annotation keywords the editor reads from config schemas. Registered so that ajv's strict
 * mode still catches typos (`requried`) without rejecting these. `x-scope` says what a `jsonata`
 * field is evaluated over, for the editor's preview: `item` (the default: `$` is one input item,
 * `$item` and `$index` bound), `items` (`$` is the array of input items, `$items` bound) or `none`
 * (data the editor does not have, e.g. the stored customer: no preview).
 */
export const EDITOR_KEYWORDS = ['x-widget', 'x-order', 'x-group', 'x-placeholder', 'x-help', 'x-language', 'x-scope'] as const;

export type AnyAjv = Ajv | Ajv2020;

export interface CreateAjvOptions extends Options {
  /** Schema dialect: 2020-12 (node configs, flows) or draft-07 (schemas users paste in). */
  draft?: '2020' | '07';
}

/**
 * One ajv setup for every schema in flows and node configs: all errors, standard formats,
 * the `jsonata` format (always valid here) and the editor's annotation keywords.
 */
export function createAjv(options: CreateAjvOptions = {}): AnyAjv {
  const { draft = '2020', ...rest } = options;
  const opts: Options = { allErrors: true, strict: true, strictTypes: false, strictTuples: false, strictRequired: false, ...rest };
  const ajv: AnyAjv = draft === '07' ? new Ajv(opts) : new Ajv2020(opts);
  addFormatsPkg.default(ajv);
  ajv.addFormat(JSONATA_FORMAT, true);
  for (const k of EDITOR_KEYWORDS) ajv.addKeyword({ keyword: k, schemaType: ['string', 'number', 'boolean', 'object', 'array'] });
  return ajv;
}

/** The dialect a schema declares through `$schema` (default 2020-12). */
export function schemaDraft(schema: unknown): '2020' | '07' {
  const id = schema && typeof schema === 'object' ? (schema as { $schema?: unknown }).$schema : undefined;
  return typeof id === 'string' && /draft-0[467]/.test(id) ? '07' : '2020';
}

/**
 * ajv errors as issues with a JSON pointer to the offending value: `required` and
 * `additionalProperties` errors point at the property itself rather than its parent.
 */
export function issuesFromAjv(errors: ErrorObject[] | null | undefined, basePath = ''): ConfigIssue[] {
  // An `if` error only says "must match then"; the `then` errors that caused it are reported.
  return (errors ?? []).filter((e) => e.keyword !== 'if').map((e) => {
    let path = e.instancePath;
    const params = e.params as { missingProperty?: string; additionalProperty?: string };
    if (e.keyword === 'required' && params.missingProperty) path += `/${escapePointer(params.missingProperty)}`;
    if (e.keyword === 'additionalProperties' && params.additionalProperty) path += `/${escapePointer(params.additionalProperty)}`;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'enum') message += `: ${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    if (e.keyword === 'additionalProperties') message = 'is not allowed (unknown property)';
    return { path: basePath + path, message };
  });
}

/** RFC 6901 escaping of one pointer segment. */
export function escapePointer(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}
