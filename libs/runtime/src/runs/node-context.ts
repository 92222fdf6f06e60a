import type { CustomerStorePort, ExecuteOptions, ExpressionEvaluator, FlowDocument, HttpClient, Logger, SharedCache } from '@tributary/engine';
import { AppError } from '../errors.js';

// What a run and an editor step test both hand their nodes: the outside world through the host's
// ports, the secrets of the node's connection, and idempotency keys scoped to the run.

export interface NodePorts {
  http: HttpClient;
  cache: SharedCache;
  store: CustomerStorePort;
  expr: ExpressionEvaluator;
}

/** The `context` of executeFlow for one run (`runId`: a run id, or `test:<uuid>` for a step test). */
export function nodeContextFor(opts: {
  ports: NodePorts;
  flow: { id: string; version: number; name: string };
  runId: string;
  secrets: Map<string, Record<string, string>>;
  log: Logger;
  signal: AbortSignal;
  now: () => Date;
}): ExecuteOptions['context'] {
  const { ports, flow, runId, secrets, log, signal, now } = opts;
  return (node, config, attempt) => ({
    node,
    flow,
    runId,
    attempt,
    secrets: typeof config.connection === 'string' ? secrets.get(config.connection) : undefined,
    http: ports.http,
    cache: ports.cache,
    store: ports.store,
    expr: ports.expr,
    log,
    signal,
    now,
    idempotencyKey: (suffix?: string | number) => `${runId}:${node.id}${suffix === undefined ? '' : `:${suffix}`}`,
  });
}

/**
 * The decrypted secrets of every connection the flow's nodes name, by connection id. A connection
 * that does not exist is a 404 AppError naming the node (`details.nodeId`, `details.connection`).
 */
export async function connectionSecretsOf(
  flow: FlowDocument,
  connections: { secretsFor(id: string): Promise<Record<string, string>> },
): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  for (const n of flow.nodes) {
    const id = n.config?.connection;
    if (typeof id !== 'string' || out.has(id)) continue;
    try {
      out.set(id, await connections.secretsFor(id));
    } catch (err) {
      if (err instanceof AppError && err.status === 404) {
        throw new AppError(404, 'connection_not_found', `node "${n.id}" uses connection ${id}, which does not exist`, { nodeId: n.id, connection: id });
      }
      throw err;
    }
  }
  return out;
}
