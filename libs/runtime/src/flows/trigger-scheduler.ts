import type { Queue } from 'bullmq';
import type { FlowDocument, Logger, NodeRegistry, PollTrigger } from '@tributary/engine';
import { TRIGGERS_QUEUE, type TriggerJobData } from '../queue/queue.config.js';

const schedulerId = (flowId: string, nodeId: string) => `trigger~${flowId}~${nodeId}`;

/**
 * Cron schedules and poll intervals of published flows, as BullMQ job schedulers:
 * they live in the queue's datastore (surviving restarts), and each tick is one
 * job with a deterministic id, so several workers never double-fire.
 */
export class TriggerScheduler {
  constructor(private readonly queue: Queue, private readonly registry: NodeRegistry, private readonly log: Logger) {}

  /** Makes the queue's schedulers for this flow match `doc` (null: remove them all). */
  async sync(flowId: string, doc: FlowDocument | null): Promise<void> {
    const wanted = new Map<string, { data: TriggerJobData; repeat: { pattern?: string; tz?: string; every?: number } }>();
    for (const node of doc?.nodes ?? []) {
      if (node.disabled) continue;
      const def = this.registry.get(node.type, node.version);
      const kind = def?.trigger?.kind;
      if (kind === 'schedule') {
        const cron = String(node.config.cron ?? '');
        const tz = typeof node.config.timezone === 'string' ? node.config.timezone : 'UTC';
        wanted.set(schedulerId(flowId, node.id), { data: { kind: 'schedule', flowId, nodeId: node.id }, repeat: { pattern: cron, tz } });
      } else if (kind === 'poll') {
        const seconds = Number(node.config.intervalSeconds ?? (def!.trigger as PollTrigger).intervalSeconds);
        wanted.set(schedulerId(flowId, node.id), { data: { kind: 'poll', flowId, nodeId: node.id }, repeat: { every: Math.max(5, seconds) * 1000 } });
      }
    }
    const prefix = schedulerId(flowId, '');
    const existing = await this.queue.getJobSchedulers(0, -1);
    for (const s of existing) {
      const id = (s as { key?: string; id?: string }).key ?? (s as { id?: string }).id;
      if (id && id.startsWith(prefix) && !wanted.has(id)) await this.queue.removeJobScheduler(id);
    }
    for (const [id, w] of wanted) {
      await this.queue.upsertJobScheduler(id, w.repeat, { name: w.data.kind, data: w.data, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } });
    }
    if (wanted.size) this.log.info('triggers scheduled', { flowId, schedulers: [...wanted.keys()] });
  }

  /**
   * One poll of a poll trigger now, besides its schedule (an operator's "poll now", or right after a
   * backfill). Polls of one trigger are safe to overlap: runs are deduplicated by the vendor's ids.
   */
  async pollNow(flowId: string, nodeId: string): Promise<string> {
    const data: TriggerJobData = { kind: 'poll', flowId, nodeId };
    const job = await this.queue.add('poll', data, { jobId: `poll-now~${flowId}~${nodeId}~${Date.now()}`, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } });
    return String(job.id);
  }

  /** Re-creates the schedulers of every published flow (boot, after a queue datastore was lost). */
  async reconcile(published: { id: string; document: FlowDocument }[]): Promise<void> {
    for (const f of published) await this.sync(f.id, f.document);
  }

  static queueName = TRIGGERS_QUEUE;
}
