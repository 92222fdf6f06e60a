import type { AssignmentCandidate, AssignmentPolicy, AssignmentStrategy, AssignOutcome, AssignRequest } from '@tributary/engine';
import type { QueryRunner } from 'typeorm';
import { CustomerStoreError } from '../customer-store.errors.js';
import { attributeValues } from '../attribute-merge.util.js';
import type { AttributeMap } from '../customer-store.types.js';
import { contactOf, loadOwners, type OwnerRow } from '../owners/owner-row.query.js';
import { isUuid, uuidv7 } from '../util/uuid-v7.util.js';
import { CONDITION_OPS, ownerCovers, pickTeam, ruleProblems, type RuleSubject } from './assignment-rules.js';
import { followToSurvivors } from './live-customer.query.js';
import { chooseOwner, type MemberState } from './owner-choice.js';

interface CustomerRow {
  id: string;
  owner_id: string | null;
  stage: string;
  score: number;
  priority: string | null;
  tags: string[];
  first_channel: string | null;
  attributes: AttributeMap;
  merged_into: string | null;
  erased_at: Date | null;
}

interface AssignmentRow {
  id: string;
  customer_id: string;
  owner_id: string | null;
  team_id: string | null;
  previous_owner_id: string | null;
  strategy: string;
  rule: string | null;
  reason: AssignOutcome['reason'];
  idempotency_key: string;
}

/** One decision to write: an assignments row, and for an owner, the customer and its timeline. */
interface Decision {
  request: AssignRequest;
  outcome: AssignOutcome;
}

const STRATEGIES = new Set(['round_robin', 'least_loaded']);

/** Throws invalid_input when a policy cannot be applied (the node's config schema catches most of this first). */
export function checkPolicy(policy: AssignmentPolicy): void {
  const problems: string[] = [];
  if (!policy || typeof policy !== 'object') throw new CustomerStoreError('invalid_input', 'policy must be an object');
  if (!Array.isArray(policy.rules)) problems.push('rules must be an array');
  else
    policy.rules.forEach((r, i) => {
      if (!r || typeof r.team !== 'string' || !r.team) problems.push(`rules/${i}: team is required`);
      if (!r || !Array.isArray(r.when)) problems.push(`rules/${i}: when must be an array`);
      else r.when.forEach((c, j) => (!c || typeof c.field !== 'string' || !CONDITION_OPS.includes(c.op) ? problems.push(`rules/${i}/when/${j}: needs a field and a known op`) : undefined));
      if (r?.strategy !== undefined && !STRATEGIES.has(r.strategy)) problems.push(`rules/${i}: unknown strategy ${String(r.strategy)}`);
    });
  if (!STRATEGIES.has(policy.strategy)) problems.push(`unknown strategy ${String(policy.strategy)}`);
  if (!['prefer', 'only', 'ignore'].includes(policy.workingHours)) problems.push('workingHours must be prefer, only or ignore');
  if (!['keep', 'keep_if_available', 'reassign'].includes(policy.sticky)) problems.push('sticky must be keep, keep_if_available or reassign');
  if (!Array.isArray(policy.closedStages)) problems.push('closedStages must be an array');
  if (problems.length === 0 && Array.isArray(policy.rules)) problems.push(...ruleProblems(policy.rules).map((p) => `${p.path.slice(1)}: ${p.message}`));
  if (problems.length > 0) throw new CustomerStoreError('invalid_input', `invalid assignment policy: ${problems.join('; ')}`, { problems });
}

/**
 * Assigns each request's customer, in request order, inside the caller's transaction. Locks,
 * always in this order so concurrent calls cannot deadlock: the customers (by id), then the
 * teams involved (by id: round-robin pointers), then their members (by id) when loads matter
 * (least-loaded, capacities), so that counting a load and adding to it is atomic across
 * workers. A request whose idempotency key is already recorded answers with that decision.
 */
