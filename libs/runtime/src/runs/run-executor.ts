import {
  executeFlow,
  resolveRetryPolicy,
  retryDelayMs,
  type FlowNode,
  type Logger,
  type NodeRegistry,
  type StepRecord,
} from '@tributary/engine';
import type { FlowService } from '../flows/flow.service.js';
import type { ConnectionService } from '../connections/connection.service.js';
import type { RunStore } from './run.store.js';
import type { FlowSlots } from './flow-slots.js';
import { createRedactor } from '../secrets/redact-secrets.util.js';
import { AppError } from '../errors.js';
import { connectionSecretsOf, nodeContextFor, type NodePorts } from './node-context.js';

export type RunOutcome =
  | { kind: 'finished'; status: 'succeeded' | 'failed' | 'cancelled' }
  /** A step failed and has attempts left: run the job again after the delay (finished steps are kept). */
  | { kind: 'retry-later'; delayMs: number; nodeId: string }
  /** The flow's concurrency limit is reached: try again after the delay. */
  | { kind: 'throttled'; delayMs: number }
  /** A step paused the run (core.delay): continue it after the delay; no worker waits meanwhile. */
  | { kind: 'waiting'; delayMs: number; resumeAt: string }
  | { kind: 'skipped'; reason: string };

/** What the executor needs besides the ports it hands every node (NodePorts). */
export interface RunExecutorDeps extends NodePorts {
  runs: RunStore;
  flows: FlowService;
  registry: NodeRegistry;
  connections: ConnectionService;
  slots: FlowSlots;
  log: Logger;
  now?: () => Date;
  /** Told of every step this process ran (the worker's metrics). */
  observer?: StepObserver;
}

export interface StepObserver {
  /** A step ran to an end here (not one reused from a checkpoint, nor a pause that ended). */
  stepFinished(step: { nodeType: string; status: StepRecord['status']; seconds: number; attempt: number }): void;
}

/** The engine's backoff with ±20 % jitter, so retries of many runs do not arrive together. */
export function jitter(delayMs: number, random = Math.random): number {
  return Math.round(delayMs * (0.8 + 0.4 * random()));
}

/**
 * Executes one run from its checkpoints: loads the run, skips the steps that
 * already finished, checkpoints every step it runs, and decides what happens
 * after a failed step. Knows nothing of the queue; the processor maps outcomes
 * to queue actions.
 */
export class RunExecutor {
  private readonly active = new Map<string, AbortController>();
  private readonly now: () => Date;

