import type { ConnectorSpec, NodeCatalog, NodeSpec, SchemaTextLocale } from './catalog.types.js';

// Node declarations carry their translations as data (`locales`, see libs/engine NodeLocale).
// The catalogue is localized once, before it reaches the palette, the canvas and the form, so
// none of them has to know about languages: each sees a spec whose strings are in the language
// shown, with the English wherever a translation is missing.

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The declared language for an i18next language: `zh-CN` exactly, else the same primary language (`zh` → `zh-CN`). */
export function pickLocale<T>(locales: Record<string, T> | undefined, language: string): T | undefined {
  if (!locales) return undefined;
  if (locales[language]) return locales[language];
  const primary = language.split('-')[0]!.toLowerCase();
  const tag = Object.keys(locales).find((k) => k.split('-')[0]!.toLowerCase() === primary);
  return tag ? locales[tag] : undefined;
}

/** The object a JSON pointer (RFC 6901) addresses in a schema, or undefined. */
function resolvePointer(schema: Json, pointer: string): Json | undefined {
  if (pointer === '') return schema;
  if (!pointer.startsWith('/')) return undefined;
  let at: unknown = schema;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(at) && /^\d+$/.test(key)) at = at[Number(key)];
    else if (isObject(at) && Object.hasOwn(at, key)) at = at[key];
    else return undefined;
  }
  return isObject(at) ? at : undefined;
}

/**
 * A copy of a JSON Schema with the texts replaced. rjsf 6 takes enum labels only from a uiSchema
 * (`ui:enumNames`) or from `oneOf` alternatives with `const` + `title`; the second keeps the labels
 * in the schema, so an `enum` with translated labels becomes that (same values, same validation).
 */
export function localizeSchema(schema: Json, texts: Record<string, SchemaTextLocale> | undefined): Json {
  const copy = structuredClone(schema);
  if (!texts) return copy;
  for (const [pointer, t] of Object.entries(texts)) {
    const target = resolvePointer(copy, pointer);
    if (!target) continue;
    if (t.title) target.title = t.title;
    if (t.description) target.description = t.description;
    if (t.placeholder) target['x-placeholder'] = t.placeholder;
    const values = target.enum;
    if (t.enumNames && Array.isArray(values) && values.length === t.enumNames.length && target.oneOf === undefined) {
      target.oneOf = values.map((value, i) => ({ const: value, title: t.enumNames![i] || String(value) }));
      delete target.enum;
    }
  }
  return copy;
}

/** A node's spec in `language`: title, description, port labels and form texts translated where the node declares them. */
export function localizeSpec(spec: NodeSpec, language: string): NodeSpec {
  const locale = pickLocale(spec.locales, language);
  if (!locale) return spec;
  return {
    ...spec,
    title: locale.title || spec.title,
    description: locale.description || spec.description,
    configSchema: locale.config ? localizeSchema(spec.configSchema, locale.config) : spec.configSchema,
    portLabels: locale.ports ? { ...locale.ports } : spec.portLabels,
  };
}

export function localizeConnector(connector: ConnectorSpec, language: string): ConnectorSpec {
  const locale = pickLocale(connector.locales, language);
  if (!locale) return connector;
  return {
    ...connector,
    title: locale.title || connector.title,
    description: locale.description || connector.description,
    auth: connector.auth && locale.auth ? localizeSchema(connector.auth, locale.auth) : connector.auth,
  };
}

/** The whole catalogue in `language` (a new object; the one from the API is left as it is). */
export function localizeCatalog(catalog: NodeCatalog, language: string): NodeCatalog {
  return {
    ...catalog,
    connectors: catalog.connectors.map((c) => localizeConnector(c, language)),
    items: catalog.items.map((s) => localizeSpec(s, language)),
  };
}
