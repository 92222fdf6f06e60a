// The contract between the engine, the nodes and the hosts (api, worker, cli).
// A node is declared once, as data plus a function; everything else (validation,
// the editor form, docs) is derived from the declaration.

/** A JSON Schema (draft 2020-12 subset understood by ajv). */
export type JsonSchema = Record<string, unknown>;

/** One item flowing between nodes: a plain JSON object. */
export type Item = Record<string, unknown>;

/** Items emitted by a node, keyed by output port name (`out`, `error`, branch names). */
export type PortItems = Record<string, Item[]>;

/** The shape of items a node emits on its `error` port. */
export interface ErrorItem extends Item {
  item: Item;
  error: { code: string; message: string; details?: unknown };
}

export type NodeCategory = 'trigger' | 'transform' | 'logic' | 'customer' | 'notify' | 'io';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

// ---------------------------------------------------------------------------
// Ports the hosts implement and hand to nodes through the context.
// ---------------------------------------------------------------------------

export interface HttpRequest {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  /** A string or Buffer is sent as is; any other value is sent as JSON. */
  body?: unknown;
  timeoutMs?: number;
  /** Loopback, link-local and private addresses are refused unless this is true. */
  allowPrivateNetwork?: boolean;
  /** Largest response body accepted, in bytes (default 5 MiB). */
  maxResponseBytes?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The body parsed as JSON when the response says it is JSON and it parses. */
  json?: unknown;
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
}

export interface IdentityInput {
  /** phone | email | wechat_unionid | wechat_openid | wecom_external_userid | pos_member_id | device_id | … */
  type: string;
  value: string;
}

export interface Provenance {
  source: string;
  flowId: string;
  flowVersion: number;
  runId: string;
  nodeId: string;
}

export interface CustomerUpsertInput {
  identities: IdentityInput[];
  attributes: Record<string, unknown>;
  /** Optional timeline event written with the upsert. */
  event?: { type: string; occurredAt?: string; payload?: Record<string, unknown> };
  provenance: Provenance;
  /** Stable per delivery, node and item: a retried step writes nothing twice. */
  idempotencyKey: string;
}

export interface CustomerUpsertResult {
  customerId: string;
  created: boolean;
  /** Identity values that were recognised as junk or invalid and not used. */
  ignoredIdentities: IdentityInput[];
}

/** The counts of a customer.rematch run so far, as its `onPage` gives them; its summary's, as it ends. */
export interface RematchProgress {
  /** Live customers compared (`all`), or changed customers resolved (`changed`). */
  customers: number;
  /** Links the rules made between them. */
  links: number;
  merged: number;
  /** Review items written (a pair already pending is not queued twice). */
  queued: number;
  /** Links between customers a person told apart, or merged meanwhile into one: left alone. */
  skipped: number;
  /** `changed`: customers with nothing to be resolved by (no usable identity, no name with a masked phone), or racing merges until the next run. */
  uncompared?: number;
}

/** One test of a customer.assign rule on an item field (`city`, `item.utm.campaign`) or a customer field (`customer.<attribute>`, `customer.stage|score|priority|tags|firstChannel`). */
export interface AssignmentCondition {
  field: string;
  op: 'eq' | 'neq' | 'in' | 'not_in' | 'contains' | 'starts_with' | 'exists' | 'not_exists' | 'gt' | 'gte' | 'lt' | 'lte' | 'matches';
  value?: unknown;
}

export type AssignmentStrategy = 'round_robin' | 'least_loaded';

/** A customer.assign rule: when every condition holds, the customer goes to `team`. */
export interface AssignmentRule {
  name: string;
  when: AssignmentCondition[];
  team: string;
  /** Overrides the policy's strategy for this rule's team. */
  strategy?: AssignmentStrategy;
}

