import { describe, expect, it } from '@jest/globals';
import type { AssignmentPolicy, AssignOutcome, AssignRequest } from '@tributary/engine';
import { checkNodeConfig } from '@tributary/engine';
import { describeNodeContract, InMemoryCustomerStore, runNode } from '@tributary/node-sdk';
import { assignNode } from './assign.node.js';

/** Answers assign calls from a script, and records what the node asked. */
class ScriptedStore extends InMemoryCustomerStore {
  readonly calls: { policy: AssignmentPolicy; requests: AssignRequest[] }[] = [];
  constructor(private readonly answer: (r: AssignRequest) => AssignOutcome) {
    super();
  }
  async assign(policy: AssignmentPolicy, requests: AssignRequest[]): Promise<AssignOutcome[]> {
    this.calls.push({ policy, requests });
    return requests.map(this.answer);
  }
}

const owner = { id: 'li.lei', name: '李雷', email: 'lilei@corp.cn', phone: null, wecomUserId: 'LiLei' };

await describeNodeContract(assignNode, {
  now: new Date('2026-03-02T02:00:00Z'),
  store: new ScriptedStore((r) => ({ status: 'assigned', customerId: r.customerId, ownerId: 'li.lei', teamId: 'sales-east', reason: { code: 'rule_matched', message: 'm' }, owner })),
});

describe('customer.assign', () => {
  it('hands the policy and one keyed request per item to the store, and sorts the answers into ports', async () => {
    const store = new ScriptedStore((r) =>
      r.customerId === 'c1'
        ? { status: 'assigned', customerId: 'c1', ownerId: 'li.lei', teamId: 'east', rule: '华东', strategy: 'round_robin', assignmentId: 'a1', previousOwnerId: null, reason: { code: 'rule_matched', message: 'rule "华东" matched' }, owner }
        : r.customerId === 'c2'
          ? { status: 'kept', customerId: 'c2-survivor', ownerId: 'li.lei', previousOwnerId: 'li.lei', reason: { code: 'sticky', message: 'kept' }, owner }
          : r.customerId === 'c3'
            ? { status: 'unassigned', customerId: 'c3', teamId: 'east', previousOwnerId: null, reason: { code: 'no_eligible_owner', message: 'nobody', candidates: [{ ownerId: 'li.lei', load: 3, capacity: 3, atWork: true, skipped: 'at_capacity' }] } }
            : { status: 'not_found', customerId: r.customerId, reason: { code: 'not_found', message: `no customer ${r.customerId}` } },
    );
    const config = { rules: [{ name: '华东', when: [{ field: 'city', op: 'eq', value: '上海' }], team: 'east' }], defaultTeam: 'pool' };
    const r = await runNode(assignNode, {
      config,
      items: [{ customerId: 'c1', city: '上海' }, { customerId: 'c2' }, { name: 'no id' }, { customerId: 'c3' }, { customerId: 'c4' }],
      store,
      runId: 'run-9',
      nodeId: 'assign',
    });
    expect(store.calls).toHaveLength(1);
    expect(store.calls[0]!.policy).toEqual({ ...config, strategy: 'round_robin', workingHours: 'prefer', sticky: 'keep', closedStages: ['customer', 'churn_risk', 'churned'] });
    expect(store.calls[0]!.requests.map((q) => [q.customerId, q.idempotencyKey])).toEqual([
      ['c1', 'run-9:assign:0'],
      ['c2', 'run-9:assign:1'],
      ['c3', 'run-9:assign:3'],
      ['c4', 'run-9:assign:4'],
    ]);
    expect(store.calls[0]!.requests[0]).toMatchObject({ fields: { customerId: 'c1', city: '上海' }, provenance: { source: 'assignment', runId: 'run-9', nodeId: 'assign' } });
    expect(r.out).toEqual([
      {
        customerId: 'c1',
        city: '上海',
        ownerId: 'li.lei',
        teamId: 'east',
        owner,
        assignment: { status: 'assigned', ownerId: 'li.lei', teamId: 'east', rule: '华东', strategy: 'round_robin', assignmentId: 'a1', previousOwnerId: null, code: 'rule_matched', reason: 'rule "华东" matched' },
      },
      { customerId: 'c2-survivor', ownerId: 'li.lei', owner, assignment: { status: 'kept', ownerId: 'li.lei', previousOwnerId: 'li.lei', code: 'sticky', reason: 'kept' } },
    ]);
    expect(r.unassigned).toEqual([
      {
        customerId: 'c3',
        assignment: {
          status: 'unassigned',
          teamId: 'east',
          previousOwnerId: null,
          code: 'no_eligible_owner',
          reason: 'nobody',
          candidates: [{ ownerId: 'li.lei', load: 3, capacity: 3, atWork: true, skipped: 'at_capacity' }],
        },
      },
    ]);
    expect(r.error!.map((e) => (e as { error: { code: string } }).error.code)).toEqual(['no_customer', 'customer_not_found']);
  });

  it('sends items to error when the store cannot assign', async () => {
    const r = await runNode(assignNode, { config: { defaultTeam: 'pool' }, items: [{ customerId: 'c1' }] });
    expect(r.error).toEqual([{ item: { customerId: 'c1' }, error: { code: 'store_unsupported', message: expect.any(String) } }]);
  });

  it('checks what the schema cannot', () => {
    const issues = (config: Record<string, unknown>) => checkNodeConfig(assignNode, config).checkIssues.map((i) => i.path);
    expect(issues({})).toEqual(['/defaultTeam']);
    expect(
      issues({
        rules: [
          { name: 'a', team: 't', when: [{ field: 'x', op: 'eq' }, { field: 'x', op: 'gt', value: 'many' }, { field: 'x', op: 'matches', value: '([' }, { field: 'x', op: 'exists' }] },
        ],
      }),
    ).toEqual(['/rules/0/when/0/value', '/rules/0/when/1/value', '/rules/0/when/2/value']);
    expect(checkNodeConfig(assignNode, { defaultTeam: 'pool', strategy: 'random' }).schemaIssues.map((i) => i.path)).toEqual(['/strategy']);
  });
});