export async function runAssign(q: QueryRunner, policy: AssignmentPolicy, requests: AssignRequest[], now: Date): Promise<AssignOutcome[]> {
  const outcomes: (AssignOutcome | undefined)[] = new Array(requests.length);
  const at = now.toISOString();

  // 1. The live customer of each request (merged ids followed), locked.
  const asked = [...new Set(requests.map((r) => r.customerId).filter(isUuid))];
  const survivors = await followToSurvivors(q, asked);
  const liveIds = [...new Set([...survivors.values()].filter((s) => s !== 'erased'))].sort();
  const customers = new Map<string, CustomerRow>();
  if (liveIds.length > 0) {
    const rows: CustomerRow[] = await q.query(
      `SELECT id, owner_id, stage, score, priority, tags, first_channel, attributes, merged_into, erased_at
         FROM customers WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`,
      [liveIds],
    );
    // Merged while we waited for the lock: start again (the store retries identity_race).
    if (rows.some((r) => r.merged_into)) throw new CustomerStoreError('identity_race', 'a customer was merged during assignment');
    for (const r of rows) customers.set(r.id, r);
  }

  // 2. Retried steps: the decision already recorded.
  const replayRows: AssignmentRow[] = await q.query(
    `SELECT id, customer_id, owner_id, team_id, previous_owner_id, strategy, rule, reason, idempotency_key FROM assignments WHERE idempotency_key = ANY($1::text[])`,
    [requests.map((r) => r.idempotencyKey)],
  );
  const replays = new Map(replayRows.map((r) => [r.idempotency_key, r]));

  // 3. Which team each remaining request would go to (rules read the customer as it is now).
  const subjects = new Map<number, RuleSubject>();
  const teamOf = new Map<number, { team: string; rule: string; strategy: AssignmentStrategy }>();
  requests.forEach((req, i) => {
    const replay = replays.get(req.idempotencyKey);
    if (replay) {
      outcomes[i] = fromReplay(replay);
      return;
    }
    const live = survivors.get(req.customerId);
    const c = typeof live === 'string' ? customers.get(live) : undefined;
    if (!c || c.erased_at) {
      const erased = live === 'erased' || !!c?.erased_at;
      outcomes[i] = {
        status: 'not_found',
        customerId: req.customerId,
        reason: { code: erased ? 'erased' : 'not_found', message: erased ? `customer ${req.customerId} was erased` : `no customer ${req.customerId}` },
      };
      return;
    }
    const subject = subjectOf(req, c);
    subjects.set(i, subject);
    const picked = pickTeam(policy, subject);
    if (picked) teamOf.set(i, { team: picked.team, rule: picked.rule, strategy: picked.ruleDef?.strategy ?? policy.strategy });
  });

  // 4. Current owners (sticky), teams and their members, locked in a fixed order.
  const currentOwnerIds = [...new Set([...customers.values()].map((c) => c.owner_id).filter((o): o is string => !!o))];
  const owners = new Map<string, OwnerRow>();
  await loadOwners(q, currentOwnerIds, owners, false);
  const teamIds = [...new Set([...teamOf.values()].map((t) => t.team))].sort();
  const pointers = new Map<string, number>();
  const startPointers = new Map<string, number>();
  const members = new Map<string, string[]>();
  if (teamIds.length > 0) {
    const teams: { id: string; rr_position: string }[] = await q.query(`SELECT id, rr_position FROM teams WHERE id = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE`, [teamIds]);
    for (const t of teams) {
      pointers.set(t.id, Number(t.rr_position));
      startPointers.set(t.id, Number(t.rr_position));
      members.set(t.id, []);
    }
    const rows: { team_id: string; owner_id: string }[] = await q.query(
      `SELECT team_id, owner_id FROM team_members WHERE team_id = ANY($1::text[]) ORDER BY team_id, position, owner_id`,
      [teams.map((t) => t.id)],
    );
    for (const r of rows) members.get(r.team_id)!.push(r.owner_id);
  }
  const memberIds = [...new Set([...members.values()].flat())];
  await loadOwners(q, memberIds, owners, false);
  const countLoads =
    [...teamOf.values()].some((t) => t.strategy === 'least_loaded' && (members.get(t.team)?.length ?? 0) > 0) || memberIds.some((id) => (owners.get(id)?.capacity ?? null) !== null);
  const loads = new Map<string, number>();
  if (countLoads && memberIds.length > 0) {
    // Locked, then re-read: a concurrent assignment to a shared member has committed by now.
    await loadOwners(q, memberIds, owners, true);
    // Only members who can take a customer at all: an index-only scan over their open customers.
    const countable = memberIds.filter((id) => owners.get(id)?.active && !(owners.get(id)!.away_until && owners.get(id)!.away_until!.getTime() > now.getTime()));
    const rows: { owner_id: string; n: number }[] = countable.length
      ? await q.query(
          `SELECT owner_id, count(*)::int AS n FROM customers
            WHERE owner_id = ANY($1::text[]) AND merged_into IS NULL AND erased_at IS NULL AND NOT (stage = ANY($2::text[]))
            GROUP BY owner_id`,
          [countable, policy.closedStages],
        )
      : [];
    for (const id of countable) loads.set(id, 0);
    for (const r of rows) loads.set(r.owner_id, r.n);
  }
  const closed = new Set(policy.closedStages);

  // 5. Decide, in request order; later requests see earlier decisions (owners, loads, pointers).
  const decisions: Decision[] = [];
  requests.forEach((req, i) => {
    if (outcomes[i]) return;
    const live = survivors.get(req.customerId) as string;
    const c = customers.get(live)!;
    const current = c.owner_id ? owners.get(c.owner_id) : undefined;
    const away = !!current?.away_until && current.away_until.getTime() > now.getTime();
    if (policy.sticky !== 'reassign' && current?.active && (policy.sticky === 'keep' || !away)) {
      outcomes[i] = {
        status: 'kept',
        customerId: c.id,
        ownerId: current.id,
        previousOwnerId: current.id,
        reason: { code: 'sticky', message: `kept owner ${current.id}: the customer already has an active owner${away ? ' (away now)' : ''}` },
      };
      return;
    }
    const target = teamOf.get(i);
    const base = { customerId: c.id, previousOwnerId: c.owner_id };
    let outcome: AssignOutcome;
    if (!target) {
      outcome = { ...base, status: 'unassigned', strategy: policy.strategy, reason: { code: 'no_rule_matched', message: 'no rule matched and there is no default team' } };
    } else if (!pointers.has(target.team)) {
      outcome = { ...base, status: 'unassigned', teamId: target.team, rule: target.rule, strategy: target.strategy, reason: { code: 'team_not_found', message: `team ${target.team} does not exist` } };
    } else {
      const ids = members.get(target.team)!;
      const states: MemberState[] = ids.map((id) => {
        const o = owners.get(id)!;
        const matches = (policy.ownerMatch ?? []).every((m) => ownerCovers(o.attributes?.[m.attribute], m.field, subjects.get(i)!));
        return { ownerId: id, active: o.active, awayUntil: o.away_until, capacity: o.capacity, workingHours: o.working_hours, load: loads.get(id) ?? null, matches };
      });
      const choice = chooseOwner(states, pointers.get(target.team)!, target.strategy, policy.workingHours, now);
      const how = `${target.rule === 'default' ? 'no rule matched, default team' : `rule "${target.rule}" matched: team`} ${target.team}, ${target.strategy}`;
      if (choice.ownerId) {
        pointers.set(target.team, pointers.get(target.team)! + choice.advance);
        outcome = {
          ...base,
          status: 'assigned',
          ownerId: choice.ownerId,
          teamId: target.team,
          rule: target.rule,
          strategy: target.strategy,
          assignmentId: uuidv7(now.getTime()),
          reason: {
            code: target.rule === 'default' ? 'default_team' : 'rule_matched',
            message: `${how} → ${choice.ownerId}${choice.offHours ? ' (nobody eligible at work now: chosen off hours)' : ''}`,
            candidates: choice.candidates,
          },
        };
        // What the next request in this batch sees.
        if (!closed.has(c.stage) && countLoads) {
          if (c.owner_id && loads.has(c.owner_id)) loads.set(c.owner_id, loads.get(c.owner_id)! - 1);
          loads.set(choice.ownerId, (loads.get(choice.ownerId) ?? 0) + 1);
        }
        c.owner_id = choice.ownerId;
      } else {
        outcome = {
          ...base,
          status: 'unassigned',
          teamId: target.team,
          rule: target.rule,
          strategy: target.strategy,
          reason:
            ids.length === 0
              ? { code: 'team_empty', message: `${how}: the team has no members` }
              : { code: 'no_eligible_owner', message: `${how}: nobody is eligible (${describeSkips(choice.candidates)})`, candidates: choice.candidates },
        };
      }
    }
    if (outcome.status === 'assigned' || outcome.status === 'unassigned') outcome.assignmentId ??= uuidv7(now.getTime());
    outcomes[i] = outcome;
    decisions.push({ request: req, outcome });
  });

  // 6. Write every decision in one statement: assignments, owners, timeline, pointers.
  if (decisions.length > 0) await writeDecisions(q, decisions, startPointers, pointers, at);

  // 7. Contacts of the owners named.
  const named = [...new Set(outcomes.map((o) => o?.ownerId).filter((o): o is string => !!o))].filter((id) => !owners.has(id));
  await loadOwners(q, named, owners, false);
  return outcomes.map((o) => {
    const owner = o!.ownerId ? owners.get(o!.ownerId) : undefined;
    return owner ? { ...o!, owner: contactOf(owner) } : o!;
  });
}

