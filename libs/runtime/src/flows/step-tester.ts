import { randomUUID } from 'node:crypto';
import {
  executeFlow,
  FlowGraph,
  parseEdge,
  validateFlow,
  type ExecuteResult,
  type FlowDocument,
  type FlowNode,
  type FlowProblem,
  type Item,
  type Logger,
  type NodeRegistry,
  type PortItems,
  type StepRecord,
} from '@tributary/engine';
import { AppError, badRequest } from '../errors.js';
import { createRedactor } from '../secrets/redact-secrets.util.js';
import { connectionSecretsOf, nodeContextFor, type NodePorts } from '../runs/node-context.js';

// "Test a step" from the editor: a flow document (saved or the unsaved draft) runs in the
// calling process, once, with no queue, no retries and no row in `runs`. Side effects are
// real: a customer.upsert step writes, a notify step sends. Idempotency keys and the run id
// start with `test:` so what a test wrote can be told apart from what runs wrote.

export type StepTestMode = 'node' | 'until';

export interface StepTestRequest {
  /** The flow document; validated here (an unsaved draft is fine). */
  flow: unknown;
  /** The saved flow this document belongs to: ctx.flow and provenance. Absent for an unsaved flow. */
  flowRef?: { id: string; version: number };
  nodeId: string;
  /** `node`: run only `nodeId` on `items`; `until`: run from a trigger that reaches `nodeId`, up to and including it. */
  mode: StepTestMode;
  /** node: the node's input items (default: its declared sample input). until: the trigger's items (default: its sample input, else `[{}]`). */
  items?: unknown;
  /** until: the trigger to start from when several reach the node (default: a manual trigger, else the first in the document). */
  triggerNodeId?: string;
}

export interface TestStep {
  nodeId: string;
  status: StepRecord['status'];
  attempts: number;
  input: Item[];
  output: PortItems | null;
  error: StepRecord['error'];
  startedAt: string | null;
  finishedAt: string | null;
  /** A core.delay step: when a real run would go on. A test does not wait. */
  resumeAt?: string;
  /** Item counts before any truncation for the response size limit. */
  itemCounts: { input: number; output: Record<string, number> };
  truncated?: boolean;
}

export interface StepTestResult {
  /** `test:<uuid>`: the run id the nodes saw, and the prefix of their idempotency keys. */
  testId: string;
  mode: StepTestMode;
  nodeId: string;
  /** The node the test started from (the tested node itself in `node` mode). */
  startNodeId: string;
  /** Where the first items came from. */
  itemsFrom: 'request' | 'sample' | 'default';
  status: 'succeeded' | 'failed';
  /** Why the test failed: the failed step's error, or `test_timeout`. */
  error?: { code: string; message: string; nodeId?: string };
  steps: TestStep[];
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Some item lists were cut to keep the response under the size limit (see itemCounts). */
  truncated: boolean;
}

export interface StepTesterLimits {
  /** Wall-clock limit of one test. */
  timeoutMs: number;
  /** Items accepted as input. */
  maxItems: number;
  /** Largest response (serialized JSON); item lists are cut beyond it. */
  maxResponseBytes: number;
  /** Tests running at the same time in this process; more get 429. */
  maxConcurrent: number;
}

export const DEFAULT_STEP_TEST_LIMITS: StepTesterLimits = { timeoutMs: 30_000, maxItems: 100, maxResponseBytes: 2_000_000, maxConcurrent: 4 };

export interface StepTesterDeps extends NodePorts {
  registry: NodeRegistry;
  connections: { secretsFor(id: string): Promise<Record<string, string>> };
  log: Logger;
  now?: () => Date;
  limits?: Partial<StepTesterLimits>;
}

export class StepTester {
  readonly limits: StepTesterLimits;
  private running = 0;
  private readonly now: () => Date;

  constructor(private readonly deps: StepTesterDeps) {
    this.limits = { ...DEFAULT_STEP_TEST_LIMITS, ...deps.limits };
    this.now = deps.now ?? (() => new Date());
  }

