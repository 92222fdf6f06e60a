import type { Item } from '@tributary/engine';
import { matchCondition, type ScoringCustomer } from './rule-condition.util.js';
import { DEFAULT_STAGE_ORDER } from './scoring.defaults.js';
import type { AppliedRule, Crossing, ExpressionFn, RulesModelConfig } from './scoring.types.js';
import { applyThresholds } from './thresholds.util.js';

const DAY_MS = 86_400_000;

/** How often a rule was applied to a customer; for inactivity, also in the current silence. */
export interface RuleCounter {
  times: number;
  /** Inactivity: the start of the silence spellTimes counts (ISO), else null. */
  spellAt: string | null;
  spellTimes: number;
}

/** What the timeline says about one inactivity rule for one customer. */
export interface InactivityFact {
  /** The latest event of the rule's activity types. */
  lastActivityAt: string | null;
  /** The latest event of its `since` types (only read when it has some). */
  lastSinceAt: string | null;
}

export interface ScoringCustomerState extends ScoringCustomer {
  scoreUpdatedAt: string | null;
}

export interface EvaluationInput {
  config: RulesModelConfig;
  customer: ScoringCustomerState;
  /** The item being scored; absent in a batch rescore, where only decay, inactivity and thresholds apply. */
  item?: Item;
  eventType?: string;
  /** Counters by rule id (those of merged-away customers included). */
  counters: ReadonlyMap<string, RuleCounter>;
  /** Per config.inactivity entry, in order. */
  inactivity: InactivityFact[];
  now: Date;
  evaluate?: ExpressionFn;
}

export interface Evaluation {
  before: { score: number; priority: string | null; stage: string; tags: string[] };
  after: { score: number; priority: string | null; stage: string; tags: string[] };
  delta: number;
  rules: AppliedRule[];
  crossed: Crossing[];
  /** Counters to store for the rules applied (increments, not totals). */
  increments: Map<string, { times: number; spellAt: string | null; spellTimes: number | null }>;
  /** Score, priority, stage or tags moved: a score_changed event explains it. */
  changed: boolean;
  /** The score moved (score_updated_at is set to now). */
  scoreChanged: boolean;
  stageChanged: boolean;
  /** The threshold that moved the stage. */
  stageBy?: string;
}

/**
 * The rules model for one customer, pure: decay since score_updated_at, then the item's
 * rules in order (each under its once-per-customer / maxTimes limit), then inactivity,
 * then floor and cap; thresholds map the result to priority, stage and tags. Throws what
 * a JSONata condition throws.
 */
