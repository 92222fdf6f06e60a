import type { Item, PortItems, StepRecord } from '@tributary/engine';

export type RunStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
export type TriggerKind = 'webhook' | 'manual' | 'schedule' | 'poll';

/** A delivery or trigger event about to become a run. */
export interface NewRun {
  flowId: string;
  flowVersion: number;
  triggerNode: string;
  triggerKind: TriggerKind;
  /** The vendor's event id; absent means "always a new run". */
  dedupeKey?: string;
  items: Item[];
}

export interface AcceptedRun {
  runId: string;
  jobId: string;
  /** True when a run for this dedupe key already existed: nothing new was stored. */
  duplicate: boolean;
}

/** What the worker needs to (re)start a run. */
export interface LoadedRun {
  id: string;
  flowId: string;
  flowVersion: number;
  triggerNode: string;
  status: RunStatus;
  input: Item[] | null;
  jobId: string;
  retries: number;
  checkpoints: Map<string, StepRecord>;
}

export interface RunStepView {
  nodeId: string;
  status: string;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  input: Item[] | null;
  output: PortItems | null;
  error: unknown;
  /** A waiting step (core.delay): when the run goes on. */
  resumeAt: string | null;
}

export interface RunView {
  id: string;
  flowId: string;
  flowVersion: number;
  status: RunStatus;
  trigger: { nodeId: string; kind: string; dedupeKey: string; items: Item[] | null };
  error: unknown;
  retries: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** A waiting run: when it goes on. */
  resumeAt: string | null;
  steps: RunStepView[];
}

export type RunSummary = Omit<RunView, 'steps' | 'trigger'> & { trigger: { nodeId: string; kind: string } };