  async test(req: StepTestRequest): Promise<StepTestResult> {
    if (req.mode !== 'node' && req.mode !== 'until') throw badRequest('invalid_mode', 'mode must be "node" or "until"');
    if (typeof req.nodeId !== 'string' || !req.nodeId) throw badRequest('invalid_request', 'nodeId is required');
    const plan = this.plan(req);
    if (this.running >= this.limits.maxConcurrent) {
      throw new AppError(429, 'too_many_tests', `at most ${this.limits.maxConcurrent} step tests run at the same time; try again shortly`);
    }
    this.running++;
    try {
      return await this.execute(req, plan);
    } finally {
      this.running--;
    }
  }

  /** Validates the request and cuts the document down to what the test runs. */
  private plan(req: StepTestRequest): Plan {
    const { registry } = this.deps;
    const raw = (req.flow && typeof req.flow === 'object' && !Array.isArray(req.flow) ? req.flow : {}) as Partial<FlowDocument>;
    const rawNodes = (Array.isArray(raw.nodes) ? raw.nodes : []).filter((n): n is FlowNode => !!n && typeof n === 'object' && typeof n.id === 'string');
    const nodes = new Map(rawNodes.map((n) => [n.id, n]));
    const target = nodes.get(req.nodeId);
    const checked = validateFlow(req.flow, registry);
    const problems = checked.ok ? [] : checked.problems;
    // A flow that cannot be read as a flow at all (not an object, no nodes array) says so first.
    if (!target) {
      if (!raw.nodes || !Array.isArray(raw.nodes)) throw badRequest('flow_invalid', `flow is invalid: ${problems.length} problem(s)`, problems);
      throw badRequest('unknown_node', `the flow has no node "${req.nodeId}"`, { nodeId: req.nodeId });
    }
    const edges = (Array.isArray(raw.edges) ? raw.edges : [])
      .map((e, i) => (e && typeof e.from === 'string' && typeof e.to === 'string' ? parseEdge(e, i) : undefined))
      .filter((e): e is NonNullable<typeof e> => !!e && nodes.has(e.from) && nodes.has(e.to));
    const graph = new FlowGraph([...nodes.keys()], edges);

    let scope: Set<string>;
    let start: string;
    if (req.mode === 'node') {
      scope = new Set([target.id]);
      start = target.id;
    } else {
      const ancestors = graph.ancestorsOf(target.id);
      const triggers = rawNodes.filter((n) => ancestors.has(n.id) && registry.get(n.type, n.version)?.trigger);
      if (req.triggerNodeId !== undefined) {
        if (!triggers.some((t) => t.id === req.triggerNodeId)) {
          throw badRequest('node_not_reachable', `node "${target.id}" cannot be reached from trigger "${req.triggerNodeId}"`, { nodeId: target.id, triggerNodeId: req.triggerNodeId });
        }
        start = req.triggerNodeId;
      } else {
        const manual = triggers.find((t) => registry.get(t.type, t.version)?.trigger?.kind === 'manual');
        const first = manual ?? triggers[0];
        if (!first) throw badRequest('node_not_reachable', `no trigger reaches node "${target.id}"; connect it, or test the node alone (mode "node") on items`, { nodeId: target.id });
        start = first.id;
      }
      scope = new Set([...graph.reachableFrom([start])].filter((id) => ancestors.has(id)));
    }

    // Problems of nodes outside the test do not stop it: a half-built draft can be tested
    // node by node. A problem of a node in the test, or one that names no node (a broken
    // edge, no trigger), does, as it would stop a save.
    const blocking = problems.filter((p) => {
      // A node tested alone needs neither its edges nor a trigger.
      if (req.mode === 'node' && isEdgeOrTriggerProblem(p)) return false;
      return p.nodeId === undefined || scope.has(p.nodeId);
    });
    if (blocking.length) {
      throw badRequest('flow_invalid', `the tested part of the flow is invalid: ${blocking.length} problem(s)`, blocking);
    }

    const def = registry.get(target.type, target.version)!;
    const startNode = nodes.get(start)!;
    const startDef = registry.get(startNode.type, startNode.version)!;
    let items: Item[];
    let itemsFrom: StepTestResult['itemsFrom'];
    if (req.items !== undefined) {
      items = this.checkItems(req.items);
      itemsFrom = 'request';
    } else if (startDef.sample?.input) {
      items = structuredClone(startDef.sample.input);
      itemsFrom = 'sample';
    } else if (req.mode === 'until' || def.trigger) {
      items = [{}];
      itemsFrom = 'default';
    } else {
      throw badRequest('items_required', `node "${target.id}" (${def.id}) declares no sample input: send the items to test it on`, { nodeId: target.id });
    }

    const doc = raw as FlowDocument;
    const flow: FlowDocument = {
      schemaVersion: 1,
      name: typeof doc.name === 'string' ? doc.name : 'draft',
      ...(typeof doc.id === 'string' ? { id: doc.id } : {}),
      ...(doc.settings ? { settings: doc.settings } : {}),
      nodes: rawNodes.filter((n) => scope.has(n.id)).map((n) => structuredClone(n)),
      edges: (doc.edges ?? []).filter((_e, i) => edges.some((g) => g.index === i && scope.has(g.from) && scope.has(g.to))),
    };
    return { flow, scope, start, items, itemsFrom };
  }