/** How customer.assign decides (its config, as the store reads it). */
export interface AssignmentPolicy {
  /** In order; the first that matches wins. */
  rules: AssignmentRule[];
  /** The team when no rule matches; without one the customer stays unassigned. */
  defaultTeam?: string;
  strategy: AssignmentStrategy;
  /** `prefer`: owners at work now, else any eligible owner; `only`: owners at work now; `ignore`. */
  workingHours: 'prefer' | 'only' | 'ignore';
  /** `keep` an active owner; `keep_if_available` only when the owner is not away; `reassign` always. */
  sticky: 'keep' | 'keep_if_available' | 'reassign';
  /** Customers in these stages no longer count towards an owner's load. */
  closedStages: string[];
  /** Within the team, only owners whose attribute lists the customer's field value (or `*`). */
  ownerMatch?: { attribute: string; field: string }[];
}

export interface AssignRequest {
  customerId: string;
  /** The item: rules read its fields. */
  fields: Record<string, unknown>;
  idempotencyKey: string;
  provenance: Provenance;
}

/** An owner as notify nodes need them. */
export interface OwnerContact {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  wecomUserId: string | null;
}

/** One team member as the assignment saw them. */
export interface AssignmentCandidate {
  ownerId: string;
  load: number | null;
  capacity: number | null;
  atWork: boolean;
  skipped?: 'inactive' | 'away' | 'at_capacity' | 'off_hours' | 'no_match';
  chosen?: boolean;
}

export interface AssignOutcome {
  status: 'assigned' | 'kept' | 'unassigned' | 'not_found';
  /** The live customer (a merged id is followed to its survivor). */
  customerId: string;
  ownerId?: string;
  teamId?: string;
  previousOwnerId?: string | null;
  /** The rule's name, or `default`. */
  rule?: string;
  strategy?: string;
  assignmentId?: string;
  /** Why: `rule_matched`, `sticky`, `no_rule_matched`, `team_not_found`, `team_empty`, `no_eligible_owner`, `not_found`, `erased`. */
  reason: { code: string; message: string; candidates?: AssignmentCandidate[] };
  owner?: OwnerContact;
  /** A retried step: the decision its first attempt recorded. */
  replayed?: boolean;
}

export type TaskStatus = 'open' | 'done' | 'cancelled';

export interface TaskSnapshot {
  id: string;
  customerId: string;
  ownerId: string | null;
  title: string;
  description: string | null;
  dueAt: string | null;
  status: TaskStatus;
  createdAt: string;
  completedAt: string | null;
  owner: OwnerContact | null;
}

export interface TaskRequest {
  customerId: string;
  /** The customer's owner, the lead of a team (default: the team the customer was assigned through), or a fixed owner. */
  assignTo: { kind: 'customer_owner' } | { kind: 'team_lead'; teamId?: string } | { kind: 'owner'; ownerId: string };
  /** When assignTo finds nobody active: no task (`error`), the team lead, or a task without an owner. */
  fallback: 'error' | 'team_lead' | 'unowned';
  title: string;
  description?: string;
  /** An absolute time, or N hours from now (counted inside the owner's working hours when businessHours). */
  due?: { at: string } | { hours: number; businessHours?: boolean };
  idempotencyKey: string;
  provenance: Provenance;
}

export interface TaskOutcome {
  status: 'created' | 'existing' | 'no_owner' | 'not_found';
  customerId: string;
  task?: TaskSnapshot;
  message?: string;
}

