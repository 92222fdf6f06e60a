import {
  checkNodeOutput,
  compileNodeConfig,
  createExpressionEvaluator,
  findNonJson,
  isPlainObject,
  isWaitRequest,
  type CustomerStorePort,
  type HttpClient,
  type Item,
  type Logger,
  type NodeContext,
  type NodeDefinition,
  type PortItems,
  type PollTrigger,
  type SharedCache,
  type TriggerContext,
  type TriggerEvent,
  type VerifyResult,
  type WebhookRequest,
  type WebhookResponse,
  type WebhookTrigger,
} from '@tributary/engine';
import { InMemoryCustomerStore } from './in-memory-customer-store.js';
import { InMemorySharedCache } from './shared-cache.js';
import { defaultDecode } from './webhook.util.js';

// A test harness for nodes: the real config validation, the real expression evaluator and
// the real output checks, with in-memory stand-ins for the store and no network.

export interface HarnessOptions {
  /** The node config as a flow would hold it; validated and given its defaults. */
  config: Record<string, unknown>;
  secrets?: Record<string, string>;
  /** The clock (`ctx.now()`); a Date freezes it. Default: the system clock. */
  now?: Date | (() => Date);
  log?: Logger;
}

export interface RunNodeOptions extends HarnessOptions {
  items?: Item[];
  /** Default: a fresh InMemoryCustomerStore. */
  store?: CustomerStorePort;
  /** Default: a client that throws `no http in harness`. */
  http?: HttpClient;
  /** Default: a fresh InMemorySharedCache. */
  cache?: SharedCache;
  runId?: string;
  /** The node's id in the (imaginary) flow; default `node`. */
  nodeId?: string;
  attempt?: number;
  signal?: AbortSignal;
  /** The trigger that started the run (ctx.trigger); default none, as when a step is tested alone. */
  trigger?: { nodeId: string; type: string };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

const noHttp: HttpClient = {
  request: () => Promise.reject(new Error('no http in harness: pass `http` to runNode')),
};

const clockOf = (now: HarnessOptions['now']): (() => Date) => (now instanceof Date ? () => new Date(now) : (now ?? (() => new Date())));

/** The NodeContext runNode hands to a node, for tests that need to call `run` themselves. */
export function createTestContext<C>(def: NodeDefinition<C>, opts: RunNodeOptions): NodeContext<C> {
  const config = compileNodeConfig(def, opts.config);
  const runId = opts.runId ?? 'run-test';
  const nodeId = opts.nodeId ?? 'node';
  return {
    config,
    node: { id: nodeId, type: def.id, version: def.version },
    flow: { id: 'flow-test', version: 1, name: 'harness' },
    runId,
    ...(opts.trigger ? { trigger: opts.trigger } : {}),
    attempt: opts.attempt ?? 1,
    secrets: opts.secrets,
    http: opts.http ?? noHttp,
    cache: opts.cache ?? new InMemorySharedCache(),
    store: opts.store ?? new InMemoryCustomerStore(),
    expr: createExpressionEvaluator(),
    log: opts.log ?? silentLogger,
    signal: opts.signal ?? new AbortController().signal,
    now: clockOf(opts.now),
    idempotencyKey: (suffix) => (suffix === undefined ? `${runId}:${nodeId}` : `${runId}:${nodeId}:${suffix}`),
  };
}

/**
 * Runs one node on `items` as the executor would: validated config, its own copy of the
 * items, output checked (declared ports only, arrays of plain JSON objects).
 */
export async function runNode<C>(def: NodeDefinition<C>, opts: RunNodeOptions): Promise<PortItems> {
  return (await runNodeResult(def, opts)).output;
}

/** runNode, and when the node paused the run (core.delay's waitUntil), the time it would go on. */
export async function runNodeResult<C>(def: NodeDefinition<C>, opts: RunNodeOptions): Promise<{ output: PortItems; waitUntil?: string }> {
  const ctx = createTestContext(def, opts);
  const items = structuredClone(opts.items ?? []);
  let raw: unknown;
  if (def.run) raw = await def.run(ctx, items);
  else if (def.trigger) raw = { out: items };
  else throw new Error(`${def.id}@${def.version} has no run function`);
  const config = ctx.config as Record<string, unknown>;
  if (isWaitRequest(raw)) return { output: checkNodeOutput(def as NodeDefinition, config, raw.output), waitUntil: raw.until.toISOString() };
  return { output: checkNodeOutput(def as NodeDefinition, config, raw) };
}

export interface RunWebhookOptions extends HarnessOptions {
  method?: string;
  headers?: Record<string, string | undefined>;
  /** The exact bytes: a Buffer or string is sent as is, anything else as JSON. */
  body?: Buffer | string | Record<string, unknown> | unknown[];
  query?: Record<string, string | undefined>;
  url?: string;
}

/** What a delivery led to: a handshake answer, or a verdict and (when verified) the events. */
export type WebhookTriggerResult =
  | { handshake: WebhookResponse; verify?: undefined; payload?: undefined; events?: undefined }
  | { handshake?: undefined; verify: VerifyResult; payload?: unknown; events?: TriggerEvent[] };

/**
 * Feeds one HTTP delivery to a webhook trigger in the order the API does: handshake →
 * method and size checks → verify on the raw bytes → decode → map. A PayloadError from
 * decode or map is thrown (the API answers 400).
 */
export async function runWebhookTrigger<C>(def: NodeDefinition<C>, opts: RunWebhookOptions): Promise<WebhookTriggerResult> {
  const trigger = def.trigger;
  if (trigger?.kind !== 'webhook') throw new Error(`${def.id}@${def.version} is not a webhook trigger`);
  const wh = trigger as WebhookTrigger<C>;
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k.toLowerCase()] = v;
  const body = opts.body;
  const rawBody = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  if (body !== undefined && typeof body === 'object' && !Buffer.isBuffer(body) && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  const req: WebhookRequest = {
    method: (opts.method ?? 'POST').toUpperCase(),
    headers,
    query: opts.query ?? {},
    rawBody,
    url: opts.url ?? 'https://tributary.test/hooks/flow-test/node',
  };
  const ctx: TriggerContext<C> = {
    config: compileNodeConfig(def, opts.config),
    secrets: opts.secrets,
    node: { id: 'node', type: def.id, version: def.version },
    flow: { id: 'flow-test', version: 1, name: 'harness' },
    log: opts.log ?? silentLogger,
    now: clockOf(opts.now),
  };

  if (wh.handshake) {
    const answer = await wh.handshake(req, ctx);
    if (answer) return { handshake: answer };
  }
  const methods = (wh.methods ?? ['POST']).map((m) => m.toUpperCase());
  if (!methods.includes(req.method)) return { verify: { ok: false, reason: `method ${req.method} not allowed`, status: 405 } };
  const limit = wh.maxBodyBytes ?? 1024 * 1024;
  if (rawBody.length > limit) return { verify: { ok: false, reason: `body is larger than ${limit} bytes`, status: 413 } };
  const verify = await wh.verify(req, ctx);
  if (!verify.ok) return { verify };
  const payload = wh.decode ? await wh.decode(req, ctx) : defaultDecode(req);
  const events = await wh.map(payload, req, ctx);
  events.forEach((e, i) => {
    if (e.dedupeKey !== undefined && typeof e.dedupeKey !== 'string') throw new Error(`event ${i}: dedupeKey must be a string`);
    e.items.forEach((item, j) => {
      const bad = isPlainObject(item) ? findNonJson(item) : { path: '', reason: 'not a plain object' };
      if (bad) throw new Error(`event ${i} item ${j} is not a JSON object at ${bad.path || '/'}: ${bad.reason}`);
    });
  });
  return { verify, payload, events };
}

export interface RunPollOptions extends HarnessOptions {
  /** The cursor to poll from; default the trigger's initialCursor. */
  cursor?: unknown;
  http?: HttpClient;
  cache?: SharedCache;
  signal?: AbortSignal;
}

/** One poll as the runtime makes it: validated config, the cursor given (or the initial one). */
export async function runPollTrigger<C>(def: NodeDefinition<C>, opts: RunPollOptions): Promise<{ events: TriggerEvent[]; next: unknown; hasMore?: boolean; cursor: unknown }> {
  if (def.trigger?.kind !== 'poll') throw new Error(`${def.id}@${def.version} is not a poll trigger`);
  const trigger = def.trigger as PollTrigger<C>;
  const ctx: TriggerContext<C> = {
    config: compileNodeConfig(def, opts.config),
    secrets: opts.secrets,
    node: { id: 'node', type: def.id, version: def.version },
    flow: { id: 'flow-test', version: 1, name: 'harness' },
    log: opts.log ?? silentLogger,
    now: clockOf(opts.now),
  };
  const cursor = opts.cursor === undefined ? trigger.initialCursor(ctx) : opts.cursor;
  const result = await trigger.poll({ ...ctx, http: opts.http ?? noHttp, cache: opts.cache ?? new InMemorySharedCache(), signal: opts.signal ?? new AbortController().signal }, structuredClone(cursor));
  result.events.forEach((e, i) =>
    e.items.forEach((item, j) => {
      const bad = isPlainObject(item) ? findNonJson(item) : { path: '', reason: 'not a plain object' };
      if (bad) throw new Error(`event ${i} item ${j} is not a JSON object at ${bad.path || '/'}: ${bad.reason}`);
    }),
  );
  return { ...result, cursor };
}
