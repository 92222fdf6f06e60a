import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createExpressionEvaluator, type Provenance } from '@tributary/engine';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../../test/support/services.js';
import { openStoreDataSource } from '../__fixtures__/store-data-source.js';
import { upsertInput } from '../__fixtures__/upsert-input.fixture.js';
import { CustomerStore } from '../customer-store.service.js';
import type { RulesModelConfig, ScoreRequestItem } from './scoring.types.js';

const DAY = 86_400_000;
const prov = (runId = 'run-s', nodeId = 'score'): Provenance => ({ source: 'score', flowId: 'flow-s', flowVersion: 1, runId, nodeId });

const RULES: RulesModelConfig = {
  rules: [
    { id: 'trial_form', title: '提交试用', when: { eventTypes: ['trial_form_submitted'] }, points: 30, oncePerCustomer: true },
    { id: 'whitepaper', title: '下载白皮书', when: { eventTypes: ['whitepaper_downloaded'] }, points: 10, maxTimes: 3 },
    { id: 'quote_opened', title: '打开报价邮件', when: { eventTypes: ['quote_email_opened'] }, points: 10 },
    { id: 'director', when: { attributes: [{ field: 'title', contains: '总监' }] }, points: 5, oncePerCustomer: true },
    { id: 'tick', when: { eventTypes: ['tick'] }, points: 1 },
  ],
  floor: 0,
  cap: 100,
  thresholds: [
    { id: 'hot', min: 80, priority: 'hot', stage: 'sql', tags: ['hot'] },
    { id: 'warm', min: 40, priority: 'warm', stage: 'mql' },
    { id: 'cold', priority: 'cold' },
  ],
};

