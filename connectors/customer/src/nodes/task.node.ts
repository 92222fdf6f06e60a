import { CustomerStoreError } from '@tributary/customer-store';
import type { TaskOutcome, TaskRequest } from '@tributary/engine';
import { defineNode, errorItem, NodeError, type ConfigIssue, type Item } from '@tributary/node-sdk';
import { taskNodeLocales } from './task.node.locale.js';

export interface TaskConfig {
  title: string;
  description?: string;
  assignTo: 'customer_owner' | 'team_lead' | 'owner';
  ownerId?: string;
  teamId?: string;
  fallback: 'error' | 'team_lead' | 'unowned';
  dueInHours?: number;
  businessHours: boolean;
  dueAtField?: string;
  customerIdField: string;
  taskIdField: string;
}

const OWNER_ID = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9_.@:-]{0,99}$' } as const;
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/**
 * Fills `{{field}}` placeholders from the item: dotted paths read into objects, `{{a|b}}` takes
 * the first that has a value, a missing field is empty. Whitespace is collapsed.
 */
export function renderTemplate(template: string, item: Item): string {
  return template
    .replace(PLACEHOLDER, (_, expr: string) => {
      for (const alt of expr.split('|')) {
        const v = valueAt(item, alt.trim());
        if (v === undefined || v === null || v === '') continue;
        if (Array.isArray(v)) return v.filter((x) => x !== null && typeof x !== 'object').join(', ');
        if (typeof v !== 'object') return String(v);
      }
      return '';
    })
    .replace(/\s+/g, ' ')
    .trim();
}