  private checkItems(items: unknown): Item[] {
    if (!Array.isArray(items) || items.some((i) => !i || typeof i !== 'object' || Array.isArray(i))) {
      throw badRequest('invalid_items', 'items must be an array of JSON objects');
    }
    if (items.length > this.limits.maxItems) {
      throw badRequest('too_many_items', `at most ${this.limits.maxItems} items per step test, got ${items.length}`, { max: this.limits.maxItems, got: items.length });
    }
    return items as Item[];
  }

  private async execute(req: StepTestRequest, plan: Plan): Promise<StepTestResult> {
    const testId = `test:${randomUUID()}`;
    const started = this.now();
    const secrets = await connectionSecretsOf(plan.flow, this.deps.connections).catch((err: unknown) => {
      // The request names a connection that does not exist: the caller's to fix.
      if (err instanceof AppError && err.status === 404) throw badRequest('connection_not_found', err.message, err.details);
      throw err;
    });
    const redact = createRedactor([...secrets.values()]);
    const controller = new AbortController();
    const flowRef = req.flowRef ?? { id: plan.flow.id ?? 'draft', version: 0 };
    // Every step as last seen, so a test cut off by the time limit still shows how far it got.
    const seen = new Map<string, StepRecord>();
    const log = this.deps.log;

    const run = async (): Promise<ExecuteResult> => {
      const checkpoints = new Map<string, StepRecord>();
      // A core.delay step pauses a real run; a test goes straight on with the delay's output.
      for (let round = 0; round <= plan.flow.nodes.length; round++) {
        const result = await executeFlow({
          flow: plan.flow,
          registry: this.deps.registry,
          triggerNodeId: plan.start,
          triggerItems: plan.items,
          untilNodeId: req.mode === 'until' ? req.nodeId : undefined,
          checkpoints,
          signal: controller.signal,
          now: this.now,
          context: nodeContextFor({
            ports: this.deps,
            flow: { id: flowRef.id, version: flowRef.version, name: plan.flow.name },
            runId: testId,
            secrets,
            log,
            signal: controller.signal,
            now: this.now,
          }),
          onStepStart: (r) => void seen.set(r.nodeId, r),
          onStepFinish: (r) => void seen.set(r.nodeId, r),
        });
        if (result.status !== 'waiting') return result;
        for (const s of result.steps) checkpoints.set(s.nodeId, s.status === 'waiting' ? { ...s, status: 'succeeded', finishedAt: this.now().toISOString() } : s);
        for (const s of checkpoints.values()) seen.set(s.nodeId, s);
      }
      throw new Error('a delay step kept the test waiting');
    };

    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.limits.timeoutMs);
    });
    const execution = run();
    // A step that ignores the abort signal keeps running after the answer; its result is dropped.
    execution.catch(() => undefined);
    let outcome: ExecuteResult | 'timeout';
    try {
      outcome = await Promise.race([execution, timedOut]);
    } catch (err) {
      // executeFlow throws only for a plan it cannot run; plan() has checked that.
      throw new AppError(500, 'test_failed', err instanceof Error ? err.message : String(err));
    } finally {
      clearTimeout(timer);
    }

    let status: StepTestResult['status'];
    let error: StepTestResult['error'];
    let records: StepRecord[];
    if (outcome === 'timeout') {
      controller.abort(new Error('step test timed out'));
      const message = `the test took longer than ${Math.round(this.limits.timeoutMs / 1000)} s and was stopped`;
      records = [...seen.values()].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
      const runningStep = records.find((r) => r.status === 'running');
      if (runningStep) {
        runningStep.status = 'failed';
        runningStep.finishedAt = this.now().toISOString();
        runningStep.error = { code: 'test_timeout', message, retryable: false };
      }
      status = 'failed';
      error = { code: 'test_timeout', message, ...(runningStep ? { nodeId: runningStep.nodeId } : {}) };
    } else {
      records = outcome.steps;
      const failed = outcome.failedStep;
      status = outcome.status === 'succeeded' ? 'succeeded' : 'failed';
      if (failed?.error) error = { code: failed.error.code, message: failed.error.message, nodeId: failed.nodeId };
    }
    const finished = this.now();
    log.info('step test finished', { testId, flowId: flowRef.id, nodeId: req.nodeId, mode: req.mode, status, steps: records.length, ms: finished.getTime() - started.getTime() });

    // Secrets never reach the editor, even when a node echoes one back.
    const steps = records.map((r) => redact(toTestStep(r)));
    const truncated = fitResponse(steps, this.limits.maxResponseBytes);
    return {
      testId,
      mode: req.mode,
      nodeId: req.nodeId,
      startNodeId: plan.start,
      itemsFrom: plan.itemsFrom,
      status,
      ...(error ? { error: redact(error) } : {}),
      steps,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - started.getTime(),
      truncated,
    };
  }

}