/** The customer store as nodes see it. Implemented by libs/customer-store. */
export interface CustomerStorePort {
  upsert(inputs: CustomerUpsertInput[]): Promise<CustomerUpsertResult[]>;
  /**
   * Read-only identity resolution (customer.resolve): what upsert would decide for each input,
   * in input order (`matched` an existing customer, `new`, or `review`), writing nothing.
   */
  resolve?(inputs: { identities: IdentityInput[]; attributes?: Record<string, unknown> }[]): Promise<
    { kind: 'matched' | 'new' | 'review'; targetId?: string; score: number; reasons: { rule: string; detail: string }[]; candidates?: { id: string; score: number }[] }[]
  >;
  /** customer.assign: a team by the policy's rules, an owner in it; recorded with its reason. Results in request order. */
  assign?(policy: AssignmentPolicy, requests: AssignRequest[]): Promise<AssignOutcome[]>;
  /** customer.task: one follow-up task per request, once per idempotency key. Results in request order. */
  createTasks?(requests: TaskRequest[]): Promise<TaskOutcome[]>;
  /** customer.task-check: tasks as they are now, in the order asked (undefined: no such task). */
  getTasks?(ids: string[]): Promise<(TaskSnapshot | undefined)[]>;
  /** customer.score, rules model: libs/customer-store's ScoreRequest → one ScoreOutcome per item, in order. */
  score?(request: { config: object; items: { customerId: string; idempotencyKey: string; item: Item; eventType?: string }[]; provenance: Provenance; evaluate?: (expression: string, input: unknown) => Promise<unknown> }): Promise<object[]>;
  /** customer.score, rfm model: RfmRequest → one RfmOutcome per item, in order. */
  scoreRfm?(request: { config: object; items: { customerId: string; idempotencyKey: string }[]; provenance: Provenance; breakpoints?: object }): Promise<object[]>;
  /** The RFM breakpoints a config scores with (quintiles are measured on the store). */
  rfmBreakpoints?(config: object): Promise<object>;
  /** customer.rescore: decay, inactivity and thresholds (or RFM) for every live customer, in batches, once per scope and day. */
  rescore?(request: { model: 'rules' | 'rfm'; rules?: object; rfm?: object; scope: string; provenance: Provenance; batchSize?: number; maxCrossings?: number; signal?: AbortSignal }): Promise<object>;
  /** customer.rematch: identity resolution over every live customer, or those changed since the key's last run; confident links merge, the others queue reviews. */
  rematch?(request: {
    scope?: 'all' | 'changed';
    key?: string;
    merge?: 'confident' | 'none';
    actor?: string;
    maxListed?: number;
    dryRun?: boolean;
    signal?: AbortSignal;
    /** After each page a paged run has applied and written down, with its counts so far. */
    onPage?: (progress: RematchProgress) => void | Promise<void>;
  }): Promise<object>;
}

/**
 * A small key-value store shared by every API and worker process (a Postgres table in the
 * runtime): vendor access tokens that all workers reuse, rate-limit windows, short locks.
 * Values are strings; every key expires.
 */
export interface SharedCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Sets the key only when it is absent (or expired); true when this call set it. A lock. */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Adds 1 and returns the new count; a new key expires ttlSeconds after this call. A rate-limit window. */
  increment(key: string, ttlSeconds: number): Promise<number>;
}

export interface ExpressionLimits {
  /** Wall-clock limit for one evaluation. */
  timeoutMs: number;
  /** Largest serialized result, in bytes. */
  maxResultBytes: number;
  /** Deepest recursion allowed. */
  maxDepth: number;
  /** Longest sequence (range literal, path result) an evaluation may build; default 1,000,000. */
  maxSequenceLength?: number;
}

export interface ExpressionEvaluator {
  /** Evaluates a JSONata expression against `input`; throws ExpressionError on syntax, limit or runtime errors. */
  evaluate(expression: string, input: unknown, bindings?: Record<string, unknown>): Promise<unknown>;
}

export interface NodeContext<C = Record<string, unknown>> {
  /** The node's config, validated against its configSchema (defaults applied). */
  config: C;
  node: { id: string; type: string; version: number };
  flow: { id: string; version: number; name: string };
  runId: string;
  /**
   * The trigger node that started the run (its type names the channel, e.g. `meta.leadads`).
   * Absent when a step runs on its own (the editor's "test this step").
   */
  trigger?: { nodeId: string; type: string };
  /** 1 on the first attempt of this step. */
  attempt: number;
  /** Decrypted secrets of the connection named by config.connection, if any. */
  secrets?: Record<string, string>;
  http: HttpClient;
  /** Shared by all processes: vendor access tokens, rate-limit windows. */
  cache: SharedCache;
  store: CustomerStorePort;
  expr: ExpressionEvaluator;
  log: Logger;
  signal: AbortSignal;
  now(): Date;
  /** A key unique to this run, node and suffix, stable across retries. */
  idempotencyKey(suffix?: string | number): string;
}

