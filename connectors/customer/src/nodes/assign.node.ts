import { CustomerStoreError, DEFAULT_CLOSED_STAGES } from '@tributary/customer-store';
import type { AssignmentPolicy, AssignOutcome, AssignRequest } from '@tributary/engine';
import { defineNode, errorItem, NodeError, type ConfigIssue, type Item } from '@tributary/node-sdk';
import { assignNodeLocales } from './assign.node.locale.js';

export interface AssignConfig extends AssignmentPolicy {
  /** Item field with the customer id (customer.upsert sets `customerId`). */
  customerIdField: string;
}

const OPS = ['eq', 'neq', 'in', 'not_in', 'contains', 'starts_with', 'exists', 'not_exists', 'gt', 'gte', 'lt', 'lte', 'matches'];
const TEAM_ID = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9_.@:-]{0,99}$' } as const;
const STRATEGY = {
  type: 'string',
  enum: ['round_robin', 'least_loaded'],
  title: 'Strategy',
  description: '`round_robin`: members in turn, in team order; `least_loaded`: the member with the fewest open customers (stage not in closed stages), ties in turn.',
} as const;

const conditionSchema = {
  type: 'object',
  title: 'Condition',
  required: ['field', 'op'],
  properties: {
    field: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      title: 'Field',
      description:
        'An item field (`city`, `utm.campaign`), else the customer’s attribute of that name; `item.x` reads only the item, `customer.x` only the customer (`customer.stage`, `customer.score`, `customer.priority`, `customer.tags`, `customer.firstChannel`, or an attribute).',
    },
    op: {
      type: 'string',
      enum: OPS,
      title: 'Operator',
      description: 'Text compares ignoring case and full-width forms; city fields compare by city (上海市 = 上海 = Shanghai); on a list (tags) eq/in/contains look for an element.',
    },
    value: { title: 'Value', description: 'A value, or a list for in / not_in (and any of several for eq, contains, starts_with, matches). Not used by exists / not_exists.' },
  },
  additionalProperties: false,
} as const;

const ruleSchema = {
  type: 'object',
  title: 'Rule',
  required: ['name', 'when', 'team'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100, title: 'Name', description: 'Recorded with the decision, e.g. `华东区域`.' },
    when: { type: 'array', title: 'When (all hold)', items: conditionSchema, maxItems: 20 },
    team: { ...TEAM_ID, title: 'Team id' },
    strategy: { ...STRATEGY, description: 'Overrides the node’s strategy for this rule.' },
  },
  additionalProperties: false,
} as const;

