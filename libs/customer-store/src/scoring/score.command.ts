import type { QueryRunner } from 'typeorm';
import { isUuid } from '../util/uuid-v7.util.js';
import { evaluateRules, type RuleCounter, type ScoringCustomerState } from './rules-model.evaluator.js';
import { writeScoreChanges, type ScoreChange } from './score-write.util.js';
import { countedRuleIds, loadScoringFacts, lockCustomers, scoringCustomer, survivorsOf } from './scoring-rows.util.js';
import type { AppliedRule, Crossing, ScoreOutcome, ScoreRequest } from './scoring.types.js';

/**
 * The rules model over a batch of items, in one transaction the caller opened: follow
 * merged ids to their survivors, lock those customers (ascending id), read replays,
 * counters and inactivity facts after the locks, evaluate each item in order against the
 * customer as the earlier items left it, and write every change in one statement.
 * Outcomes are in item order.
 */
export async function runScore(q: QueryRunner, request: ScoreRequest, now: Date): Promise<ScoreOutcome[]> {
  const { config, items } = request;
  const asked = [...new Set(items.map((i) => i.customerId).filter(isUuid))];
  const survivors = await survivorsOf(q, asked);
  const locked = await lockCustomers(q, [...new Set(survivors.values())]);
  const ids = [...locked.keys()];
  const counted = countedRuleIds(config);
  const facts = await loadScoringFacts(
    q,
    ids,
    items.map((i) => i.idempotencyKey),
    counted,
    config.inactivity ?? [],
  );

  const state = new Map<string, ScoringCustomerState>();
  for (const [id, row] of locked) state.set(id, scoringCustomer(row));
  const counters = new Map<string, Map<string, RuleCounter>>();
  for (const id of ids) counters.set(id, new Map(facts.counters.get(id) ?? []));

  const outcomes: ScoreOutcome[] = [];
  const changes: ScoreChange[] = [];
  const seenKeys = new Set<string>();
  for (const it of items) {
    const survivor = isUuid(it.customerId) ? survivors.get(it.customerId) : undefined;
    const customer = survivor ? state.get(survivor) : undefined;
    if (!survivor || !customer) {
      outcomes.push(notFound(it.customerId));
      continue;
    }
    const replay = facts.replays.get(it.idempotencyKey);
    if (replay !== undefined || seenKeys.has(it.idempotencyKey)) {
      outcomes.push(replayed(survivor, customer, replay ?? null));
      continue;
    }
    seenKeys.add(it.idempotencyKey);
    let evaluation;
    try {
      evaluation = await evaluateRules({
        config,
        customer,
        item: it.item,
        eventType: it.eventType,
        counters: counters.get(survivor)!,
        inactivity: facts.inactivity.get(survivor) ?? [],
        now,
        evaluate: request.evaluate,
      });
    } catch (err) {
      outcomes.push({ ...current(survivor, customer), status: 'failed', error: { code: 'condition_failed', message: err instanceof Error ? err.message : String(err) } });
      continue;
    }
    if (evaluation.changed) {
      changes.push({ customerId: survivor, idempotencyKey: it.idempotencyKey, evaluation, eventType: it.eventType });
      // Later items of this batch see the customer as this one left it.
      state.set(survivor, {
        ...customer,
        ...evaluation.after,
        scoreUpdatedAt: evaluation.scoreChanged ? now.toISOString() : customer.scoreUpdatedAt,
      });
      const byRule = counters.get(survivor)!;
      for (const [rule, inc] of evaluation.increments) {
        const had = byRule.get(rule);
        byRule.set(rule, {
          times: (had?.times ?? 0) + inc.times,
          spellAt: inc.spellAt ?? had?.spellAt ?? null,
          spellTimes: inc.spellTimes ?? had?.spellTimes ?? 0,
        });
      }
    }
    outcomes.push({
      status: 'scored',
      customerId: survivor,
      score: evaluation.after.score,
      scoreDelta: evaluation.delta,
      priority: evaluation.after.priority,
      stage: evaluation.after.stage,
      tags: evaluation.after.tags,
      rules: evaluation.rules,
      crossed: evaluation.crossed,
      changed: evaluation.changed,
    });
  }
  await writeScoreChanges(q, changes, new Set(counted), request.provenance, now);
  return outcomes;
}

function current(customerId: string, c: ScoringCustomerState): Omit<ScoreOutcome, 'status'> {
  return { customerId, score: c.score, scoreDelta: 0, priority: c.priority, stage: c.stage, tags: c.tags, rules: [], crossed: [], changed: false };
}

function notFound(customerId: string): ScoreOutcome {
  return { status: 'not_found', customerId, score: 0, scoreDelta: 0, priority: null, stage: '', tags: [], rules: [], crossed: [], changed: false };
}

/** What the first attempt answered, from its event. */
function replayed(customerId: string, c: ScoringCustomerState, payload: Record<string, unknown> | null): ScoreOutcome {
  if (!payload) return { ...current(customerId, c), status: 'replayed' };
  return {
    status: 'replayed',
    customerId,
    score: Number(payload.after ?? c.score),
    scoreDelta: Number(payload.delta ?? 0),
    priority: (payload.priority as string | null | undefined) ?? null,
    stage: (payload.stage as string | undefined) ?? c.stage,
    tags: (payload.tags as string[] | undefined) ?? c.tags,
    rules: (payload.rules as AppliedRule[] | undefined) ?? [],
    crossed: (payload.crossed as Crossing[] | undefined) ?? [],
    changed: true,
  };
}
