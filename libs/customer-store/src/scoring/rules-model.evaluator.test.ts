import { describe, expect, it } from '@jest/globals';
import { createExpressionEvaluator } from '@tributary/engine';
import { evaluateRules, type EvaluationInput, type ScoringCustomerState } from './rules-model.evaluator.js';
import { matchAttribute } from './rule-condition.util.js';
import type { RulesModelConfig } from './scoring.types.js';
import { applyThresholds } from './thresholds.util.js';

const now = new Date('2026-03-10T00:00:00.000Z');
const customer = (over: Partial<ScoringCustomerState> = {}): ScoringCustomerState => ({
  id: 'c1',
  score: 0,
  stage: 'lead',
  priority: null,
  tags: [],
  ownerId: null,
  firstChannel: 'webform',
  createdAt: '2026-03-01T00:00:00.000Z',
  lastInteractionAt: null,
  attributes: {},
  scoreUpdatedAt: null,
  ...over,
});
const run = (config: RulesModelConfig, over: Partial<EvaluationInput> = {}) =>
  evaluateRules({ config, customer: customer(), item: {}, counters: new Map(), inactivity: [], now, ...over });

describe('the rules model', () => {
  it('adds the points of each rule that holds, in order, and says why', async () => {
    const config: RulesModelConfig = {
      rules: [
        { id: 'trial', title: '提交试用', when: { eventTypes: ['trial_form_submitted'] }, points: 30 },
        { id: 'paper', when: { eventTypes: ['whitepaper_downloaded'] }, points: 10 },
        { id: 'director', when: { attributes: [{ field: 'title', contains: '总监' }] }, points: 5 },
        { id: 'big_budget', when: { attributes: [{ field: 'budget', gte: 100000 }], eventTypes: ['trial_form_submitted'] }, points: 15 },
        { id: 'no_email', when: { attributes: [{ field: 'email', exists: false }] }, points: -3 },
      ],
    };
    const e = await run(config, { item: { title: '市场总监', budget: '200000' }, eventType: 'trial_form_submitted', customer: customer({ attributes: { email: 'a@b.cn' } }) });
    expect(e.after.score).toBe(50);
    expect(e.delta).toBe(50);
    expect(e.rules).toEqual([
      { rule: 'trial', title: '提交试用', points: 30, reason: 'event trial_form_submitted' },
      { rule: 'director', points: 5, reason: 'title contains "总监"' },
      { rule: 'big_budget', points: 15, reason: 'event trial_form_submitted; budget >= 100000' },
    ]);
    expect(e.changed).toBe(true);
  });

  it('reads attributes from the item, else the customer, or where told', () => {
    const c = customer({ attributes: { title: '销售总监', city: '杭州' }, tags: ['vip'] });
    expect(matchAttribute({ field: 'title', contains: '总监' }, { item: {}, customer: c })).toBe('title contains "总监"');
    expect(matchAttribute({ field: 'title', contains: '总监', of: 'item' }, { item: {}, customer: c })).toBeUndefined();
    expect(matchAttribute({ field: 'title', equals: '工程师' }, { item: { title: '工程师' }, customer: c })).toBeDefined();
    expect(matchAttribute({ field: 'city', oneOf: ['上海', '杭州'], of: 'customer' }, { item: { city: '上海' }, customer: c })).toBeDefined();
    expect(matchAttribute({ field: 'tags', contains: 'VIP', of: 'customer' }, { customer: c })).toBeDefined();
    expect(matchAttribute({ field: 'utm.campaign', equals: 'SPRING' }, { item: { utm: { campaign: 'spring' } }, customer: c })).toBeDefined();
    expect(matchAttribute({ field: 'budget', lte: 10 }, { item: { budget: 'a lot' }, customer: c })).toBeUndefined();
  });

  it('evaluates JSONata conditions over item, customer and event', async () => {
    const expr = createExpressionEvaluator();
    const config: RulesModelConfig = { rules: [{ id: 'b2b', when: { expression: '$contains(item.email, "@corp.") and customer.stage = "lead" and event.type = "x"' }, points: 7 }] };
    const yes = await run(config, { item: { email: 'li@corp.cn' }, eventType: 'x', evaluate: (s, i) => expr.evaluate(s, i) });
    const no = await run(config, { item: { email: 'li@qq.com' }, eventType: 'x', evaluate: (s, i) => expr.evaluate(s, i) });
    expect(yes.after.score).toBe(7);
    expect(no.changed).toBe(false);
  });

  it('keeps once-per-customer and maxTimes limits from the counters', async () => {
    const config: RulesModelConfig = {
      rules: [
        { id: 'trial', when: { eventTypes: ['t'] }, points: 30, oncePerCustomer: true },
        { id: 'paper', when: { eventTypes: ['t'] }, points: 10, maxTimes: 3 },
      ],
    };
    const first = await run(config, { eventType: 't' });
    expect(first.rules.map((r) => r.reason)).toEqual(['event t (1 of at most 1)', 'event t (1 of at most 3)']);
    const later = await run(config, { eventType: 't', counters: new Map([['trial', { times: 1, spellAt: null, spellTimes: 0 }], ['paper', { times: 2, spellAt: null, spellTimes: 0 }]]) });
    expect(later.rules.map((r) => r.rule)).toEqual(['paper']);
    const done = await run(config, { eventType: 't', counters: new Map([['trial', { times: 1, spellAt: null, spellTimes: 0 }], ['paper', { times: 3, spellAt: null, spellTimes: 0 }]]) });
    expect(done.changed).toBe(false);
  });

  it('decays by half-life since the last change, before adding points, then floors and caps', async () => {
    const config: RulesModelConfig = { decay: { halfLifeDays: 10 }, rules: [{ id: 'visit', when: {}, points: 5 }], floor: 0, cap: 40 };
    const e = await run(config, { customer: customer({ score: 80, scoreUpdatedAt: '2026-02-28T00:00:00.000Z' }) });
    expect(e.rules).toEqual([
      { rule: 'decay', points: -40, reason: 'half-life 10 days, 10 days since the last change: 80 → 40' },
      { rule: 'visit', points: 5, reason: 'always' },
      { rule: 'cap', points: -5, reason: 'score capped at 40' },
    ]);
    expect(e.after.score).toBe(40);
    const negative = await run({ rules: [{ id: 'spam', when: {}, points: -50 }], floor: -10 }, {});
    expect(negative.after.score).toBe(-10);
    expect(negative.rules.at(-1)).toEqual({ rule: 'floor', points: 40, reason: 'score kept at the floor of -10' });
  });

  it('leaves a decay below half a point for later', async () => {
    const e = await run({ decay: { halfLifeDays: 30 } }, { item: undefined, customer: customer({ score: 10, scoreUpdatedAt: '2026-03-09T12:00:00.000Z' }) });
    expect(e.changed).toBe(false);
  });

  it('holds back decay alone until it is worth minPoints, but lets it go along with other points', async () => {
    const config: RulesModelConfig = { decay: { halfLifeDays: 30, minPoints: 5 }, rules: [{ id: 'q', when: { eventTypes: ['q'] }, points: 10 }] };
    const c = customer({ score: 60, scoreUpdatedAt: '2026-03-07T00:00:00.000Z' });
    expect((await run(config, { item: undefined, customer: c })).changed).toBe(false);
    const along = await run(config, { eventType: 'q', customer: c });
    expect(along.rules.map((r) => [r.rule, r.points])).toEqual([
      ['decay', -4],
      ['q', 10],
    ]);
    const later = await run(config, { item: undefined, customer: { ...c, scoreUpdatedAt: '2026-03-04T00:00:00.000Z' } });
    expect(later.rules.map((r) => [r.rule, r.points])).toEqual([['decay', -8]]);
  });

  it('applies an inactivity rule once per silence, or every N days when it repeats', async () => {
    const config: RulesModelConfig = { inactivity: [{ id: 'no_reply', activity: ['message_received'], since: ['sales_contacted'], days: 3, points: -10 }] };
    const silent = { lastActivityAt: '2026-03-01T00:00:00.000Z', lastSinceAt: '2026-03-05T00:00:00.000Z' };
    const e = await run(config, { item: undefined, inactivity: [silent] });
    expect(e.rules).toEqual([{ rule: 'no_reply', points: -10, reason: 'no message_received since sales_contacted at 2026-03-05T00:00:00.000Z (5 days, rule: 3)' }]);
    expect(e.increments.get('no_reply')).toEqual({ times: 1, spellAt: silent.lastSinceAt, spellTimes: 1 });
    const again = await run(config, { item: undefined, inactivity: [silent], counters: new Map([['no_reply', { times: 1, spellAt: silent.lastSinceAt, spellTimes: 1 }]]) });
    expect(again.changed).toBe(false);
    const answered = await run(config, { item: undefined, inactivity: [{ lastActivityAt: '2026-03-06T00:00:00.000Z', lastSinceAt: silent.lastSinceAt }] });
    expect(answered.changed).toBe(false);
    const tooSoon = await run(config, { item: undefined, inactivity: [{ lastActivityAt: null, lastSinceAt: '2026-03-08T00:00:00.000Z' }] });
    expect(tooSoon.changed).toBe(false);

    const repeating: RulesModelConfig = { inactivity: [{ id: 'dormant', activity: ['order_paid'], days: 2, repeatEveryDays: 2, maxTimes: 3, points: -1 }] };
    const r = await run(repeating, { item: undefined, inactivity: [{ lastActivityAt: '2026-03-03T00:00:00.000Z', lastSinceAt: null }] });
    expect(r.rules[0]).toMatchObject({ rule: 'dormant', points: -3, times: 3 });
    // Without any activity the silence counts from the customer's creation.
    const fresh = await run(repeating, { item: undefined, inactivity: [{ lastActivityAt: null, lastSinceAt: null }] });
    expect(fresh.rules[0]!.reason).toContain('since the customer was created');
  });
});

