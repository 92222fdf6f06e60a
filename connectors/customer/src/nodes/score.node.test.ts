import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CustomerStore, openCustomerStoreDataSource, type ScoringStore } from '@tributary/customer-store';
import { compileNodeConfig, ConfigError, describeNodeContract, InMemoryCustomerStore, InMemorySharedCache, runNode, type CustomerStorePort, type Item } from '@tributary/node-sdk';
import { createTestDatabase } from '../../../../test/support/services.js';
import { rescoreNode } from './rescore.node.js';
import { scoreNode } from './score.node.js';
import { upsertNode } from './upsert.node.js';

const DAY = 86_400_000;
let clock = new Date('2026-03-01T08:00:00.000Z');
let ds: Awaited<ReturnType<typeof openCustomerStoreDataSource>>;
let store: CustomerStore;

/** The real store, reached lazily: the contract suites are declared before it opens. */
const lazyStore: CustomerStorePort & ScoringStore = {
  upsert: (inputs) => store.upsert(inputs),
  score: (r) => store.score(r),
  scoreRfm: (r) => store.scoreRfm(r),
  rfmBreakpoints: (c) => store.rfmBreakpoints(c),
  rescore: (r) => store.rescore(r),
};

beforeAll(async () => {
  ds = await openCustomerStoreDataSource({ url: await createTestDatabase('cc_score'), poolSize: 4 });
  store = new CustomerStore(ds, { now: () => clock });
});
afterAll(async () => {
  await ds?.destroy();
});

await describeNodeContract(scoreNode, { store: lazyStore, now: clock });
await describeNodeContract(rescoreNode, { store: lazyStore, now: clock });

const RULES = {
  rules: [
    { id: 'trial_form', title: '提交试用', when: { eventTypes: ['trial_form_submitted'] }, points: 30, oncePerCustomer: true },
    { id: 'whitepaper', title: '下载白皮书', when: { eventTypes: ['whitepaper_downloaded'] }, points: 10 },
    { id: 'director', title: '总监级', when: { attributes: [{ field: 'title', contains: '总监' }] }, points: 5, oncePerCustomer: true },
    { id: 'big_budget', when: { expression: '$number(item.budget) >= 100000' }, points: 20, oncePerCustomer: true },
  ],
  cap: 100,
  thresholds: [
    { id: 'hot', min: 60, priority: 'hot', stage: 'sql', tags: ['hot'] },
    { id: 'warm', min: 30, priority: 'warm', stage: 'mql' },
  ],
};

const save = async (items: Item[], runId: string, event: Record<string, unknown> = { type: 'form_submitted', typeField: 'eventType', occurredAtField: 'at' }) => {
  const r = await runNode(upsertNode, { config: { source: 'webform', event }, items, store: lazyStore, runId, nodeId: 'save' });
  return r.out!;
};