function valueAt(item: Item, path: string): unknown {
  if (!path) return undefined;
  if (path in item) return item[path];
  let cur: unknown = item;
  for (const part of path.split('.')) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** ISO text or epoch milliseconds/seconds → ISO; undefined when absent, null when unreadable. */
function timeOf(value: unknown): string | undefined | null {
  if (value === undefined || value === null || value === '') return undefined;
  let ms: number;
  if (typeof value === 'number') ms = value < 1e12 ? value * 1000 : value;
  else if (typeof value === 'string' && /^\d{10,13}$/.test(value.trim())) ms = Number(value) < 1e12 ? Number(value) * 1000 : Number(value);
  else if (typeof value === 'string') ms = Date.parse(value);
  else return null;
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

export const taskNode = defineNode<TaskConfig>({
  id: 'customer.task',
  version: 1,
  title: 'Create a follow-up task',
  description:
    'Creates a follow-up task for each item’s customer: for the customer’s owner (after customer.assign), the lead of a team (escalations), or a fixed owner, with a title and description filled from item fields (`跟进 {{name}} {{phone}}`) and a due time in N hours (optionally counted in the owner’s working hours) or from an item field. Writes `task_created` on the customer’s timeline; a retried step creates nothing twice. Emits each item with `taskId` and `task` (status, due time, owner with e-mail, phone and WeCom userid for notify nodes) on `out`; customer.task-check reads the task again later (for "no follow-up in 3 days → remind, then escalate").',
  category: 'customer',
  locales: taskNodeLocales,
  icon: 'clipboard-check',
  outputs: ['out', 'error'],
  configSchema: {
    type: 'object',
    required: ['title'],
    properties: {
      title: {
        type: 'string',
        minLength: 1,
        maxLength: 500,
        default: '跟进客户 {{name|姓名|phone|手机}}',
        title: 'Title',
        description: '`{{field}}` is replaced by the item’s field (dotted paths read into objects; `{{a|b}}` takes the first that has a value).',
      },
      description: { type: 'string', maxLength: 5000, title: 'Description', description: 'Same placeholders as the title.' },
      assignTo: {
        type: 'string',
        enum: ['customer_owner', 'team_lead', 'owner'],
        default: 'customer_owner',
        title: 'For',
        description: '`customer_owner`: the customer’s owner; `team_lead`: the lead of the team below, else of the team the customer was assigned through; `owner`: the owner below.',
      },
      ownerId: { ...OWNER_ID, title: 'Owner id', description: 'For `owner`.' },
      teamId: { ...OWNER_ID, title: 'Team id', description: 'For `team_lead`; default: the team the customer was assigned through (or their owner’s team).' },
      fallback: {
        type: 'string',
        enum: ['error', 'team_lead', 'unowned'],
        default: 'error',
        title: 'When there is nobody (active) to give it to',
        description: '`error`: no task, the item goes to `error`; `team_lead`: the lead of the customer’s team; `unowned`: a task without an owner.',
      },
      dueInHours: { type: 'number', minimum: 0, maximum: 8760, title: 'Due in (hours)', description: 'Leave empty for no due time.' },
      businessHours: { type: 'boolean', default: false, title: 'Business hours', description: 'Count the hours inside the owner’s working hours only (Friday 17:00 + 4 h → Monday 12:00 for 9–18 on weekdays).' },
      dueAtField: { type: 'string', minLength: 1, maxLength: 100, title: 'Due time field', description: 'Item field with the due time (ISO 8601 or epoch); wins over "Due in" when the item has it.' },
      customerIdField: { type: 'string', minLength: 1, maxLength: 100, default: 'customerId', title: 'Customer id field' },
      taskIdField: { type: 'string', minLength: 1, maxLength: 100, default: 'taskId', title: 'Task id field', description: 'Where the task id is written on the item (customer.task-check reads it).' },
    },
    additionalProperties: false,
  },
  retry: { maxAttempts: 5, backoffMs: 200, maxBackoffMs: 5000 },
  sample: {
    config: { title: '跟进新线索 {{name}} {{phone}}', description: '来源: {{source}}', assignTo: 'customer_owner', fallback: 'team_lead', dueInHours: 4, businessHours: true, customerIdField: 'customerId', taskIdField: 'taskId' },
    input: [{ customerId: '0190c6f2-7d1e-7c3a-9f00-000000000001', name: '张三', phone: '13912345670', source: '官网表单' }],
  },
  checkConfig(config) {
    const issues: ConfigIssue[] = [];
    if (config.assignTo === 'owner' && !config.ownerId) issues.push({ path: '/ownerId', message: 'assignTo owner needs an owner id' });
    for (const key of ['title', 'description'] as const) {
      const text = config[key];
      if (text && (text.match(/\{\{/g)?.length ?? 0) !== (text.match(/\}\}/g)?.length ?? 0)) issues.push({ path: `/${key}`, message: 'unbalanced {{ }} placeholders' });
    }
    return issues;
  },
  async run(ctx, items) {
    const { config } = ctx;
    const out: Item[] = [];
    const error: Item[] = [];
    const store = ctx.store;
    const pending: { item: Item; request: TaskRequest }[] = [];
    for (const [index, item] of items.entries()) {
      const id = item[config.customerIdField];
      if (typeof id !== 'string' || !id.trim()) {
        error.push(errorItem(item, 'no_customer', `the item has no ${config.customerIdField}: put customer.upsert before customer.task`));
        continue;
      }
      if (!store.createTasks) {
        error.push(errorItem(item, 'store_unsupported', 'this customer store cannot keep tasks (customer.task needs the built-in customer store)'));
        continue;
      }
      const dueAt = config.dueAtField ? timeOf(valueAt(item, config.dueAtField)) : undefined;
      if (dueAt === null) {
        error.push(errorItem(item, 'invalid_time', `field ${config.dueAtField} is not a time: ${JSON.stringify(valueAt(item, config.dueAtField!))}`));
        continue;
      }
      const assignTo: TaskRequest['assignTo'] =
        config.assignTo === 'owner' ? { kind: 'owner', ownerId: config.ownerId! } : config.assignTo === 'team_lead' ? { kind: 'team_lead', ...(config.teamId ? { teamId: config.teamId } : {}) } : { kind: 'customer_owner' };
      const description = config.description ? renderTemplate(config.description, item) : '';
      const request: TaskRequest = {
        customerId: id.trim(),
        assignTo,
        fallback: config.fallback,
        title: renderTemplate(config.title, item) || 'Follow up',
        ...(description ? { description } : {}),
        idempotencyKey: ctx.idempotencyKey(index),
        provenance: { source: 'task', flowId: ctx.flow.id, flowVersion: ctx.flow.version, runId: ctx.runId, nodeId: ctx.node.id },
      };
      if (dueAt) request.due = { at: dueAt };
      else if (config.dueInHours !== undefined) request.due = { hours: config.dueInHours, businessHours: config.businessHours };
      pending.push({ item, request });
    }
    if (pending.length === 0) return { out, error };
    let outcomes: TaskOutcome[];
    try {
      outcomes = await store.createTasks!(pending.map((p) => p.request));
    } catch (err) {
      if (err instanceof CustomerStoreError && !err.retryable) throw new NodeError(err.code, err.message, { retryable: false, details: err.details });
      throw err;
    }
    pending.forEach(({ item }, n) => {
      const o = outcomes[n]!;
      if (!o.task) {
        error.push(errorItem(item, o.status === 'no_owner' ? 'no_owner' : 'customer_not_found', o.message ?? `no task for customer ${o.customerId}`));
        return;
      }
      out.push({ ...item, [config.customerIdField]: o.customerId, [config.taskIdField]: o.task.id, task: { ...o.task, owner: o.task.owner ? { ...o.task.owner } : null } });
    });
    return { out, error };
  },
});