// ---------------------------------------------------------------------------
// Triggers
// ---------------------------------------------------------------------------

export interface WebhookRequest {
  method: string;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  /** The exact bytes received: signatures are checked on these. */
  rawBody: Buffer;
  /** The public URL the request was sent to (scheme, host, path and query). */
  url: string;
}

export interface WebhookResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer | Record<string, unknown> | unknown[];
}

export type VerifyResult = { ok: true } | { ok: false; reason: string; status?: number };

export interface TriggerContext<C = Record<string, unknown>> {
  config: C;
  secrets?: Record<string, string>;
  node: { id: string; type: string; version: number };
  flow: { id: string; version: number; name: string };
  log: Logger;
  now(): Date;
}

/** One event a trigger produced: it becomes one run. */
export interface TriggerEvent {
  /** The vendor's event id; deliveries with the same key produce one run. */
  dedupeKey?: string;
  items: Item[];
}

export interface WebhookTrigger<C = Record<string, unknown>> {
  kind: 'webhook';
  /** HTTP methods accepted (default POST). GET is typically only a handshake. */
  methods?: string[];
  /** Largest body accepted, in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** Vendor handshakes (challenges, URL verification): answered directly, no run. */
  handshake?(req: WebhookRequest, ctx: TriggerContext<C>): WebhookResponse | undefined | Promise<WebhookResponse | undefined>;
  /** Required, no default: constant-time signature and timestamp checks on the raw bytes. */
  verify(req: WebhookRequest, ctx: TriggerContext<C>): VerifyResult | Promise<VerifyResult>;
  /** Turns the raw body into a payload; the default parses JSON and form bodies. Throw PayloadError for 400. */
  decode?(req: WebhookRequest, ctx: TriggerContext<C>): unknown | Promise<unknown>;
  /** Payload to events, each with its dedupe key. */
  map(payload: unknown, req: WebhookRequest, ctx: TriggerContext<C>): TriggerEvent[] | Promise<TriggerEvent[]>;
  /** The answer the vendor expects once the delivery is stored (default 202 JSON). */
  respond?(result: { runIds: string[]; duplicates: number }, ctx: TriggerContext<C>): WebhookResponse;
}

export interface PollContext<C = Record<string, unknown>> extends TriggerContext<C> {
  http: HttpClient;
  cache: SharedCache;
  signal: AbortSignal;
}

export interface PollTrigger<C = Record<string, unknown>, Cursor = unknown> {
  kind: 'poll';
  /** Default interval between polls; config.intervalSeconds overrides it. */
  intervalSeconds: number;
  cursorSchema: JsonSchema;
  initialCursor(ctx: TriggerContext<C>): Cursor;
  /**
   * A throw with a numeric `retryAfterMs` (VendorApiError on a 429) postpones the next poll by
   * that much; other throws back off exponentially. The cursor is kept either way.
   */
  poll(ctx: PollContext<C>, cursor: Cursor): Promise<{ events: TriggerEvent[]; next: Cursor; hasMore?: boolean }>;
  /** The cursor that makes the next poll start again from `from` (a backfill started from the API). */
  backfillCursor?(from: Date, ctx: TriggerContext<C>): Cursor;
}

export interface ScheduleTrigger {
  kind: 'schedule';
}

export interface ManualTrigger {
  kind: 'manual';
}

export type TriggerSpec<C = Record<string, unknown>> = WebhookTrigger<C> | PollTrigger<C, any> | ScheduleTrigger | ManualTrigger;

// ---------------------------------------------------------------------------
// Nodes
// ---------------------------------------------------------------------------

export interface RetryPolicy {
  /** Attempts in all, including the first. */
  maxAttempts: number;
  /** Delay before the second attempt; doubles each time. */
  backoffMs: number;
  /** Upper bound of one delay. */
  maxBackoffMs?: number;
}