export const assignNode = defineNode<AssignConfig>({
  id: 'customer.assign',
  version: 1,
  title: 'Assign an owner',
  description:
    'Chooses an owner for each item’s customer: the first rule that matches (region or city, industry, product line, channel, campaign, any item or customer field) names a team, else the default team; inside it, round-robin or least-loaded among the members who are active, not away, under their capacity and (by default) at work now in their own time zone. A customer who already has an active owner keeps them (sticky) unless configured otherwise. Fair under many workers (the team’s turn and the owners’ loads are taken under row locks). The decision and its reason (rule, team, strategy, every member considered and why skipped) are recorded with an `owner_assigned` timeline event; a retried step assigns nothing twice. Emits items with `ownerId`, `teamId`, `owner` (name, email, phone, WeCom userid) and `assignment` on `out`; items nobody could take go to `unassigned` with the reason.',
  category: 'customer',
  locales: assignNodeLocales,
  icon: 'user-check',
  outputs: ['out', 'unassigned', 'error'],
  configSchema: {
    type: 'object',
    properties: {
      rules: { type: 'array', title: 'Rules', description: 'In order; the first whose conditions all hold chooses the team.', items: ruleSchema, maxItems: 200, default: [] },
      defaultTeam: { ...TEAM_ID, title: 'Default team', description: 'When no rule matches. Without one, such customers go to `unassigned`.' },
      strategy: { ...STRATEGY, default: 'round_robin' },
      workingHours: {
        type: 'string',
        enum: ['prefer', 'only', 'ignore'],
        default: 'prefer',
        title: 'Working hours',
        description: '`prefer`: owners at work now (their own working hours and time zone), else anyone eligible; `only`: owners at work now, else `unassigned`; `ignore`. Owners without working hours are always at work.',
      },
      sticky: {
        type: 'string',
        enum: ['keep', 'keep_if_available', 'reassign'],
        default: 'keep',
        title: 'Customers who have an owner',
        description: '`keep` their active owner (a returning customer goes to the same person); `keep_if_available`: unless the owner is away now; `reassign`: decide again every time.',
      },
      closedStages: {
        type: 'array',
        title: 'Closed stages',
        description: 'Customers in these stages no longer count towards an owner’s load and capacity.',
        items: { type: 'string', minLength: 1, maxLength: 100 },
        default: [...DEFAULT_CLOSED_STAGES],
      },
      ownerMatch: {
        type: 'array',
        title: 'Match owners to the customer',
        description: 'Only members whose attribute lists the customer’s value (or `*`), e.g. `{attribute: "regions", field: "city"}` or `{attribute: "productLines", field: "product"}`. A customer without the value can go to anyone.',
        items: {
          type: 'object',
          required: ['attribute', 'field'],
          properties: {
            attribute: { type: 'string', minLength: 1, maxLength: 100, title: 'Owner attribute' },
            field: { type: 'string', minLength: 1, maxLength: 200, title: 'Item or customer field' },
          },
          additionalProperties: false,
        },
        maxItems: 5,
      },
      customerIdField: { type: 'string', minLength: 1, maxLength: 100, default: 'customerId', title: 'Customer id field', description: 'Set by customer.upsert.' },
    },
    additionalProperties: false,
  },
  retry: { maxAttempts: 5, backoffMs: 200, maxBackoffMs: 5000 },
  sample: {
    config: {
      rules: [
        { name: '华东区域', when: [{ field: 'city', op: 'in', value: ['上海', '杭州', '南京', '苏州'] }], team: 'sales-east' },
        { name: '互联网行业', when: [{ field: 'industry', op: 'eq', value: '互联网' }], team: 'sales-internet', strategy: 'least_loaded' },
      ],
      defaultTeam: 'sales-pool',
      strategy: 'round_robin',
      workingHours: 'prefer',
      sticky: 'keep',
      closedStages: ['customer', 'churn_risk', 'churned'],
      customerIdField: 'customerId',
    },
    input: [{ customerId: '0190c6f2-7d1e-7c3a-9f00-000000000001', name: '张三', city: '杭州' }],
  },
  checkConfig(config) {
    const issues: ConfigIssue[] = [];
    if (config.rules.length === 0 && !config.defaultTeam) issues.push({ path: '/defaultTeam', message: 'give rules or a default team: otherwise every customer is unassigned' });
    config.rules.forEach((rule, r) =>
      rule.when.forEach((c, i) => {
        const path = `/rules/${r}/when/${i}`;
        if (c.op !== 'exists' && c.op !== 'not_exists' && (c.value === undefined || c.value === null)) issues.push({ path: `${path}/value`, message: `${c.op} needs a value` });
        if (['gt', 'gte', 'lt', 'lte'].includes(c.op) && !Number.isFinite(Number(c.value))) issues.push({ path: `${path}/value`, message: `${c.op} needs a number` });
        if (c.op === 'matches') {
          for (const v of Array.isArray(c.value) ? c.value : [c.value]) {
            try {
              new RegExp(String(v), 'iu');
            } catch (err) {
              issues.push({ path: `${path}/value`, message: `not a regular expression: ${err instanceof Error ? err.message : String(err)}` });
            }
          }
        }
      }),
    );
    return issues;
  },
  async run(ctx, items) {
    const { config } = ctx;
    const out: Item[] = [];
    const unassigned: Item[] = [];
    const error: Item[] = [];
    const store = ctx.store;
    const pending: { item: Item; request: AssignRequest }[] = [];
    for (const [index, item] of items.entries()) {
      const id = item[config.customerIdField];
      if (typeof id !== 'string' || !id.trim()) {
        error.push(errorItem(item, 'no_customer', `the item has no ${config.customerIdField}: put customer.upsert before customer.assign`));
        continue;
      }
      if (!store.assign) {
        error.push(errorItem(item, 'store_unsupported', 'this customer store cannot assign owners (customer.assign needs the built-in customer store)'));
        continue;
      }
      pending.push({
        item,
        request: {
          customerId: id.trim(),
          fields: item,
          idempotencyKey: ctx.idempotencyKey(index),
          provenance: { source: 'assignment', flowId: ctx.flow.id, flowVersion: ctx.flow.version, runId: ctx.runId, nodeId: ctx.node.id },
        },
      });
    }
    if (pending.length === 0) return { out, unassigned, error };
    const { customerIdField: _, ...policy } = config;
    let outcomes: AssignOutcome[];
    try {
      outcomes = await store.assign!(policy, pending.map((p) => p.request));
    } catch (err) {
      if (err instanceof CustomerStoreError && !err.retryable) throw new NodeError(err.code, err.message, { retryable: false, details: err.details });
      throw err;
    }
    pending.forEach(({ item }, n) => {
      const o = outcomes[n]!;
      if (o.status === 'not_found') {
        error.push(errorItem(item, o.reason.code === 'erased' ? 'customer_erased' : 'customer_not_found', o.reason.message));
        return;
      }
      const assignment = {
        status: o.status,
        ...(o.ownerId ? { ownerId: o.ownerId } : {}),
        ...(o.teamId ? { teamId: o.teamId } : {}),
        ...(o.rule ? { rule: o.rule } : {}),
        ...(o.strategy ? { strategy: o.strategy } : {}),
        ...(o.assignmentId ? { assignmentId: o.assignmentId } : {}),
        previousOwnerId: o.previousOwnerId ?? null,
        code: o.reason.code,
        reason: o.reason.message,
        ...(o.status === 'unassigned' && o.reason.candidates ? { candidates: o.reason.candidates } : {}),
      };
      const emitted: Item = { ...item, [config.customerIdField]: o.customerId, assignment };
      if (o.status === 'unassigned') {
        unassigned.push(emitted);
        return;
      }
      emitted.ownerId = o.ownerId;
      if (o.teamId) emitted.teamId = o.teamId;
      if (o.owner) emitted.owner = { ...o.owner };
      out.push(emitted);
    });
    return { out, unassigned, error };
  },
});
