import { ConfigError, ExpressionError, NodeError } from './errors.js';
import type { ExecuteOptions, ExecuteResult, StepRecord } from './executor.types.js';
import { FlowGraph, inputPorts } from './graph.js';
import { compileNodeConfig } from './node-config.js';
import { checkNodeOutput } from './node-output.js';
import type { Item, NodeContext, NodeDefinition, PortItems } from './node.types.js';
import type { FlowDocument, FlowNode } from './flow.types.js';
import { resolveRetryPolicy, retryDelayMs } from './retry-policy.js';
import { isWaitRequest } from './wait.js';

/**
 * Runs a flow from one trigger, node by node in topological order. Each node gets the
 * items sent to it (edge order), runs once, and its output ports feed the next nodes.
 * The first failing step stops the run; the host decides on a retry and calls again
 * with its checkpoints, so finished steps are not run twice.
 */
export async function executeFlow(opts: ExecuteOptions): Promise<ExecuteResult> {
  const { flow, registry } = opts;
  const iso = (): string => (opts.now ? opts.now() : new Date()).toISOString();
  const nowMs = (): number => (opts.now ? opts.now() : new Date()).getTime();
  const plan = planFor(flow);
  const nodes = plan.nodes;
  const trigger = nodes.get(opts.triggerNodeId);
  if (!trigger) throw new Error(`flow ${flow.id ?? flow.name} has no node "${opts.triggerNodeId}"`);

  const graph = plan.graph;
  // Only what this trigger feeds runs; other triggers' branches are not part of this run.
  let scope: Set<string>;
  let order: string[];
  if (opts.untilNodeId !== undefined) {
    scope = graph.reachableFrom([trigger.id]);
    if (!scope.has(opts.untilNodeId)) throw new Error(`node "${opts.untilNodeId}" cannot be reached from trigger "${trigger.id}"`);
    const ancestors = graph.ancestorsOf(opts.untilNodeId);
    scope = new Set([...scope].filter((id) => ancestors.has(id)));
    order = graph.topologicalOrder(scope);
  } else {
    let cached = plan.byTrigger.get(trigger.id);
    if (!cached) {
      const s = graph.reachableFrom([trigger.id]);
      cached = { scope: s, order: graph.topologicalOrder(s) };
      plan.byTrigger.set(trigger.id, cached);
    }
    ({ scope, order } = cached);
  }

  // The channel the run came from, for nodes that record it (customer.upsert's source).
  const startedBy = registry.get(trigger.type, trigger.version)?.trigger ? { nodeId: trigger.id, type: trigger.type } : undefined;
  const outputs = new Map<string, PortItems>();
  const steps: StepRecord[] = [];
  for (const [index, id] of order.entries()) {
    const last = index === order.length - 1;
    if (opts.signal?.aborted) return { status: 'cancelled', steps };
    const node = nodes.get(id)!;
    const checkpoint = opts.checkpoints?.get(id);
    if (checkpoint && (checkpoint.status === 'succeeded' || checkpoint.status === 'skipped')) {
      steps.push(checkpoint);
      if (checkpoint.output) outputs.set(id, checkpoint.output);
      continue;
    }
    if (checkpoint?.status === 'waiting' && checkpoint.resumeAt) {
      // A paused step: too early (a job delivered ahead of time) → still waiting; otherwise its
      // output, computed when it paused, goes on now. It is not run again.
      if (Date.parse(checkpoint.resumeAt) > nowMs()) return { status: 'waiting', resumeAt: checkpoint.resumeAt, steps: [...steps, checkpoint] };
      const record: StepRecord = { ...checkpoint, status: 'succeeded', finishedAt: iso() };
      steps.push(record);
      await opts.onStepFinish?.({ ...record }, { last });
      outputs.set(id, record.output ?? {});
      continue;
    }

    const isTrigger = id === trigger.id;
    const input: Item[] = isTrigger ? opts.triggerItems : [];
    if (!isTrigger) {
      for (const e of graph.in(id)) {
        if (!scope.has(e.from)) continue;
        const sent = outputs.get(e.from)?.[e.fromPort];
        if (sent) input.push(...sent);
      }
    }
    const def = registry.get(node.type, node.version);
    const starved = !isTrigger && input.length === 0 && (!def || inputPorts(def).length > 0);
    if (node.disabled || starved) {
      const at = iso();
      const record: StepRecord = { nodeId: id, status: 'skipped', attempts: 0, input, output: null, error: null, startedAt: at, finishedAt: at, seq: index };
      steps.push(record);
      await opts.onStepFinish?.({ ...record }, { last });
      continue;
    }

    // A `running` checkpoint is an attempt that died with its worker: it counts.
    const attempt = (checkpoint && (checkpoint.status === 'failed' || checkpoint.status === 'running') ? checkpoint.attempts : 0) + 1;
    const record: StepRecord = { nodeId: id, status: 'running', attempts: attempt, input, output: null, error: null, startedAt: iso(), finishedAt: null, seq: index };
    await opts.onStepStart?.({ ...record });
    try {
      if (!def) throw new NodeError('unknown_node_type', `node "${id}": ${node.type} version ${node.version} is not installed`, { retryable: false });
      const config = configFor(def, node);
      const ref = { id, type: node.type, version: node.version };
      const ctx = { ...opts.context(ref, config, attempt), config, ...(startedBy ? { trigger: startedBy } : {}) } as NodeContext;
      let raw: unknown;
      // Nodes get their own copy: a node that edits items in place must not change another node's input.
      if (def.run) raw = await def.run(ctx, structuredClone(input));
      else if (isTrigger) raw = { out: input };
      else throw new NodeError('not_runnable', `${def.id}@${def.version} has no run function`, { retryable: false });
      if (isWaitRequest(raw)) {
        record.output = checkNodeOutput(def, config, raw.output);
        if (raw.until.getTime() > nowMs()) {
          record.status = 'waiting';
          record.resumeAt = raw.until.toISOString();
        } else record.status = 'succeeded';
      } else {
        record.output = checkNodeOutput(def, config, raw);
        record.status = 'succeeded';
      }
    } catch (err) {
      record.status = 'failed';
      record.error = stepErrorOf(err);
    }
    if (record.status !== 'waiting') record.finishedAt = iso();
    steps.push(record);
    if (record.status === 'waiting') {
      // Not the last step: the host writes the waiting checkpoint with the run's new status.
      await opts.onStepFinish?.({ ...record }, { last: false });
      return { status: 'waiting', resumeAt: record.resumeAt!, steps };
    }
    await opts.onStepFinish?.({ ...record }, { last });
    if (record.status === 'failed') {
      if (opts.signal?.aborted) return { status: 'cancelled', steps, failedStep: record };
      const result: ExecuteResult = { status: 'failed', steps, failedStep: record };
      if (record.error?.retryable) {
        const policy = resolveRetryPolicy(flow, node, def);
        if (attempt < policy.maxAttempts) result.retryDelayMs = retryDelayMs(policy, attempt + 1);
      }
      return result;
    }
    outputs.set(id, record.output!);
  }
  return { status: 'succeeded', steps };
}