describe('thresholds', () => {
  const thresholds = [
    { id: 'hot', min: 80, priority: 'hot', stage: 'sql', tags: ['hot'] },
    { id: 'warm', min: 40, max: 80, priority: 'warm', stage: 'mql', emit: 'both' as const },
    { id: 'churn', max: 10, stages: ['customer'], stage: 'churn_risk', tags: ['churn_risk'] },
    { id: 'cold', priority: 'cold' },
  ];
  const state = (score: number, stage = 'lead', tags: string[] = [], priority: string | null = null) => ({ score, stage, tags, priority });

  it('sets priority, moves the stage forward and manages tags; reports crossings', () => {
    expect(applyThresholds(thresholds, state(50, 'lead', [], 'warm'), 85)).toEqual({
      priority: 'hot',
      stage: 'sql',
      tags: ['hot'],
      crossed: [
        { threshold: 'hot', direction: 'entered', min: 80, priority: 'hot', stage: 'sql' },
        { threshold: 'warm', direction: 'left', min: 40, max: 80, priority: 'warm', stage: 'mql' },
      ],
      stageBy: 'hot',
      notes: ['priority hot (threshold hot)', 'stage lead → sql (threshold hot)', 'tags + hot'],
    });
    // Back down: the tag goes, the stage stays (never backwards).
    const down = applyThresholds(thresholds, state(85, 'sql', ['hot', 'vip'], 'hot'), 45);
    expect(down).toMatchObject({ priority: 'warm', stage: 'sql', tags: ['vip'] });
    expect(down.crossed.map((c) => `${c.threshold}:${c.direction}`)).toEqual(['warm:entered']);
  });

  it('moves a customer to churn risk only from the stages a threshold names', () => {
    expect(applyThresholds(thresholds, state(30, 'customer'), 5)).toMatchObject({ stage: 'churn_risk', tags: ['churn_risk'], priority: 'cold' });
    expect(applyThresholds(thresholds, state(30, 'lead'), 5)).toMatchObject({ stage: 'lead', tags: [] });
  });

  it('moves backwards only where allowed', () => {
    const t = [{ id: 'won_back', min: 50, stages: ['churn_risk'], stage: 'customer', allowBackward: true }];
    expect(applyThresholds(t, state(10, 'churn_risk'), 60).stage).toBe('customer');
    expect(applyThresholds([{ id: 'x', min: 50, stage: 'mql' }], state(10, 'customer'), 60).stage).toBe('customer');
  });
});