export interface NodeDefinition<C = any> {
  /** `<package>.<name>`, stable forever. */
  id: string;
  /** A breaking change is a new version; flows pin the version they were built with. */
  version: number;
  title: string;
  description: string;
  category: NodeCategory;
  /** An icon name or emoji for the editor. */
  icon?: string;
  /** Validates config, renders the editor form and the docs. */
  configSchema: JsonSchema;
  /** Input ports; `[]` for triggers. Default `['in']`. */
  inputs?: string[];
  /** Output ports, fixed or derived from the config (branch). Default `['out']`. */
  outputs?: string[] | ((config: C) => string[]);
  /** The connector type whose connection this node uses (config.connection names one). */
  /**
   * The connection `config.connection` names. `typeField`: when the type depends on the config, the
   * config field holding it (ads.convert's `platform`: a meta, oceanengine… connection); `type` then
   * names the family, for the docs.
   */
  connection?: { type: string; required: boolean; typeField?: string };
  /** Present on trigger nodes. */
  trigger?: TriggerSpec<C>;
  /** Turns input items into output items per port. Triggers pass their items through by default. */
  run?(ctx: NodeContext<C>, items: Item[]): Promise<PortItems>;
  /** Step retry policy for errors this node throws that are not NodeError(retryable=false). */
  retry?: RetryPolicy;
  /**
   * No effects outside the run (no I/O, no writes): running it again after a crash
   * changes nothing, so a host may write its checkpoint together with the next
   * step's instead of before the next step starts.
   */
  pure?: boolean;
  /** Example config and input for docs, the editor and the contract test. */
  sample?: { config: C; input?: Item[] };
  /**
   * Checks JSON Schema cannot express (a cron that parses, a schema that compiles), run on the
   * config after schema validation with defaults applied. Returns the problems, empty when fine.
   */
  checkConfig?(config: C): ConfigIssue[];
  /** The declaration's texts in other languages, as data; anything left out falls back to the English. */
  locales?: NodeLocales;
}

// ---------------------------------------------------------------------------
// Translations
// ---------------------------------------------------------------------------

/** Languages a declaration may carry texts for (BCP 47 tags, as the editor's i18n names them). */
export const LOCALE_TAGS = ['zh-CN'] as const;
export type LocaleTag = (typeof LOCALE_TAGS)[number];

/** Texts for one object of a JSON Schema, which a JSON pointer into the schema addresses. */
export interface SchemaTextLocale {
  title?: string;
  description?: string;
  /** Replaces the schema's `x-placeholder`. */
  placeholder?: string;
  /** One label per value of the schema's `enum`, in the same order. */
  enumNames?: string[];
}

/**
 * Schema texts by JSON pointer (RFC 6901) into the schema: `/properties/expression`,
 * `/properties/event/properties/type`, `/properties/rules/items/properties/port`; `''` is the schema itself.
 */
export type SchemaLocale = Record<string, SchemaTextLocale>;

export interface NodeLocale {
  title?: string;
  description?: string;
  /** Labels of input and output ports, by port name (the name itself stays the id flows use). */
  ports?: Record<string, string>;
  /** Texts of the configSchema. */
  config?: SchemaLocale;
}

export type NodeLocales = Partial<Record<LocaleTag, NodeLocale>>;

export interface ConnectorLocale {
  title?: string;
  description?: string;
  /** Texts of the auth (connection secrets) schema. */
  auth?: SchemaLocale;
}

export type ConnectorLocales = Partial<Record<LocaleTag, ConnectorLocale>>;

/** One reason a node config is invalid; `path` is a JSON pointer into the config. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** A connector: a package of nodes sharing one auth (connection) type. */
export interface ConnectorDefinition {
  /** Package name, the prefix of its node ids. */
  id: string;
  title: string;
  description: string;
  /** JSON Schema of the connection secrets. */
  auth?: JsonSchema;
  /** Checks a connection's secrets against the vendor; throws with a clear message when wrong. */
  check?(secrets: Record<string, string>, ctx: { http: HttpClient; now(): Date }): Promise<void>;
  nodes: NodeDefinition[];
  /** The connector's texts in other languages; see NodeDefinition.locales. */
  locales?: ConnectorLocales;
}