interface Plan {
  /** The document cut down to the nodes and edges the test runs. */
  flow: FlowDocument;
  scope: Set<string>;
  start: string;
  items: Item[];
  itemsFrom: StepTestResult['itemsFrom'];
}

function isEdgeOrTriggerProblem(p: FlowProblem): boolean {
  return p.edgeIndex !== undefined || p.code === 'no_trigger' || p.code === 'unreachable' || p.code === 'unknown_node';
}

function toTestStep(r: StepRecord): TestStep {
  const output: Record<string, number> = {};
  for (const [port, items] of Object.entries(r.output ?? {})) output[port] = items.length;
  return {
    nodeId: r.nodeId,
    status: r.status,
    attempts: r.attempts,
    input: r.input,
    output: r.output,
    error: r.error,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    ...(r.resumeAt ? { resumeAt: r.resumeAt } : {}),
    itemCounts: { input: r.input.length, output },
  };
}

const sizeOf = (v: unknown): number => Buffer.byteLength(JSON.stringify(v));

/**
 * Cuts item lists (the longest first, by halving) until the steps fit in maxBytes; the
 * counts before cutting stay in itemCounts. True when anything was cut.
 */
export function fitResponse(steps: TestStep[], maxBytes: number): boolean {
  if (sizeOf(steps) <= maxBytes) return false;
  const lists = (): { step: TestStep; get: () => Item[]; set: (v: Item[]) => void }[] =>
    steps.flatMap((step) => [
      { step, get: () => step.input, set: (v: Item[]) => void (step.input = v) },
      ...Object.keys(step.output ?? {}).map((port) => ({ step, get: () => step.output![port]!, set: (v: Item[]) => void (step.output![port] = v) })),
    ]);
  for (let size = sizeOf(steps); size > maxBytes; size = sizeOf(steps)) {
    const longest = lists().sort((a, b) => b.get().length - a.get().length)[0];
    if (!longest || longest.get().length === 0) break;
    const items = longest.get();
    // A single huge item is dropped whole rather than shown in part.
    longest.set(items.slice(0, items.length === 1 ? 0 : Math.ceil(items.length / 2)));
    longest.step.truncated = true;
  }
  return true;
}
