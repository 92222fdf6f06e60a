import {
  isPlainObject,
  LOCALE_TAGS,
  PORT_PATTERN,
  type ConnectorDefinition,
  type JsonSchema,
  type LocaleTag,
  type NodeDefinition,
  type SchemaLocale,
} from '@tributary/engine';

// Translations are data in the declaration (`locales`), checked when it is defined: a pointer
// that misses the schema or labels that do not match the enum would otherwise only show up as
// an English field in someone's editor.

const TEXT_KEYS = ['title', 'description', 'placeholder', 'enumNames'];
const port = new RegExp(PORT_PATTERN);

/** The schema object a JSON pointer (RFC 6901) addresses, or undefined when it addresses none. */
export function resolveSchemaPointer(schema: JsonSchema, pointer: string): JsonSchema | undefined {
  if (pointer === '') return schema;
  if (!pointer.startsWith('/')) return undefined;
  let at: unknown = schema;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(at) && /^(0|[1-9]\d*)$/.test(key)) at = at[Number(key)];
    else if (isPlainObject(at) && Object.hasOwn(at, key)) at = at[key];
    else return undefined;
  }
  return isPlainObject(at) ? at : undefined;
}

/**
 * Every sub-schema a form renders with a label, as pointer → schema: the schema's properties,
 * array items, additionalProperties and patternProperties, all the way down (not the branches
 * of anyOf/oneOf/if, which state constraints rather than fields).
 */