interface Plan {
  nodes: Map<string, FlowNode>;
  graph: FlowGraph;
  byTrigger: Map<string, { scope: Set<string>; order: string[] }>;
}

// Flow documents are immutable once stored (a save is a new version), so the graph, the
// topological order and each node's validated config are computed once per document
// instead of once per run: this is the per-item hot path.
const plans = new WeakMap<FlowDocument, Plan>();
const configs = new WeakMap<FlowNode, { def: NodeDefinition; config: Record<string, unknown> }>();

function planFor(flow: FlowDocument): Plan {
  let plan = plans.get(flow);
  if (!plan) {
    plan = { nodes: new Map(flow.nodes.map((n) => [n.id, n])), graph: FlowGraph.fromFlow(flow), byTrigger: new Map() };
    plans.set(flow, plan);
  }
  return plan;
}

function configFor(def: NodeDefinition, node: FlowNode): Record<string, unknown> {
  const hit = configs.get(node);
  if (hit && hit.def === def) return hit.config;
  // Frozen: one config object is shared by every run of this flow version.
  const config = deepFreeze(compileNodeConfig<Record<string, unknown>>(def, node.config));
  configs.set(node, { def, config });
  return config;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

/**
 * The step error recorded for a thrown value. NodeError says itself whether a retry can
 * help; expression and config errors never heal by retrying; errors carrying their own
 * boolean `retryable` (the host's HTTP client) keep it; anything else may be transient.
 */
export function stepErrorOf(err: unknown): NonNullable<StepRecord['error']> {
  if (err instanceof NodeError) return withDetails({ code: err.code, message: err.message, retryable: err.retryable }, err.details);
  if (err instanceof ExpressionError) return withDetails({ code: err.code, message: err.message, retryable: false }, err.position !== undefined ? { position: err.position } : undefined);
  if (err instanceof ConfigError) return { code: err.code, message: err.message, retryable: false, details: { issues: err.issues } };
  if (err instanceof Error) {
    const e = err as Error & { code?: unknown; retryable?: unknown; details?: unknown };
    return withDetails(
      { code: typeof e.code === 'string' ? e.code : 'node_failed', message: err.message, retryable: typeof e.retryable === 'boolean' ? e.retryable : true },
      e.details,
    );
  }
  return { code: 'node_failed', message: String(err), retryable: true };
}

function withDetails(e: NonNullable<StepRecord['error']>, details: unknown): NonNullable<StepRecord['error']> {
  return details === undefined ? e : { ...e, details };
}