export async function evaluateRules(input: EvaluationInput): Promise<Evaluation> {
  const { config, customer, now } = input;
  const rules: AppliedRule[] = [];
  const increments: Evaluation['increments'] = new Map();
  let score = customer.score;

  const halfLife = config.decay?.halfLifeDays;
  let decay: AppliedRule | undefined;
  if (halfLife && halfLife > 0 && score !== 0 && customer.scoreUpdatedAt) {
    const days = (now.getTime() - Date.parse(customer.scoreUpdatedAt)) / DAY_MS;
    if (days > 0) {
      const decayed = Math.sign(score) * Math.round(Math.abs(score) * 0.5 ** (days / halfLife));
      // Below half a point nothing moves, and score_updated_at stays, so small steps add up.
      if (decayed !== score) {
        decay = { rule: 'decay', points: decayed - score, reason: `half-life ${halfLife} days, ${round1(days)} days since the last change: ${score} → ${decayed}` };
        rules.push(decay);
        score = decayed;
      }
    }
  }

  if (input.item) {
    for (const rule of config.rules ?? []) {
      const limit = rule.oncePerCustomer ? 1 : rule.maxTimes;
      const counter = input.counters.get(rule.id);
      const applied = (counter?.times ?? 0) + (increments.get(rule.id)?.times ?? 0);
      if (limit !== undefined && applied >= limit) continue;
      const m = await matchCondition(rule.when, { item: input.item, eventType: input.eventType, customer: { ...customer, score }, evaluate: input.evaluate });
      if (!m.matched) continue;
      const entry: AppliedRule = { rule: rule.id, points: rule.points, reason: limit !== undefined ? `${m.reason} (${applied + 1} of at most ${limit})` : m.reason };
      if (rule.title) entry.title = rule.title;
      rules.push(entry);
      score += rule.points;
      increments.set(rule.id, { times: 1, spellAt: null, spellTimes: null });
    }
  }

  (config.inactivity ?? []).forEach((rule, i) => {
    const fact = input.inactivity[i] ?? { lastActivityAt: null, lastSinceAt: null };
    let anchor: string;
    let what: string;
    if (rule.since?.length) {
      if (!fact.lastSinceAt) return;
      if (fact.lastActivityAt && fact.lastActivityAt >= fact.lastSinceAt) return;
      anchor = fact.lastSinceAt;
      what = `no ${rule.activity.join('/')} since ${rule.since.join('/')} at ${anchor}`;
    } else {
      anchor = fact.lastActivityAt ?? customer.createdAt;
      what = fact.lastActivityAt ? `no ${rule.activity.join('/')} since ${anchor}` : `no ${rule.activity.join('/')} since the customer was created at ${anchor}`;
    }
    const elapsed = (now.getTime() - Date.parse(anchor)) / DAY_MS;
    if (elapsed < rule.days) return;
    let due = rule.repeatEveryDays ? 1 + Math.floor((elapsed - rule.days) / rule.repeatEveryDays) : 1;
    if (rule.maxTimes !== undefined) due = Math.min(due, rule.maxTimes);
    const counter = input.counters.get(rule.id);
    const done = counter?.spellAt === anchor ? counter.spellTimes : 0;
    const n = due - done;
    if (n <= 0) return;
    const entry: AppliedRule = { rule: rule.id, points: rule.points * n, reason: `${what} (${round1(elapsed)} days, rule: ${rule.days})` };
    if (rule.title) entry.title = rule.title;
    if (n > 1 || rule.repeatEveryDays) entry.times = n;
    rules.push(entry);
    score += rule.points * n;
    increments.set(rule.id, { times: n, spellAt: anchor, spellTimes: done + n });
  });

  // Decay alone waits until it is worth minPoints (fewer timeline events); with other points it always goes along.
  if (decay && rules.length === 1 && Math.abs(decay.points) < (config.decay?.minPoints ?? 1)) {
    rules.length = 0;
    score = customer.score;
  }

  if (config.floor !== undefined && score < config.floor) {
    rules.push({ rule: 'floor', points: config.floor - score, reason: `score kept at the floor of ${config.floor}` });
    score = config.floor;
  }
  if (config.cap !== undefined && score > config.cap) {
    rules.push({ rule: 'cap', points: config.cap - score, reason: `score capped at ${config.cap}` });
    score = config.cap;
  }

  const before = { score: customer.score, priority: customer.priority, stage: customer.stage, tags: customer.tags };
  const t = applyThresholds(config.thresholds ?? [], before, score, config.stageOrder ?? DEFAULT_STAGE_ORDER);
  const after = { score, priority: t.priority, stage: t.stage, tags: t.tags };
  const scoreChanged = score !== customer.score;
  const stageChanged = t.stage !== customer.stage;
  const tagsChanged = t.tags.length !== customer.tags.length || t.tags.some((x, i) => x !== customer.tags[i]);
  // A rule that applied for zero net points still counts (once-per-customer), so it is recorded too.
  const changed = scoreChanged || stageChanged || t.priority !== customer.priority || tagsChanged || increments.size > 0;
  const evaluation: Evaluation = { before, after, delta: score - customer.score, rules, crossed: t.crossed, increments, changed, scoreChanged, stageChanged };
  if (t.stageBy) evaluation.stageBy = t.stageBy;
  return evaluation;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