describe('customer.score', () => {
  it('scores upserted customers, emits score fields, and crossings on `crossed`', async () => {
    const saved = await save(
      [
        { name: '王总', phone: '13911110001', title: '销售总监', budget: '150000', eventType: 'trial_form_submitted' },
        { name: '李四', phone: '13911110002', eventType: 'whitepaper_downloaded' },
      ],
      'run-1',
    );
    const r = await runNode(scoreNode, { config: RULES, items: [...saved, { name: 'no customer' }], store: lazyStore, runId: 'run-1', nodeId: 'score' });
    expect(r.out!.map((i) => [i.name, i.score, i.scoreDelta, i.priority, i.stage])).toEqual([
      ['王总', 55, 55, 'warm', 'mql'],
      ['李四', 10, 10, null, 'lead'],
    ]);
    expect(r.out![0]!.scoreRules).toEqual([
      { rule: 'trial_form', title: '提交试用', points: 30, reason: 'event trial_form_submitted (1 of at most 1)' },
      { rule: 'director', title: '总监级', points: 5, reason: 'title contains "总监" (1 of at most 1)' },
      { rule: 'big_budget', points: 20, reason: 'expression $number(item.budget) >= 100000 (1 of at most 1)' },
    ]);
    expect(r.crossed!.map((i) => [i.name, i.crossed])).toEqual([['王总', [{ threshold: 'warm', direction: 'entered', min: 30, priority: 'warm', stage: 'mql' }]]]);
    expect(r.error).toEqual([{ item: { name: 'no customer' }, error: { code: 'no_customer', message: 'the item has no customerId: put customer.upsert before customer.score' } }]);

    // The whitepaper again: hot.
    const again = await save([{ phone: '13911110001', eventType: 'whitepaper_downloaded' }], 'run-2');
    const r2 = await runNode(scoreNode, { config: RULES, items: again, store: lazyStore, runId: 'run-2', nodeId: 'score' });
    expect(r2.out![0]).toMatchObject({ score: 65, priority: 'hot', stage: 'sql' });
    expect(r2.crossed![0]!.crossed).toEqual([{ threshold: 'hot', direction: 'entered', min: 60, priority: 'hot', stage: 'sql' }]);

    // The step retried: the same answer, nothing added.
    const retried = await runNode(scoreNode, { config: RULES, items: again, store: lazyStore, runId: 'run-2', nodeId: 'score', attempt: 2 });
    expect(retried).toEqual(r2);
    const view = (await store.getCustomer(saved[0]!.customerId as string))!;
    expect(view.score).toBe(65);
    expect(view.stage).toBe('sql');
    expect(view.tags).toEqual(['hot']);
    const explained = view.timeline.filter((e) => e.type === 'score_changed');
    expect(explained.map((e) => [e.payload!.before, e.payload!.after, e.runId, e.nodeId, e.source])).toEqual([
      [55, 65, 'run-2', 'score', 'score'],
      [0, 55, 'run-1', 'score', 'score'],
    ]);
  });

  it('sends items of unknown customers to `error`', async () => {
    const r = await runNode(scoreNode, { config: RULES, items: [{ customerId: '0190a6b2-7c4e-7d2a-9f3b-2c1d4e5f6a7b' }], store: lazyStore });
    expect(r.error![0]!.error).toEqual({ code: 'customer_not_found', message: 'no live customer 0190a6b2-7c4e-7d2a-9f3b-2c1d4e5f6a7b (erased, or not in this store)' });
  });

  it('says so when the store cannot score', async () => {
    const r = await runNode(scoreNode, { config: RULES, items: [{ customerId: 'cus_1' }], store: new InMemoryCustomerStore() });
    expect(r.error![0]!.error.code).toBe('store_unsupported');
  });

  it('scores RFM from the timeline, with quintiles measured once and cached', async () => {
    const at = (days: number) => new Date(clock.getTime() - days * DAY).toISOString();
    const buyer = await save(
      [
        { phone: '13922220001', eventType: 'pos_purchase', order_id: 'A1', amount: '6800.00', at: at(3) },
        { phone: '13922220001', eventType: 'order_paid', order_id: 'A2', amount: '120.00', at: at(40) },
        { phone: '13922220002', eventType: 'order_paid', order_id: 'B1', amount: '99.00', at: at(300) },
      ],
      'run-buy',
    );
    const cache = new InMemorySharedCache();
    const config = { model: 'rfm', rfm: { method: 'quintiles' } };
    const r = await runNode(scoreNode, { config, items: [buyer[0]!, buyer[2]!], store: lazyStore, cache, runId: 'run-rfm', nodeId: 'rfm' });
    expect(r.out!.map((i) => (i.rfm as { segment: string; frequency: number }).frequency)).toEqual([2, 1]);
    expect(r.out![0]).toMatchObject({ score: expect.any(Number), scoreDelta: 0, rfm: { monetary: '6920.00', recencyDays: 3 } });
    expect(r.crossed).toHaveLength(2);
    const view = (await store.getCustomer(buyer[0]!.customerId as string))!;
    expect(view.attributes.rfm_frequency).toMatchObject({ value: 2, source: 'score', runId: 'run-rfm', nodeId: 'rfm' });
    // A second node run reads the cached quintiles: no second measurement.
    const spy = { ...lazyStore, rfmBreakpoints: () => Promise.reject(new Error('measured twice')) };
    await expect(runNode(scoreNode, { config, items: [buyer[0]!], store: spy, cache, runId: 'run-rfm2', nodeId: 'rfm' })).resolves.toBeDefined();
  });

  it('rejects configs JSON Schema cannot judge', () => {
    const bad = {
      rules: [
        { id: 'a', when: { attributes: [{ field: 'title' }] }, points: 1 },
        { id: 'a', when: {}, points: 1 },
        { id: 'decay', when: {}, points: 1 },
      ],
      floor: 10,
      cap: 5,
      thresholds: [{ id: 't', min: 5, max: 5, stage: 'won' }],
      rfm: { breakpoints: { recencyDays: [30, 10, 60, 90], frequency: [1, 2, 3, 4], monetary: ['1', '2', '3', '4'] } },
    };
    try {
      compileNodeConfig(scoreNode, bad);
      throw new Error('accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).issues.map((i) => i.path)).toEqual([
        '/rules/0/when/attributes/0',
        '/rules/1/id',
        '/rules/2/id',
        '/floor',
        '/thresholds/0/max',
        '/thresholds/0/stage',
        '/rfm/breakpoints/recencyDays',
      ]);
    }
  });
});

describe('customer.rescore', () => {
  it('rescores every customer once a day and emits a summary and the crossings', async () => {
    clock = new Date(clock.getTime() + 30 * DAY);
    const config = { decay: { halfLifeDays: 30 }, thresholds: [{ id: 'hot', min: 60, priority: 'hot' }, { id: 'cooling', max: 60, priority: 'warm', emit: 'enter' }] };
    const r = await runNode(rescoreNode, { config, items: [{}], store: lazyStore, runId: 'run-night-1', nodeId: 'rescore' });
    expect(r.out).toHaveLength(1);
    expect(r.out![0]).toMatchObject({ model: 'rules', changed: expect.any(Number), skipped: 0, crossedTruncated: false });
    expect(r.crossed!.some((c) => (c.crossed as { threshold: string }[])[0]!.threshold === 'cooling')).toBe(true);
    const again = await runNode(rescoreNode, { config, items: [{}], store: lazyStore, runId: 'run-night-2', nodeId: 'rescore' });
    // Decay only: the customers just decayed have nothing worth a step left, and are not even visited.
    expect(again.out![0]).toMatchObject({ changed: 0 });
    expect(again.crossed).toEqual([]);
  });
});
