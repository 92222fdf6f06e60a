import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { compileNodeConfig, storableJson, type FlowDocument, type FlowNode, type HttpClient, type Item, type Logger, type NodeRegistry, type PollTrigger, type SharedCache, type TriggerContext } from '@tributary/engine';
import { AppError } from '../errors.js';
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
  cache: SharedCache;
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
    // One poll of a trigger at a time across all workers: overlapping polls (a schedule tick and a
    // "poll now") would read the same pages twice and race on the cursor and the backoff.
    const lockKey = `poll-lock:${data.flowId}:${node.id}`;
    if (!(await this.deps.cache.setIfAbsent(lockKey, tickId, 600))) return { runs: 0 };
    try {
      return await this.pollLocked(data, signal, node, version, doc, config, trigger);
    } finally {
      await this.deps.cache.delete(lockKey).catch(() => undefined);
    }
  }

  private async pollLocked(
    data: TriggerJobData,
    signal: AbortSignal,
    node: FlowNode,
    version: number,
    doc: FlowDocument,
    config: Record<string, unknown>,
    trigger: PollTrigger,
  ): Promise<{ runs: number }> {
    const connectionId = typeof config.connection === 'string' ? config.connection : undefined;
    const secrets = connectionId ? await this.deps.connections.secretsFor(connectionId) : undefined;
    const ctx: TriggerContext = { config, secrets, node: { id: node.id, type: node.type, version: node.version }, flow: { id: data.flowId, version, name: doc.name }, log: this.deps.log, now: this.now };
    // The cursor belongs to the flow and node, not to a version: republishing keeps it.
    const state: { cursor: unknown; consecutive_errors: number; next_poll_at: Date | null }[] = await sql(this.deps.ds,
      `SELECT cursor, consecutive_errors, next_poll_at FROM trigger_state WHERE flow_id = $1 AND node_id = $2`, [data.flowId, node.id]);
    // Backing off after vendor errors or a 429: ticks before next_poll_at do nothing.
    const notBefore = state[0]?.next_poll_at;
    if (notBefore && notBefore.getTime() > this.now().getTime()) return { runs: 0 };
    let cursor = state[0]?.cursor ?? trigger.initialCursor(ctx);
    let total = 0;
    for (let page = 0; page < 100 && !signal.aborted; page++) {
      let result;
      try {
        result = await trigger.poll({ ...ctx, http: this.deps.http, cache: this.deps.cache, signal }, cursor);
      } catch (err) {
        const errors = (state[0]?.consecutive_errors ?? 0) + 1;
        const delayMs = pollBackoffMs(err, errors, intervalMsOf(trigger, config));
        const message = err instanceof Error ? err.message : String(err);
        await sql(this.deps.ds,
          `INSERT INTO trigger_state (flow_id, node_id, cursor, last_polled_at, last_error, consecutive_errors, next_poll_at)
           VALUES ($1, $2, $3, now(), $4, 1, $5)
           ON CONFLICT (flow_id, node_id) DO UPDATE SET last_polled_at = now(), last_error = excluded.last_error,
             consecutive_errors = trigger_state.consecutive_errors + 1, next_poll_at = excluded.next_poll_at, updated_at = now()`,
          [data.flowId, node.id, storableJson(cursor), storableJson({ message, at: this.now().toISOString(), retryInMs: delayMs }), new Date(this.now().getTime() + delayMs)],
        );
        this.deps.log.warn('poll failed; backing off', { flowId: data.flowId, nodeId: node.id, consecutiveErrors: errors, delayMs, error: message });
        return { runs: total };
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
            [id, data.flowId, version, node.id, e.dedupeKey ?? `run:${id}`, storableJson(e.items)],
          );
          if (rows.length) ids.push({ runId: id, jobId: id });
        }
        await sql(m,
          `INSERT INTO trigger_state (flow_id, node_id, cursor, last_polled_at, last_error) VALUES ($1, $2, $3, now(), NULL)
           ON CONFLICT (flow_id, node_id) DO UPDATE SET cursor = excluded.cursor, last_polled_at = now(), last_error = NULL,
             consecutive_errors = 0, next_poll_at = NULL, updated_at = now()`,
          [data.flowId, node.id, storableJson(result.next)],
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

function intervalMsOf(trigger: PollTrigger, config: Record<string, unknown>): number {
  const s = typeof config.intervalSeconds === 'number' ? config.intervalSeconds : trigger.intervalSeconds;
  return s * 1000;
}

/**
 * How long a poll trigger rests after a failure: the vendor's Retry-After when it sent one,
 * otherwise the interval doubled per consecutive failure, at most one hour (plus the interval).
 */
export function pollBackoffMs(err: unknown, consecutiveErrors: number, intervalMs: number): number {
  const after = (err as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  if (typeof after === 'number' && after >= 0) return Math.min(after, 24 * 3600_000);
  return Math.min(intervalMs * 2 ** Math.min(consecutiveErrors - 1, 16), 3600_000);
}

export interface PollTriggerState {
  flowId: string;
  nodeId: string;
  cursor: unknown;
  lastPolledAt: string | null;
  lastError: unknown;
  consecutiveErrors: number;
  nextPollAt: string | null;
}

/** Reads and resets the stored state of poll triggers (the API's trigger endpoints). */
export class PollStateService {
  constructor(
    private readonly deps: Pick<TriggerRunnerDeps, 'ds' | 'flows' | 'registry' | 'log'> & { now?: () => Date },
  ) {}

  async get(flowId: string, nodeId: string): Promise<PollTriggerState> {
    const rows: { cursor: unknown; last_polled_at: Date | null; last_error: unknown; consecutive_errors: number; next_poll_at: Date | null }[] = await sql(this.deps.ds,
      `SELECT cursor, last_polled_at, last_error, consecutive_errors, next_poll_at FROM trigger_state WHERE flow_id = $1 AND node_id = $2`, [flowId, nodeId]);
    const r = rows[0];
    return {
      flowId,
      nodeId,
      cursor: r?.cursor ?? null,
      lastPolledAt: r?.last_polled_at?.toISOString() ?? null,
      lastError: r?.last_error ?? null,
      consecutiveErrors: r?.consecutive_errors ?? 0,
      nextPollAt: r?.next_poll_at?.toISOString() ?? null,
    };
  }

  /**
   * Makes the next poll start again from `from`: the trigger's backfillCursor(from) replaces the
   * cursor and any backoff is lifted. Runs already made are not repeated (their dedupe keys stay).
   */
  async backfill(flowId: string, nodeId: string, from: Date): Promise<PollTriggerState> {
    const { trigger, ctx } = await this.pollTrigger(flowId, nodeId);
    if (!trigger.backfillCursor) throw new AppError(409, 'backfill_unsupported', `${ctx.node.type} cannot backfill from a point in time`);
    if (from.getTime() > (this.deps.now?.() ?? new Date()).getTime()) throw new AppError(400, 'invalid_request', 'from must not be in the future');
    const cursor = trigger.backfillCursor(from, ctx);
    await sql(this.deps.ds,
      `INSERT INTO trigger_state (flow_id, node_id, cursor, consecutive_errors, next_poll_at) VALUES ($1, $2, $3, 0, NULL)
       ON CONFLICT (flow_id, node_id) DO UPDATE SET cursor = excluded.cursor, consecutive_errors = 0, next_poll_at = NULL, updated_at = now()`,
      [flowId, nodeId, storableJson(cursor)],
    );
    this.deps.log.info('poll trigger backfill requested', { flowId, nodeId, from: from.toISOString() });
    return this.get(flowId, nodeId);
  }

  /** 404/409 unless the published flow has a poll trigger with this id. */
  async requirePollTrigger(flowId: string, nodeId: string): Promise<void> {
    await this.pollTrigger(flowId, nodeId);
  }

  private async pollTrigger(flowId: string, nodeId: string): Promise<{ trigger: PollTrigger; ctx: TriggerContext }> {
    const version = await this.deps.flows.publishedVersion(flowId);
    if (version === null) throw new AppError(409, 'flow_not_published', `flow ${flowId} has no published version`);
    const doc = await this.deps.flows.getVersion(flowId, version);
    const node = doc.nodes.find((n) => n.id === nodeId);
    if (!node) throw new AppError(404, 'not_found', `flow ${flowId} has no node ${nodeId}`);
    const def = this.deps.registry.get(node.type, node.version);
    if (def?.trigger?.kind !== 'poll') throw new AppError(409, 'not_a_poll_trigger', `node ${nodeId} (${node.type}) is not a poll trigger`);
    const config = compileNodeConfig(def, node.config);
    return {
      trigger: def.trigger as PollTrigger,
      ctx: { config, node: { id: node.id, type: node.type, version: node.version }, flow: { id: flowId, version, name: doc.name }, log: this.deps.log, now: this.deps.now ?? (() => new Date()) },
    };
  }
}
