// Which connections a node can use and how the form for a new one looks. GET /api/connections
// returns names and the *names* of the secrets only; values never come back.
import type { UiSchema } from '@rjsf/utils';
import type { ConnectionSummary } from '@tributary/runtime';
import type { ConnectorSpec, NodeSpec } from '../catalog.types.js';

export type { ConnectionSummary };

/**
 * The connection type a node's `config.connection` takes: the value of the config field the node names
 * (`connection.typeField`: ads.convert's `platform`), else its declared `connection.type`, else the node
 * id itself (core.webhook keeps its `secret`/`token` in a `core.webhook` connection).
 */
export function connectionTypeOf(spec: Pick<NodeSpec, 'id' | 'connection'>, config: Record<string, unknown> = {}): string {
  const chosen = spec.connection?.typeField ? config[spec.connection.typeField] : undefined;
  if (typeof chosen === 'string' && chosen) return chosen;
  return spec.connection?.type ?? spec.id;
}

/** The connector part of a connection type (`core.webhook` → `core`): whose check() and auth schema apply. */
export const connectorOf = (type: string): string => type.split('.')[0]!;

/** Connections of `type`, or typed by a node of that connector (`forms.webhook` for `forms`); by name. */
export function connectionsFor(type: string, all: ConnectionSummary[]): ConnectionSummary[] {
  return all.filter((c) => c.type === type || connectorOf(c.type) === type).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** The catalogue entry whose `auth` schema describes connections of `type` (the type itself, else its connector). */
export function connectorFor(type: string, connectors: ConnectorSpec[]): ConnectorSpec | undefined {
  return connectors.find((c) => c.id === type && c.auth) ?? connectors.find((c) => c.id === connectorOf(type) && c.auth);
}

/** A connector without a schema of its secrets still gets a form: secret names and values. */
export const FREEFORM_SECRETS_SCHEMA: Record<string, unknown> = { type: 'object', additionalProperties: { type: 'string', minLength: 1 } };

// Auth schemas do not mark which fields are secret; these names are (and JSON Schema's writeOnly).
const SECRET_NAME = /secret|token|password|passwd|key$/i;

/** Secret-looking fields are typed as passwords, so what is entered is not on screen. */
export function secretsUiSchema(schema: Record<string, unknown>): UiSchema {
  const ui: UiSchema = {};
  const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const [key, prop] of Object.entries(props)) {
    if (prop?.type === 'string' && !Array.isArray(prop.enum) && (prop.writeOnly === true || SECRET_NAME.test(key))) {
      ui[key] = { 'ui:widget': 'password', 'ui:autocomplete': 'new-password' };
    }
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object' && !schema.properties) {
    ui.additionalProperties = { 'ui:widget': 'password', 'ui:autocomplete': 'new-password' };
  }
  return ui;
}

/** The form's data as the API takes secrets: strings only, empty fields left out. */
export function secretsOf(formData: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!formData || typeof formData !== 'object') return out;
  for (const [k, v] of Object.entries(formData)) if (typeof v === 'string' && v !== '') out[k] = v;
  return out;
}