export function labelledSchemas(schema: JsonSchema): Map<string, JsonSchema> {
  const found = new Map<string, JsonSchema>();
  const walk = (s: unknown, pointer: string) => {
    if (!isPlainObject(s)) return;
    if (typeof s.title === 'string' || typeof s.description === 'string') found.set(pointer, s);
    for (const k of ['properties', 'patternProperties'] as const) {
      if (isPlainObject(s[k])) for (const [name, sub] of Object.entries(s[k])) walk(sub, `${pointer}/${k}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    }
    for (const k of ['items', 'additionalProperties'] as const) walk(s[k], `${pointer}/${k}`);
  };
  walk(schema, '');
  return found;
}

function schemaLocaleProblems(where: string, texts: unknown, schema: JsonSchema | undefined): string[] {
  if (!isPlainObject(texts)) return [`${where} must be an object of JSON pointer → texts`];
  if (!schema) return [`${where}: there is no schema to translate`];
  const problems: string[] = [];
  for (const [pointer, entry] of Object.entries(texts)) {
    const at = `${where}["${pointer}"]`;
    const target = resolveSchemaPointer(schema, pointer);
    if (!target) {
      problems.push(`${at}: the pointer does not address an object in the schema`);
      continue;
    }
    if (!isPlainObject(entry)) {
      problems.push(`${at} must be an object`);
      continue;
    }
    for (const k of Object.keys(entry)) if (!TEXT_KEYS.includes(k)) problems.push(`${at}: unknown key "${k}" (${TEXT_KEYS.join(', ')})`);
    for (const k of ['title', 'description', 'placeholder'] as const) {
      if (entry[k] !== undefined && (typeof entry[k] !== 'string' || !entry[k].trim())) problems.push(`${at}.${k} must be a non-empty string`);
    }
    if (entry.enumNames !== undefined) {
      const values = target.enum;
      if (!Array.isArray(values)) problems.push(`${at}.enumNames: the schema there has no enum`);
      else if (!Array.isArray(entry.enumNames) || !entry.enumNames.every((n) => typeof n === 'string' && n.trim())) problems.push(`${at}.enumNames must be an array of non-empty strings`);
      else if (entry.enumNames.length !== values.length) problems.push(`${at}.enumNames has ${entry.enumNames.length} labels for ${values.length} enum values`);
    }
  }
  return problems;
}

function textProblems(where: string, locale: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const k of ['title', 'description'] as const) {
    if (locale[k] !== undefined && (typeof locale[k] !== 'string' || !locale[k].trim())) problems.push(`${where}.${k} must be a non-empty string`);
  }
  return problems;
}

function eachLocale(locales: unknown, visit: (where: string, locale: Record<string, unknown>) => string[]): string[] {
  if (locales === undefined) return [];
  if (!isPlainObject(locales)) return ['locales must be an object keyed by language'];
  const problems: string[] = [];
  for (const [tag, locale] of Object.entries(locales)) {
    const where = `locales["${tag}"]`;
    if (!(LOCALE_TAGS as readonly string[]).includes(tag)) problems.push(`${where}: unknown language (${LOCALE_TAGS.join(', ')})`);
    else if (!isPlainObject(locale)) problems.push(`${where} must be an object`);
    else problems.push(...visit(where, locale));
  }
  return problems;
}

/** What is wrong with a node's `locales`: pointers that miss the configSchema, enum labels that do not match, unknown ports. */
export function nodeLocaleProblems(def: NodeDefinition): string[] {
  return eachLocale(def.locales, (where, locale) => {
    const problems = textProblems(where, locale);
    for (const k of Object.keys(locale)) if (!['title', 'description', 'ports', 'config'].includes(k)) problems.push(`${where}: unknown key "${k}"`);
    if (locale.ports !== undefined) {
      if (!isPlainObject(locale.ports)) problems.push(`${where}.ports must be an object of port name → label`);
      else {
        // Config-dependent outputs (branches) cannot be listed; their names still have to be port names.
        const declared = typeof def.outputs === 'function' ? undefined : new Set([...(def.inputs ?? (def.trigger ? [] : ['in'])), ...(def.outputs ?? ['out']), 'error']);
        for (const [name, label] of Object.entries(locale.ports)) {
          if (declared ? !declared.has(name) : !port.test(name)) problems.push(`${where}.ports: "${name}" is not a port of this node`);
          if (typeof label !== 'string' || !label.trim()) problems.push(`${where}.ports["${name}"] must be a non-empty string`);
        }
      }
    }
    if (locale.config !== undefined) problems.push(...schemaLocaleProblems(`${where}.config`, locale.config, def.configSchema));
    return problems;
  });
}

/** What is wrong with a connector's own `locales` (its nodes are checked on their own). */
export function connectorLocaleProblems(def: Pick<ConnectorDefinition, 'auth' | 'locales'>): string[] {
  return eachLocale(def.locales, (where, locale) => {
    const problems = textProblems(where, locale);
    for (const k of Object.keys(locale)) if (!['title', 'description', 'auth'].includes(k)) problems.push(`${where}: unknown key "${k}"`);
    if (locale.auth !== undefined) problems.push(...schemaLocaleProblems(`${where}.auth`, locale.auth, def.auth));
    return problems;
  });
}

function missingSchemaTexts(schema: JsonSchema | undefined, texts: SchemaLocale | undefined, what: string): string[] {
  if (!schema) return [];
  const missing: string[] = [];
  for (const [pointer, sub] of labelledSchemas(schema)) {
    for (const k of ['title', 'description'] as const) {
      if (typeof sub[k] === 'string' && !texts?.[pointer]?.[k]) missing.push(`${what}${pointer || '/'} ${k}`);
    }
  }
  return missing;
}

/**
 * The English texts a node has no translation for in `tag`: its title, description, and the
 * title and description of every labelled field of its configSchema. Empty when fully translated.
 */
export function missingNodeTexts(def: NodeDefinition, tag: LocaleTag): string[] {
  const locale = def.locales?.[tag];
  const missing = (['title', 'description'] as const).filter((k) => !locale?.[k]).map(String);
  return [...missing, ...missingSchemaTexts(def.configSchema, locale?.config, 'config')];
}

/** The same for a connector: title, description, and, with `auth: true`, its connection schema's fields. */
export function missingConnectorTexts(def: ConnectorDefinition, tag: LocaleTag, options: { auth?: boolean } = {}): string[] {
  const locale = def.locales?.[tag];
  const missing = (['title', 'description'] as const).filter((k) => !locale?.[k]).map(String);
  return options.auth ? [...missing, ...missingSchemaTexts(def.auth, locale?.auth, 'auth')] : missing;
}