describe('customer scoring on Postgres', () => {
  let ds: DataSource;
  let store: CustomerStore;
  let clock = new Date('2026-03-01T08:00:00.000Z');
  let phone = 13900000000;
  let key = 0;

  beforeAll(async () => {
    ds = await openStoreDataSource(await createTestDatabase('cs_scoring'), 12);
    store = new CustomerStore(ds, { now: () => clock, attempts: 50 });
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  const advance = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };
  /** A customer with a phone of its own and, optionally, timeline events. */
  const customer = async (attributes: Record<string, unknown> = {}, events: { type: string; at?: Date; payload?: Record<string, unknown> }[] = []): Promise<string> => {
    const p = `+86${++phone}`;
    const [r] = await store.upsert([upsertInput({ identities: [{ type: 'phone', value: p }], attributes })]);
    for (const e of events) await event(r!.customerId, e.type, e.at, e.payload, p);
    return r!.customerId;
  };
  const phones = new Map<string, string>();
  const event = async (customerId: string, type: string, at = clock, payload: Record<string, unknown> = {}, p?: string) => {
    if (p) phones.set(customerId, p);
    await store.upsert([upsertInput({ identities: [{ type: 'phone', value: phones.get(customerId)! }], event: { type, occurredAt: at.toISOString(), payload } })]);
  };
  const item = (customerId: string, eventType?: string, extra: Record<string, unknown> = {}, k = `k-${++key}`): ScoreRequestItem => ({ customerId, idempotencyKey: k, item: { customerId, ...extra }, ...(eventType ? { eventType } : {}) });
  const score = (config: RulesModelConfig, items: ScoreRequestItem[], runId?: string) => store.score({ config, items, provenance: prov(runId) });
  const row = async (id: string) =>
    (
      await ds.query(`SELECT score, priority, stage, tags, stage_changed_at, score_updated_at, attributes FROM customers WHERE id = $1`, [id])
    )[0] as { score: number; priority: string | null; stage: string; tags: string[]; stage_changed_at: Date | null; score_updated_at: Date | null; attributes: Record<string, { value: unknown; source: string; runId: string }> };
  const scoreEvents = async (id: string) =>
    (await ds.query(`SELECT payload, idempotency_key, source, run_id, node_id FROM customer_events WHERE customer_id = $1 AND type = 'score_changed' ORDER BY occurred_at, id`, [id])) as {
      payload: Record<string, unknown>;
      idempotency_key: string;
      source: string;
      run_id: string;
      node_id: string;
    }[];

  describe('rules', () => {
    it('adds points per rule, explains them in the timeline and maps the score to priority, stage and tags', async () => {
      const id = await customer({ title: '市场总监' });
      const [a] = await score(RULES, [item(id, 'trial_form_submitted', {}, 'run-1:score:0')], 'run-1');
      expect(a).toMatchObject({ status: 'scored', customerId: id, score: 35, scoreDelta: 35, priority: 'cold', stage: 'lead', changed: true, crossed: [] });
      const [b] = await score(RULES, [item(id, 'quote_email_opened'), item(id, 'whitepaper_downloaded'), item(id, 'whitepaper_downloaded')]).then((o) => [o[2]]);
      expect(b).toMatchObject({ score: 65, priority: 'warm', stage: 'mql' });
      const [c] = await score(RULES, [item(id, 'quote_email_opened', { title: '总监' })]);
      expect(c).toMatchObject({ score: 75, scoreDelta: 10 });
      const [d] = await score(RULES, [item(id, 'quote_email_opened')]);
      expect(d).toMatchObject({ score: 85, priority: 'hot', stage: 'sql', tags: ['hot'] });
      expect(d!.crossed).toEqual([{ threshold: 'hot', direction: 'entered', min: 80, priority: 'hot', stage: 'sql' }]);

      const r = await row(id);
      expect(r).toMatchObject({ score: 85, priority: 'hot', stage: 'sql', tags: ['hot'] });
      expect(r.stage_changed_at?.toISOString()).toBe(clock.toISOString());
      expect(r.score_updated_at?.toISOString()).toBe(clock.toISOString());
      const events = await scoreEvents(id);
      expect(events).toHaveLength(6);
      expect(events[0]).toMatchObject({ idempotency_key: 'run-1:score:0', source: 'score', run_id: 'run-1', node_id: 'score' });
      expect(events[0]!.payload).toEqual({
        model: 'rules',
        before: 0,
        after: 35,
        delta: 35,
        eventType: 'trial_form_submitted',
        rules: [
          { rule: 'trial_form', title: '提交试用', points: 30, reason: 'event trial_form_submitted (1 of at most 1)' },
          { rule: 'director', points: 5, reason: 'title contains "总监" (1 of at most 1)' },
        ],
        priority: 'cold',
        stage: 'lead',
        tags: [],
        crossed: [],
        changes: { priority: { from: null, to: 'cold' } },
      });
      expect(events[5]!.payload).toMatchObject({ before: 75, after: 85, changes: { priority: { from: 'warm', to: 'hot' }, stage: { from: 'mql', to: 'sql' }, tagsAdded: ['hot'] } });
      // Each stage move also has its own stage_changed event, as the funnel report reads them.
      const moves: { payload: Record<string, unknown>; idempotency_key: string }[] = await ds.query(
        `SELECT payload, idempotency_key FROM customer_events WHERE customer_id = $1 AND type = 'stage_changed' ORDER BY id`,
        [id],
      );
      expect(moves.map((m) => m.payload)).toEqual([
        { from: 'lead', to: 'mql', threshold: 'warm', score: 45, reason: 'score 35 → 45, threshold warm' },
        { from: 'mql', to: 'sql', threshold: 'hot', score: 85, reason: 'score 75 → 85, threshold hot' },
      ]);
      expect(moves[1]!.idempotency_key).toBe(`${events[5]!.idempotency_key}:stage`);
    });

    it('applies once-per-customer rules once and maxTimes rules that many times, across runs', async () => {
      const id = await customer();
      for (let i = 0; i < 3; i++) await score(RULES, [item(id, 'trial_form_submitted')]);
      for (let i = 0; i < 5; i++) await score(RULES, [item(id, 'whitepaper_downloaded')]);
      expect((await row(id)).score).toBe(60);
      // Several items of one batch count against the same limit.
      const other = await customer();
      const out = await score(RULES, Array.from({ length: 5 }, () => item(other, 'whitepaper_downloaded')));
      expect(out.map((o) => o.score)).toEqual([10, 20, 30, 30, 30]);
      expect(out.map((o) => o.changed)).toEqual([true, true, true, false, false]);
      expect(await scoreEvents(other)).toHaveLength(3);
    });

    it('adds nothing twice when a step is retried with the same idempotency keys', async () => {
      const id = await customer();
      const items = [item(id, 'quote_email_opened', {}, 'retry:0'), item(id, 'quote_email_opened', {}, 'retry:1')];
      const first = await score(RULES, items);
      const second = await score(RULES, items);
      expect(first.map((o) => o.score)).toEqual([10, 20]);
      expect(second.map((o) => [o.status, o.score, o.scoreDelta])).toEqual([
        ['replayed', 10, 10],
        ['replayed', 20, 10],
      ]);
      expect(second[0]!.rules).toEqual(first[0]!.rules);
      expect((await row(id)).score).toBe(20);
      expect(await scoreEvents(id)).toHaveLength(2);
    });

    it('keeps the score exact when many runs score one customer at once', async () => {
      const id = await customer();
      const n = 60;
      const results = await Promise.all(
        Array.from({ length: n }, (_, i) => score({ rules: [...RULES.rules!], floor: 0 }, [item(id, i % 6 === 0 ? 'trial_form_submitted' : 'tick', {}, `conc:${i}`)])),
      );
      // 60 ticks or trials: 50 ticks +1 and one trial +30 (once per customer; the other nine trials match nothing).
      expect((await row(id)).score).toBe(50 + 30);
      const events = await scoreEvents(id);
      expect(events).toHaveLength(51);
      // Each change starts where the one before it ended: no lost update.
      const chain = events.map((e) => [e.payload.before, e.payload.after] as [number, number]).sort((a, b) => a[0] - b[0]);
      chain.forEach(([before], i) => expect(before).toBe(i === 0 ? 0 : chain[i - 1]![1]));
      expect(results.flat().filter((o) => o.rules.some((r) => r.rule === 'trial_form'))).toHaveLength(1);
      const counters: { times: number }[] = await ds.query(`SELECT times FROM customer_score_rules WHERE customer_id = $1 AND rule = 'trial_form'`, [id]);
      expect(counters).toEqual([{ times: 1 }]);
    });

    it('decays the score by its half-life since the last change', async () => {
      const id = await customer();
      const config: RulesModelConfig = { ...RULES, decay: { halfLifeDays: 10 } };
      await score(config, [item(id, 'trial_form_submitted'), item(id, 'quote_email_opened'), item(id, 'quote_email_opened'), item(id, 'quote_email_opened')]);
      expect((await row(id)).score).toBe(60);
      advance(10 * DAY);
      const [o] = await score(config, [item(id, 'page_viewed')]);
      expect(o).toMatchObject({ score: 30, scoreDelta: -30, priority: 'cold' });
      expect(o!.rules).toEqual([{ rule: 'decay', points: -30, reason: 'half-life 10 days, 10 days since the last change: 60 → 30' }]);
      expect((await row(id)).score_updated_at?.toISOString()).toBe(clock.toISOString());
      // Nothing more to decay the same instant: no event.
      const [again] = await score(config, [item(id, 'page_viewed')]);
      expect(again).toMatchObject({ status: 'scored', changed: false, score: 30, scoreDelta: 0 });
    });

    it('caps and floors, and says so', async () => {
      const id = await customer();
      const config: RulesModelConfig = { rules: [{ id: 'big', when: { eventTypes: ['big'] }, points: 70 }, { id: 'spam', when: { eventTypes: ['spam'] }, points: -500 }], floor: -20, cap: 100 };
      const [a, b] = await score(config, [item(id, 'big'), item(id, 'big')]);
      expect([a!.score, b!.score]).toEqual([70, 100]);
      expect(b!.rules.at(-1)).toEqual({ rule: 'cap', points: -40, reason: 'score capped at 100' });
      const [c] = await score(config, [item(id, 'spam')]);
      expect(c).toMatchObject({ score: -20, scoreDelta: -120 });
    });

    it('evaluates JSONata conditions and fails only the item whose expression throws', async () => {
      const id = await customer({ budget: 250000 });
      const expr = createExpressionEvaluator({ timeoutMs: 1000 });
      const config: RulesModelConfig = {
        rules: [
          { id: 'budget', when: { expression: 'customer.attributes.budget >= 100000 and item.source = "ads"' }, points: 20 },
          { id: 'broken', when: { expression: '$error("bad rule")', eventTypes: ['boom'] }, points: 1 },
        ],
      };
      const out = await store.score({ config, items: [item(id, 'x', { source: 'ads' }), item(id, 'boom')], provenance: prov(), evaluate: (s, i) => expr.evaluate(s, i) });
      expect(out[0]).toMatchObject({ status: 'scored', score: 20 });
      expect(out[1]).toMatchObject({ status: 'failed', score: 20, error: { code: 'condition_failed' } });
      expect(out[1]!.error!.message).toContain('bad rule');
      expect((await row(id)).score).toBe(20);
    });

    it('follows a merged id to the survivor and answers not_found for unknown or erased customers', async () => {
      const a = await customer();
      const b = await customer();
      await store.mergeCustomers(a, [b], { actor: 'test' });
      const [o] = await score(RULES, [item(b, 'quote_email_opened')]);
      expect(o).toMatchObject({ status: 'scored', customerId: a, score: 10 });
      const gone = await customer();
      await store.eraseCustomer(gone, 'test');
      const out = await score(RULES, [item('0190a6b2-7c4e-7d2a-9f3b-2c1d4e5f6a7b', 'tick'), item('nope', 'tick'), item(gone, 'tick')]);
      expect(out.map((x) => x.status)).toEqual(['not_found', 'not_found', 'not_found']);
    });

    it('counts a once-per-customer rule applied to a customer merged in', async () => {
      const a = await customer();
      const b = await customer();
      await score(RULES, [item(b, 'trial_form_submitted')]);
      await store.mergeCustomers(a, [b], { actor: 'test' });
      const [o] = await score(RULES, [item(a, 'trial_form_submitted')]);
      expect(o!.rules.find((r) => r.rule === 'trial_form')).toBeUndefined();
    });

    it('applies inactivity rules when scoring, once per silence', async () => {
      const config: RulesModelConfig = { inactivity: [{ id: 'no_reply_3d', title: '3 天未回复销售', activity: ['message_received'], since: ['sales_contacted'], days: 3, points: -10 }] };
      const id = await customer({}, [{ type: 'quote_email_opened' }]);
      await score({ rules: [{ id: 'q', when: { eventTypes: ['q'] }, points: 50 }] }, [item(id, 'q')]);
      await event(id, 'sales_contacted');
      advance(2 * DAY);
      expect((await score(config, [item(id)]))[0]).toMatchObject({ changed: false, score: 50 });
      advance(1 * DAY + 1000);
      const [o] = await score(config, [item(id)]);
      expect(o).toMatchObject({ score: 40, scoreDelta: -10 });
      expect(o!.rules[0]).toMatchObject({ rule: 'no_reply_3d', title: '3 天未回复销售', points: -10 });
      advance(5 * DAY);
      expect((await score(config, [item(id)]))[0]).toMatchObject({ changed: false, score: 40 });
      // A reply ends the silence; the next outreach starts a new one.
      await event(id, 'message_received');
      advance(1000);
      await event(id, 'sales_contacted');
      advance(3 * DAY + 1000);
      expect((await score(config, [item(id)]))[0]).toMatchObject({ score: 30, scoreDelta: -10 });
    });
  });

  describe('rescore', () => {
    it('applies decay, inactivity and thresholds to every live customer, once a day per scope', async () => {
      const config: RulesModelConfig = {
        decay: { halfLifeDays: 20 },
        inactivity: [{ id: 'dormant_30d', activity: ['quote_email_opened', 'trial_form_submitted'], days: 30, points: -5 }],
        floor: 0,
        thresholds: [
          { id: 'hot', min: 80, priority: 'hot' },
          { id: 'warm', min: 40, priority: 'warm', emit: 'none' },
          { id: 'cold', max: 40, priority: 'cold', emit: 'enter' },
        ],
      };
      const start = new Date(clock);
      const hot = await customer({}, [{ type: 'trial_form_submitted' }]);
      await score({ rules: [{ id: 'x', when: { eventTypes: ['x'] }, points: 90 }], thresholds: config.thresholds }, [item(hot, 'x')]);
      const fading = await customer({}, [{ type: 'trial_form_submitted' }]);
      await score({ rules: [{ id: 'x', when: { eventTypes: ['x'] }, points: 60 }], thresholds: config.thresholds }, [item(fading, 'x')]);
      const idle = await customer({}, [{ type: 'quote_email_opened', at: new Date(start.getTime() - 40 * DAY) }]);
      advance(20 * DAY);
      const request = { model: 'rules' as const, rules: config, scope: 'rescore:flow-r:node', provenance: prov('run-r1', 'rescore'), batchSize: 7 };
      const first = await store.rescore(request);
      expect(first).toMatchObject({ model: 'rules', day: clock.toISOString().slice(0, 10), skipped: 0 });
      expect(first.customers).toBeGreaterThan(10);
      expect(first.batches).toBe(Math.ceil(first.customers / 7));
      // 90 halves to 45 over 20 days: warm (no crossing emitted for warm), left hot.
      expect(await row(hot)).toMatchObject({ score: 45, priority: 'warm' });
      expect(first.crossed.find((c) => c.customerId === hot)).toBeUndefined();
      // Silent for 60 days: −5 once, floored at 0, now cold.
      expect(await row(idle)).toMatchObject({ score: 0, priority: 'cold' });
      const idleEvents = await scoreEvents(idle);
      expect(idleEvents.at(-1)!.payload.rules).toEqual([expect.objectContaining({ rule: 'dormant_30d', points: -5 }), { rule: 'floor', points: 5, reason: 'score kept at the floor of 0' }]);
      expect(idleEvents.at(-1)!.idempotency_key).toBe(`rescore:flow-r:node:${idle}:${clock.toISOString().slice(0, 10)}`);
      // Already in the cold range at 0: a priority set, no crossing. 60 → 30 crosses into cold.
      expect(first.crossed.find((c) => c.customerId === idle)).toBeUndefined();
      expect(first.crossed.find((c) => c.customerId === fading)).toEqual({
        customerId: fading,
        score: 30,
        scoreDelta: -30,
        priority: 'cold',
        stage: 'lead',
        crossed: [{ threshold: 'cold', direction: 'entered', max: 40, priority: 'cold' }],
      });

      // Later the same day: nothing twice.
      advance(3_600_000);
      const again = await store.rescore({ ...request, provenance: prov('run-r2', 'rescore') });
      expect(again.changed).toBe(0);
      expect(again.customers).toBe(first.customers - first.changed);
      expect((await row(hot)).score).toBe(45);
      // Next day: decay goes on; the inactivity rule stays applied for that silence.
      advance(DAY);
      const next = await store.rescore({ ...request, provenance: prov('run-r3', 'rescore') });
      expect(next.skipped).toBe(0);
      expect((await row(hot)).score).toBe(43);
      expect(await scoreEvents(idle)).toHaveLength(idleEvents.length);
    });
  });

  describe('rfm', () => {
    const RFM = {
      eventTypes: ['pos_purchase', 'order_placed', 'order_paid'],
      amountPaths: ['amount', 'raw.total_price'],
      breakpoints: { recencyDays: [30, 60, 120, 240], frequency: [2, 3, 4, 5], monetary: ['500', '1000', '2000', '5000'] },
    };
    const ago = (days: number) => new Date(clock.getTime() - days * DAY);

    it('computes recency, frequency and monetary value from orders and stores them with provenance', async () => {
      const champion = await customer({}, [
        ...Array.from({ length: 6 }, (_, i) => ({ type: 'pos_purchase', at: ago(5 + i * 10), payload: { order_id: `c-${i}`, amount: '1200.50' } })),
      ]);
      const placedAndPaid = await customer({}, [
        { type: 'order_placed', at: ago(200), payload: { order_id: 'p-1', amount: '300.00' } },
        { type: 'order_paid', at: ago(199), payload: { order_id: 'p-1', amount: '300.00' } },
        { type: 'order_placed', at: ago(100), payload: { order_id: 'p-2', raw: { total_price: '¥1,250.00' } } },
        { type: 'order_placed', at: ago(90), payload: { order_id: 'p-3', amount: '9999' } },
        { type: 'order_cancelled', at: ago(89), payload: { order_id: 'p-3' } },
        { type: 'form_submitted', at: ago(1), payload: { amount: '100000' } },
      ]);
      const nobody = await customer();
      const out = await store.scoreRfm({ config: RFM, items: [{ customerId: champion, idempotencyKey: 'rfm:0' }, { customerId: placedAndPaid, idempotencyKey: 'rfm:1' }, { customerId: nobody, idempotencyKey: 'rfm:2' }], provenance: prov('run-rfm', 'rfm') });
      expect(out[0]).toMatchObject({ status: 'scored', changed: true, rfm: { r: 5, f: 5, m: 5, segment: 'champions', frequency: 6, monetary: '7203.00', recencyDays: 5 } });
      expect(out[0]!.crossed).toEqual([{ threshold: 'rfm_segment', direction: 'entered', from: null, to: 'champions' }]);
      expect(out[1]).toMatchObject({ rfm: { r: 3, f: 2, m: 3, segment: 'potential_loyalist', frequency: 2, monetary: '1550.00', recencyDays: 100 } });
      expect(out[2]).toMatchObject({ status: 'scored', rfm: null, changed: false });

      const attrs = (await row(champion)).attributes;
      expect(attrs.rfm_segment).toMatchObject({ value: 'champions', source: 'score', runId: 'run-rfm' });
      expect(attrs.rfm_monetary!.value).toBe('7203.00');
      expect(attrs.rfm_last_purchase_at!.value).toBe(ago(5).toISOString());
      const [ev] = await scoreEvents(champion);
      expect(ev!.payload).toMatchObject({ model: 'rfm', before: null, after: { segment: 'champions' } });
      expect((ev!.payload.rules as { rule: string }[]).map((r) => r.rule)).toEqual(['rfm_r', 'rfm_f', 'rfm_m', 'rfm_segment']);

      // A retry writes nothing twice; a later run with nothing new writes nothing.
      const again = await store.scoreRfm({ config: RFM, items: [{ customerId: champion, idempotencyKey: 'rfm:0' }], provenance: prov() });
      expect(again[0]).toMatchObject({ status: 'replayed', rfm: { segment: 'champions' } });
      const later = await store.scoreRfm({ config: RFM, items: [{ customerId: champion, idempotencyKey: 'rfm:9' }], provenance: prov() });
      expect(later[0]).toMatchObject({ status: 'scored', changed: false });
      expect(await scoreEvents(champion)).toHaveLength(1);
    });

    it('measures quintiles over the store and rescores every customer once a day', async () => {
      const bp = await store.rfmBreakpoints({ ...RFM, method: 'quintiles' });
      expect(bp).toMatchObject({ strict: true, population: 2 });
      advance(200 * DAY);
      // A batch per customer, and one crossing listed of the two counted.
      const summary = await store.rescore({ model: 'rfm', rfm: RFM, scope: 'rescore:flow-rfm:node', provenance: prov('run-rr', 'rescore'), batchSize: 1, maxCrossings: 1 });
      expect(summary).toMatchObject({ model: 'rfm', changed: 2, crossedCount: 2, batches: summary.customers });
      expect(summary.crossed).toHaveLength(1);
      expect(['cant_lose', 'lost']).toContain(summary.crossed[0]!.crossed[0]!.to);
      const again = await store.rescore({ model: 'rfm', rfm: RFM, scope: 'rescore:flow-rfm:node', provenance: prov('run-rr2', 'rescore') });
      expect(again.changed).toBe(0);
    });
  });
});
