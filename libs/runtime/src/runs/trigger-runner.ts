import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { compileNodeConfig, type HttpClient, type Item, type Logger, type NodeRegistry, type PollTrigger, type TriggerContext } from '@tributary/engine';
import type { FlowService } from '../flows/flow.service.js';
import type { ConnectionService } from '../connections/connection.service.js';
import type { RunStore } from './run.store.js';
import type { RunEnqueuer } from '../queue/run-enqueuer.js';
import type { TriggerJobData } from '../queue/queue.config.js';
import { sql } from '../db/sql.js';

export interface TriggerRunnerDeps {
  ds: DataSource;
  flows: FlowService;
  registry: NodeRegistry;
  connections: ConnectionService;
  runs: RunStore;
  enqueuer: RunEnqueuer;
  http: HttpClient;
  log: Logger;
  now?: () => Date;
}

/** Turns schedule ticks and polls into runs. */
export class TriggerRunner {
  private readonly now: () => Date;
  constructor(private readonly deps: TriggerRunnerDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** `tickId` is unique per tick (the scheduler job's id): a tick delivered twice makes one run. */
  async handle(data: TriggerJobData, tickId: string, signal: AbortSignal): Promise<{ runs: number }> {
    const version = await this.deps.flows.publishedVersion(data.flowId);
    if (version === null) return { runs: 0 }; // unpublished since the tick was scheduled
    const doc = await this.deps.flows.getVersion(data.flowId, version);
    const node = doc.nodes.find((n) => n.id === data.nodeId);
    if (!node || node.disabled) return { runs: 0 };
    const def = this.deps.registry.get(node.type, node.version);
    if (!def?.trigger) return { runs: 0 };
    const config = compileNodeConfig(def, node.config);

    if (data.kind === 'schedule') {
      const firedAt = this.now().toISOString();
      const items: Item[] = Array.isArray(config.items) && config.items.length ? (config.items as Item[]) : [{ firedAt }];
      const accepted = await this.deps.runs.accept({
        flowId: data.flowId,
        flowVersion: version,
        triggerNode: node.id,
        triggerKind: 'schedule',
        dedupeKey: `tick:${tickId}`,
        items,
      });
      if (!accepted.duplicate) await this.deps.enqueuer.enqueue(accepted.runId, accepted.jobId);
      return { runs: accepted.duplicate ? 0 : 1 };
    }

    const trigger = def.trigger as PollTrigger;
    const connectionId = typeof config.connection === 'string' ? config.connection : undefined;
    const secrets = connectionId ? await this.deps.connections.secretsFor(connectionId) : undefined;
    const ctx: TriggerContext = { config, secrets, node: { id: node.id, type: node.type, version: node.version }, flow: { id: data.flowId, version, name: doc.name }, log: this.deps.log, now: this.now };
    // The cursor belongs to the flow and node, not to a version: republishing keeps it.
    const state: { cursor: unknown }[] = await sql(this.deps.ds, `SELECT cursor FROM trigger_state WHERE flow_id = $1 AND node_id = $2`, [data.flowId, node.id]);
    let cursor = state[0]?.cursor ?? trigger.initialCursor(ctx);
    let total = 0;
    for (let page = 0; page < 100 && !signal.aborted; page++) {
      let result;
      try {
        result = await trigger.poll({ ...ctx, http: this.deps.http, signal }, cursor);
      } catch (err) {
        await sql(this.deps.ds,
          `INSERT INTO trigger_state (flow_id, node_id, cursor, last_polled_at, last_error) VALUES ($1, $2, $3, now(), $4)
           ON CONFLICT (flow_id, node_id) DO UPDATE SET last_polled_at = now(), last_error = excluded.last_error, updated_at = now()`,
          [data.flowId, node.id, JSON.stringify(cursor), JSON.stringify({ message: err instanceof Error ? err.message : String(err), at: this.now().toISOString() })],
        );
        throw err;
      }
      // Runs and the new cursor commit together: a crash leaves either both or neither.
      const accepted = await this.deps.ds.transaction(async (m) => {
        const ids: { runId: string; jobId: string }[] = [];
        for (const e of result.events) {
          const id = randomUUID();
          const rows: { id: string }[] = await sql(m,
            `INSERT INTO runs (id, flow_id, flow_version, trigger_node, trigger_kind, dedupe_key, job_id, status, input)
             VALUES ($1::uuid, $2, $3, $4, 'poll', $5, $1::text, 'queued', $6)
             ON CONFLICT (flow_id, trigger_node, dedupe_key) DO NOTHING RETURNING id`,
            [id, data.flowId, version, node.id, e.dedupeKey ?? `run:${id}`, JSON.stringify(e.items)],
          );
          if (rows.length) ids.push({ runId: id, jobId: id });
        }
        await sql(m,
          `INSERT INTO trigger_state (flow_id, node_id, cursor, last_polled_at, last_error) VALUES ($1, $2, $3, now(), NULL)
           ON CONFLICT (flow_id, node_id) DO UPDATE SET cursor = excluded.cursor, last_polled_at = now(), last_error = NULL, updated_at = now()`,
          [data.flowId, node.id, JSON.stringify(result.next)],
        );
        return ids;
      });
      for (const a of accepted) await this.deps.enqueuer.enqueue(a.runId, a.jobId);
      total += accepted.length;
      cursor = result.next;
      if (!result.hasMore) break;
    }
    return { runs: total };
  }
}
