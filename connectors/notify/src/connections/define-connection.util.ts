import { connectorLocaleProblems, createAjv, type ConnectorDefinition } from '@tributary/node-sdk';

// The runtime finds a connection's check() by its type (`smtp`, `wecom_app`, `sms`) among the
// catalogue's connectors, and the editor renders the connection form from that connector's auth
// schema. These connection types serve nodes named `notify.*`, so they are connectors without
// nodes of their own, which defineConnector does not accept; this is its check for them.

const ajv = createAjv();

export type ConnectionDefinition = Omit<ConnectorDefinition, 'nodes' | 'auth' | 'check'> & {
  auth: NonNullable<ConnectorDefinition['auth']>;
  check: NonNullable<ConnectorDefinition['check']>;
};

export function defineConnection(def: ConnectionDefinition): ConnectorDefinition {
  const problems: string[] = [];
  if (!/^[a-z0-9_-]+$/.test(def.id)) problems.push(`id "${def.id}" must match /^[a-z0-9_-]+$/`);
  if (!def.title?.trim()) problems.push('title is required');
  if (!def.description?.trim()) problems.push('description is required');
  try {
    ajv.compile(def.auth);
  } catch (err) {
    problems.push(`auth schema does not compile: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof def.check !== 'function') problems.push('check must be a function');
  problems.push(...connectorLocaleProblems(def));
  if (problems.length) throw new Error(`invalid connection type ${def.id}:\n  - ${problems.join('\n  - ')}`);
  return Object.freeze({ ...def, nodes: Object.freeze([]) as unknown as ConnectorDefinition['nodes'] });
}