  constructor(private readonly deps: RunExecutorDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Run ids executing in this process (for cancellation checks and shutdown). */
  activeRunIds(): string[] {
    return [...this.active.keys()];
  }

  abort(runId: string): void {
    this.active.get(runId)?.abort(new Error('run cancelled'));
  }

  async execute(runId: string): Promise<RunOutcome> {
    const { runs, flows, registry, log } = this.deps;
    // At-least-once delivery of jobs: a run that finished already or was cancelled is not claimed.
    const run = await runs.claim(runId);
    if (!run) return { kind: 'skipped', reason: 'run not found, finished or cancelled' };
    const flow = await flows.getVersion(run.flowId, run.flowVersion);
    const limit = flow.settings?.concurrency;
    if (limit && !(await this.deps.slots.acquire(run.flowId, run.id, limit))) {
      return { kind: 'throttled', delayMs: 500 + Math.round(Math.random() * 1000) };
    }
    const renew = limit ? setInterval(() => void this.deps.slots.renew(run.flowId, run.id).catch(() => undefined), 10_000) : undefined;
    const controller = new AbortController();
    this.active.set(run.id, controller);
    try {
      let secrets: Map<string, Record<string, string>>;
      try {
        secrets = await connectionSecretsOf(flow, this.deps.connections);
      } catch (err) {
        // A deleted connection will not come back by retrying: fail the run with a named error.
        if (err instanceof AppError && err.status === 404) {
          await runs.finish(run.id, 'failed', { code: 'connection_not_found', message: err.message, retryable: false });
          return { kind: 'finished', status: 'failed' };
        }
        throw err;
      }
      const redact = createRedactor([...secrets.values()]);
      const pending: StepRecord[] = [];
      const result = await executeFlow({
        flow,
        registry,
        triggerNodeId: run.triggerNode,
        triggerItems: run.input ?? [],
        checkpoints: run.checkpoints,
        signal: controller.signal,
        context: nodeContextFor({
          ports: this.deps,
          flow: { id: run.flowId, version: run.flowVersion, name: flow.name },
          runId: run.id,
          secrets,
          log,
          signal: controller.signal,
          now: this.now,
        }),
        onStepFinish: (record: StepRecord, info: { last: boolean }) => {
          const node = flow.nodes.find((n) => n.id === record.nodeId);
          this.observe(node, record, run.checkpoints?.get(record.nodeId));
          // Secrets never reach the run log, even when a node echoes one back.
          pending.push(redact(record));
          // Checkpoints of pure steps wait for the next step with effects (or the end of
          // the run): re-running a pure step after a crash is harmless, and this saves a
          // round trip per step. A step with effects is checkpointed before the next starts.
          const pure = record.status === 'skipped' || (node && registry.get(node.type, node.version)?.pure);
          // The last step's checkpoint is written with the end of the run, in one statement.
          if ((pure || info.last) && record.status !== 'failed') return;
          return runs.saveSteps(run.id, pending.splice(0));
        },
      });

      if (result.status === 'succeeded') {
        await runs.finish(run.id, 'succeeded', undefined, pending.splice(0));
        return { kind: 'finished', status: 'succeeded' };
      }
      if (result.status === 'waiting') {
        const resumeAt = result.resumeAt!;
        if (!(await runs.wait(run.id, resumeAt, pending.splice(0)))) return { kind: 'finished', status: 'cancelled' };
        return { kind: 'waiting', resumeAt, delayMs: Math.max(0, Date.parse(resumeAt) - this.now().getTime()) };
      }
      if (result.status === 'cancelled') {
        await runs.saveSteps(run.id, pending.splice(0));
        return { kind: 'finished', status: 'cancelled' };
      }

      const failed = result.failedStep!;
      const node = flow.nodes.find((n) => n.id === failed.nodeId)!;
      const policy = resolveRetryPolicy(flow, node, registry.get(node.type, node.version));
      // A manual retry of the run gives every step a fresh budget of attempts.
      const budget = policy.maxAttempts * (1 + run.retries);
      if (failed.error?.retryable && failed.attempts < budget) {
        // A vendor's Retry-After (VendorApiError on a 429) is a floor for the backoff.
        const retryAfter = (failed.error.details as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
        const delayMs = Math.max(jitter(retryDelayMs(policy, failed.attempts - policy.maxAttempts * run.retries + 1)), typeof retryAfter === 'number' ? retryAfter : 0);
        log.info('step failed, will retry', { runId: run.id, nodeId: failed.nodeId, attempt: failed.attempts, delayMs, error: failed.error.message });
        return { kind: 'retry-later', delayMs, nodeId: failed.nodeId };
      }
      await runs.finish(run.id, 'failed', {
        code: failed.error?.code ?? 'step_failed',
        message: `step ${failed.nodeId} failed after ${failed.attempts} attempt(s): ${failed.error?.message ?? 'unknown error'}`,
        nodeId: failed.nodeId,
        attempts: failed.attempts,
        retryable: failed.error?.retryable ?? false,
      });
      return { kind: 'finished', status: 'failed' };
    } finally {
      this.active.delete(run.id);
      if (renew) clearInterval(renew);
      if (limit) await this.deps.slots.release(run.flowId, run.id).catch(() => undefined);
    }
  }

  private observe(node: FlowNode | undefined, record: StepRecord, checkpoint: StepRecord | undefined): void {
    const observer = this.deps.observer;
    // A paused step that goes on was not run now: its time is the pause.
    if (!observer || !node || record.status === 'skipped' || checkpoint?.status === 'waiting' || !record.startedAt || !record.finishedAt) return;
    const seconds = Math.max(0, (Date.parse(record.finishedAt) - Date.parse(record.startedAt)) / 1000);
    try {
      observer.stepFinished({ nodeType: node.type, status: record.status, seconds, attempt: record.attempts });
    } catch {
      // Metrics never fail a run.
    }
  }
}
