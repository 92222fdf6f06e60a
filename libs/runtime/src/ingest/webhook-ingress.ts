import { compileNodeConfig, MAX_JSON_DEPTH, PayloadError, tooDeep, type Logger, type NodeRegistry, type TriggerContext, type WebhookRequest, type WebhookResponse, type WebhookTrigger } from '@tributary/engine';
import { defaultDecode } from '@tributary/node-sdk';
import { AppError, notFound } from '../errors.js';
import type { FlowService } from '../flows/flow.service.js';
import type { ConnectionService } from '../connections/connection.service.js';
import type { RunStore } from '../runs/run.store.js';
import type { RunEnqueuer } from '../queue/run-enqueuer.js';

export interface IngressDeps {
  flows: FlowService;
  registry: NodeRegistry;
  connections: ConnectionService;
  runs: RunStore;
  enqueuer: RunEnqueuer;
  log: Logger;
  now?: () => Date;
}

/**
 * The webhook path: handshake → verify on the raw bytes → decode → store (commit)
 * → answer → enqueue. Nothing is acknowledged before it is durably stored.
 */
export class WebhookIngress {
  private readonly configs = new Map<string, Record<string, unknown>>();
  private readonly now: () => Date;

  constructor(private readonly deps: IngressDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async handle(flowId: string, nodeId: string, req: WebhookRequest): Promise<WebhookResponse> {
    const { flows, registry } = this.deps;
    const version = await flows.publishedVersion(flowId);
    if (version === null) throw notFound('flow', flowId);
    const doc = await flows.getVersion(flowId, version);
    const node = doc.nodes.find((n) => n.id === nodeId);
    if (!node) throw new AppError(404, 'not_found', `flow ${flowId} has no node ${nodeId}`, { flowId, nodeId });
    const def = registry.get(node.type, node.version);
    const trigger = def?.trigger;
    if (!def || !trigger || trigger.kind !== 'webhook' || node.disabled) {
      throw new AppError(404, 'not_found', `node ${nodeId} of flow ${flowId} is not a webhook trigger`, { flowId, nodeId });
    }
    const wh = trigger as WebhookTrigger;
    const methods = (wh.methods ?? ['POST']).map((m) => m.toUpperCase());
    const cfgKey = `${flowId}@${version}:${nodeId}`;
    let config: Record<string, unknown> | undefined = this.configs.get(cfgKey);
    if (!config) {
      config = compileNodeConfig<Record<string, unknown>>(def, node.config);
      this.configs.set(cfgKey, config);
    }
    const connectionId = typeof config.connection === 'string' ? config.connection : undefined;
    const secrets = connectionId ? await this.deps.connections.secretsFor(connectionId) : undefined;
    const ctx: TriggerContext = {
      config,
      secrets,
      node: { id: node.id, type: node.type, version: node.version },
      flow: { id: flowId, version, name: doc.name },
      log: this.deps.log,
      now: this.now,
    };

    if (wh.handshake) {
      const answer = await wh.handshake(req, ctx);
      if (answer) return answer;
    }
    if (!methods.includes(req.method.toUpperCase())) {
      throw new AppError(405, 'method_not_allowed', `${req.method} is not accepted here; use ${methods.join(' or ')}`, { allowed: methods });
    }
    const verdict = await wh.verify(req, ctx);
    if (!verdict.ok) throw new AppError(verdict.status ?? 401, 'unauthorized', verdict.reason);

    let payload: unknown;
    let events;
    let accepted;
    try {
      payload = wh.decode ? await wh.decode(req, ctx) : defaultDecode(req);
      // JSON nested deeper than any step handles (parsers take any depth, a connector's map may
      // recurse): refused before map sees it and after, not a 500 the sender retries forever.
      const tooDeepBody = () => new PayloadError(`the body nests deeper than ${MAX_JSON_DEPTH} levels`);
      if (tooDeep(payload) !== undefined) throw tooDeepBody();
      events = await wh.map(payload, req, ctx);
      for (const e of events) if (tooDeep(e.items) !== undefined) throw tooDeepBody();
      // Text Postgres cannot hold (NUL, half a character) is cleaned as it is stored (storableJson).
      accepted = await this.deps.runs.acceptMany(
        events.map((e) => ({ flowId, flowVersion: version, triggerNode: nodeId, triggerKind: 'webhook' as const, dedupeKey: e.dedupeKey, items: e.items })),
      );
    } catch (err) {
      if (err instanceof PayloadError) throw new AppError(400, 'malformed_body', err.message, err.details);
      throw err;
    }
    for (const a of accepted) if (!a.duplicate) void this.deps.enqueuer.enqueue(a.runId, a.jobId);
    const result = { runIds: accepted.map((a) => a.runId), duplicates: accepted.filter((a) => a.duplicate).length };
    if (wh.respond) return wh.respond(result, ctx);
    return { status: 202, body: { accepted: accepted.length - result.duplicates, duplicates: result.duplicates, runIds: result.runIds } };
  }

  /** Forget cached configs of a flow (on publish). */
  invalidate(flowId: string): void {
    for (const k of this.configs.keys()) if (k.startsWith(`${flowId}@`)) this.configs.delete(k);
  }
}