async function writeDecisions(q: QueryRunner, decisions: Decision[], startPointers: Map<string, number>, pointers: Map<string, number>, at: string): Promise<void> {
  const rows = decisions.map(({ request: r, outcome: o }) => ({
    id: o.assignmentId,
    customer_id: o.customerId,
    owner_id: o.status === 'assigned' ? o.ownerId : null,
    team_id: o.teamId ?? null,
    previous_owner_id: o.previousOwnerId ?? null,
    strategy: o.strategy ?? 'round_robin',
    rule: o.rule ?? null,
    reason: o.reason,
    run_id: r.provenance.runId || null,
    idempotency_key: r.idempotencyKey,
    event_key: `${r.idempotencyKey}:owner_assigned`,
    event: o.status === 'assigned' ? { assignmentId: o.assignmentId, ownerId: o.ownerId, previousOwnerId: o.previousOwnerId ?? null, teamId: o.teamId, rule: o.rule, strategy: o.strategy, reason: o.reason } : null,
    source: r.provenance.source || 'assignment',
    flow_id: r.provenance.flowId || null,
    flow_version: r.provenance.flowVersion || null,
    node_id: r.provenance.nodeId || null,
  }));
  // The last decision per customer is where it ends up.
  const finalOwner = new Map<string, string>();
  for (const d of decisions) if (d.outcome.status === 'assigned') finalOwner.set(d.outcome.customerId, d.outcome.ownerId!);
  const moved = [...pointers].filter(([id, p]) => p !== startPointers.get(id)).map(([id, position]) => ({ id, position }));
  await q.query(
    `WITH d AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS d(id uuid, customer_id uuid, owner_id text, team_id text, previous_owner_id text, strategy text, rule text,
              reason jsonb, run_id text, idempotency_key text, event_key text, event jsonb, source text, flow_id text, flow_version integer, node_id text)
     ), a AS (
       INSERT INTO assignments (id, customer_id, owner_id, team_id, previous_owner_id, strategy, rule, reason, run_id, idempotency_key, assigned_at)
       SELECT id, customer_id, owner_id, team_id, previous_owner_id, strategy, rule, reason, run_id, idempotency_key, $4::timestamptz FROM d
       ON CONFLICT (idempotency_key) DO NOTHING
     ), e AS (
       INSERT INTO customer_events (customer_id, type, occurred_at, payload, source, flow_id, flow_version, run_id, node_id, idempotency_key)
       SELECT customer_id, 'owner_assigned', $4::timestamptz, event, source, flow_id, flow_version, run_id, node_id, event_key FROM d WHERE event IS NOT NULL
       ON CONFLICT (idempotency_key) DO NOTHING
     ), c AS (
       UPDATE customers SET owner_id = f.owner_id, assigned_at = $4::timestamptz, updated_at = $4::timestamptz, version = version + 1
         FROM jsonb_to_recordset($2::jsonb) AS f(customer_id uuid, owner_id text) WHERE customers.id = f.customer_id
     )
     UPDATE teams SET rr_position = p.position FROM jsonb_to_recordset($3::jsonb) AS p(id text, position bigint) WHERE teams.id = p.id`,
    [JSON.stringify(rows), JSON.stringify([...finalOwner].map(([customer_id, owner_id]) => ({ customer_id, owner_id }))), JSON.stringify(moved), at],
  );
}

