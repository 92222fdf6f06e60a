import type { FlowDocument } from './flow.types.js';
import type { Item, NodeContext, NodeDefinition, PortItems } from './node.types.js';

export type StepStatus = 'running' | 'succeeded' | 'failed' | 'skipped' | 'waiting';

/** What the host persists per step (the checkpoint). */
export interface StepRecord {
  nodeId: string;
  status: StepStatus;
  attempts: number;
  input: Item[];
  output: PortItems | null;
  error: { code: string; message: string; details?: unknown; retryable: boolean } | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** Position of the step in the run's execution order. */
  seq?: number;
  /** A waiting step (core.delay): when its output goes on to the next nodes (UTC ISO). */
  resumeAt?: string | null;
}

export interface NodeRegistry {
  get(type: string, version: number): NodeDefinition | undefined;
  /** Every version of every node, for the catalogue. */
  list(): NodeDefinition[];
}

export interface ExecuteOptions {
  flow: FlowDocument;
  registry: NodeRegistry;
  /** The trigger node that started the run and the items it produced. */
  triggerNodeId: string;
  triggerItems: Item[];
  /**
   * Steps already finished in an earlier attempt (from the host's checkpoints).
   * Succeeded and skipped steps are not run again; their output is reused.
   */
  checkpoints?: Map<string, StepRecord>;
  /** Builds the context handed to a node (host-provided ports). */
  context(node: { id: string; type: string; version: number }, config: Record<string, unknown>, attempt: number): Omit<NodeContext, 'config'>;
  /** Called before a step runs, and after it finished; the host awaits these (checkpoint writes). */
  onStepStart?(record: StepRecord): Promise<void> | void;
  /** `last`: no step of this run comes after this one (the host may defer its write to the end of the run). */
  onStepFinish?(record: StepRecord, info: { last: boolean }): Promise<void> | void;
  /** Stop before the next step when aborted (cancel). */
  signal?: AbortSignal;
  /** Run only up to (and including) this node: the editor's "test a step". */
  untilNodeId?: string;
  /** The clock for step times (default: the system clock). */
  now?(): Date;
}

export interface ExecuteResult {
  status: 'succeeded' | 'failed' | 'cancelled' | 'waiting';
  /** When status is waiting: the time the run continues (the host schedules it; no worker is held). */
  resumeAt?: string;
  steps: StepRecord[];
  /** The failed step's error when status is failed. */
  failedStep?: StepRecord;
  /**
   * When the failed step may be retried under its retry policy (node, flow settings, node
   * definition): the delay before the next attempt. Absent when the run should stay failed.
   */
  retryDelayMs?: number;
}