function subjectOf(req: AssignRequest, c: CustomerRow): RuleSubject {
  const attributes = attributeValues(c.attributes);
  return {
    item: req.fields ?? {},
    customer: { stage: c.stage, score: c.score, priority: c.priority, tags: c.tags ?? [], firstChannel: c.first_channel, ownerId: c.owner_id, attributes },
  };
}

function fromReplay(r: AssignmentRow): AssignOutcome {
  const base: AssignOutcome = {
    status: r.owner_id ? 'assigned' : 'unassigned',
    customerId: r.customer_id,
    previousOwnerId: r.previous_owner_id,
    strategy: r.strategy,
    assignmentId: r.id,
    reason: r.reason,
    replayed: true,
  };
  if (r.owner_id) base.ownerId = r.owner_id;
  if (r.team_id) base.teamId = r.team_id;
  if (r.rule) base.rule = r.rule;
  return base;
}

function describeSkips(candidates: AssignmentCandidate[]): string {
  return candidates
    .map((c) => `${c.ownerId} ${c.skipped === 'at_capacity' ? `at capacity (${c.load}/${c.capacity})` : c.skipped === 'off_hours' ? 'off hours' : c.skipped === 'no_match' ? 'does not cover this customer' : (c.skipped ?? 'eligible')}`)
    .join(', ');
}
