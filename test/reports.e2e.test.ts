// The reports API over data that arrived the real way: web form and shop webhooks through
// customer.upsert in the worker (first channels, campaigns, orders and a refund on the
// timeline). The stage change and the owner that scoring and assignment would write are set
// in SQL, as those nodes write them. Then every report through HTTP, its filters, and the
// 400s of bad ones.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSystem, type System } from './support/system.js';

describe('reports API', () => {
  let sys: System;
  const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
  const post = async (flow: string, body: Record<string, unknown>) => {
    const ack = await sys.request('POST', `/hooks/${flow}/hook`, body);
    expect(ack.status).toBe(202);
  };
  const get = (path: string) => sys.request('GET', path);
  const flow = (id: string, source: string) => ({
    schemaVersion: 1,
    id,
    name: id,
    nodes: [
      { id: 'hook', type: 'core.webhook', version: 1, config: { auth: 'none' } },
      { id: 'save', type: 'customer.upsert', version: 1, config: { source, event: { type: 'form_submitted', typeField: 'eventType', occurredAtField: 'occurredAt' } } },
    ],
    edges: [{ from: 'hook', to: 'save' }],
  });

  beforeAll(async () => {
    sys = await startSystem({ label: 'reports' });
    await sys.createFlow(flow('webform', 'webform'));
    await sys.createFlow(flow('shop', 'youzan'));
    await post('webform', { phone: '13924681101', name: '甲', utm_campaign: 'spring' });
    await post('webform', { phone: '13924681102', name: '乙', utm_campaign: 'spring' });
    await sys.drain();
    // 甲 buys too, later, in the shop: still a web form lead.
    await post('shop', { phone: '13924681101', eventType: 'order_paid', order_id: 'A-1', amount: '50.00', currency: 'CNY', occurredAt: ago(90) });
    await post('shop', { phone: '13924681103', name: '丙', eventType: 'order_paid', order_id: 'C-1', amount: '128.00', currency: 'CNY', occurredAt: ago(60) });
    await sys.drain();
    await post('shop', { phone: '13924681103', eventType: 'order_refunded', order_id: 'C-1', amount: '28.00', currency: 'CNY', occurredAt: ago(30) });
    await post('webform', { phone: '13924681102', eventType: 'contacted', occurredAt: ago(0) });
    await sys.drain();

    // What customer.score and customer.assign write: 甲 became a customer, 乙 has an owner.
    await sys.db.query(`INSERT INTO owners (id, name) VALUES ('o-wang', '王芳')`);
    await sys.db.query(
      `WITH a AS (SELECT customer_id AS id FROM customer_identities WHERE type = 'phone' AND value = '+8613924681101')
       , s AS (UPDATE customers SET stage = 'customer', stage_changed_at = now() WHERE id = (SELECT id FROM a))
       INSERT INTO customer_events (customer_id, type, occurred_at, payload, source, idempotency_key)
       SELECT id, 'stage_changed', now(), '{"from":"lead","to":"customer","rule":"purchase"}', 'customer.score', 'e2e:stage' FROM a`,
    );
    await sys.db.query(
      `UPDATE customers SET owner_id = 'o-wang', assigned_at = created_at
        WHERE id = (SELECT customer_id FROM customer_identities WHERE type = 'phone' AND value = '+8613924681102')`,
    );
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('lists the reports', async () => {
    const r = await get('/api/reports');
    expect(r.status).toBe(200);
    expect(r.body.items.map((i: { name: string }) => i.name)).toEqual(['leads', 'conversion', 'first-contact', 'revenue', 'funnel', 'lifecycle']);
    expect(Object.keys(r.body.filters)).toEqual(['from', 'to', 'tz', 'interval', 'channel', 'owner']);
  });

  it('lists the channels the filter can choose from', async () => {
    const r = await get('/api/reports/channels');
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual([
      { channel: 'webform', customers: 2 },
      { channel: 'youzan', customers: 1 },
    ]);
  });

  it('counts leads per channel and campaign over the last 30 days by default', async () => {
    const r = await get('/api/reports/leads');
    expect(r.status).toBe(200);
    expect(r.body.filters).toMatchObject({ tz: 'UTC', interval: 'day', channels: null, owners: null });
    expect(Date.parse(r.body.filters.to) - Date.parse(r.body.filters.from)).toBe(30 * 86_400_000);
    expect(r.body.series).toHaveLength(31);
    expect(r.body.totals).toEqual({ leads: 3 });
    expect(r.body.byChannel).toEqual([
      { channel: 'webform', leads: 2 },
      { channel: 'youzan', leads: 1 },
    ]);
    expect(r.body.byCampaign).toEqual([
      { channel: 'webform', campaign: 'spring', campaignName: 'spring', leads: 2 },
      { channel: 'youzan', campaign: null, campaignName: null, leads: 1 },
    ]);
    expect(r.body.series.reduce((n: number, s: { leads: number }) => n + s.leads, 0)).toBe(3);
  });

  it('sums revenue per first channel, less refunds', async () => {
    const r = await get('/api/reports/revenue?interval=month');
    expect(r.status).toBe(200);
    expect(r.body.totals).toEqual([{ currency: 'CNY', orders: 2, gross: '178.00', refunds: '28.00', net: '150.00' }]);
    expect(r.body.byChannel).toEqual([
      { channel: 'youzan', currency: 'CNY', orders: 1, gross: '128.00', refunds: '28.00', net: '100.00', customers: 1 },
      { channel: 'webform', currency: 'CNY', orders: 1, gross: '50.00', refunds: '0.00', net: '50.00', customers: 1 },
    ]);
  });

  it('filters by channel (repeated or comma-separated) and owner', async () => {
    const both = await get('/api/reports/leads?channel=webform&channel=youzan');
    expect(both.body.filters.channels).toEqual(['webform', 'youzan']);
    expect(both.body.totals.leads).toBe(3);
    expect((await get('/api/reports/leads?channel=youzan')).body.totals.leads).toBe(1);
    expect((await get('/api/reports/revenue?channel=webform,unknown')).body.totals).toEqual([{ currency: 'CNY', orders: 1, gross: '50.00', refunds: '0.00', net: '50.00' }]);
    expect((await get('/api/reports/leads?owner=o-wang')).body.totals.leads).toBe(1);
    expect((await get('/api/reports/leads?owner=none')).body.totals.leads).toBe(2);
  });

  it('reports conversion, first contact, the funnel and the lifecycle', async () => {
    const conversion = await get('/api/reports/conversion?interval=week&tz=Asia/Shanghai');
    expect(conversion.status).toBe(200);
    expect(conversion.body.totals).toMatchObject({ leads: 3, converted: 1, rate: 0.3333 });
    expect(conversion.body.byChannel.map((c: { channel: string; converted: number }) => [c.channel, c.converted])).toEqual([['webform', 1], ['youzan', 0]]);

    const contact = await get('/api/reports/first-contact');
    expect(contact.body.totals).toMatchObject({ customers: 3, contacted: 1, uncontacted: 2 });
    expect(contact.body.byOwner).toEqual([
      expect.objectContaining({ ownerId: 'o-wang', ownerName: '王芳', customers: 1, contacted: 1 }),
      expect.objectContaining({ ownerId: null, customers: 2, contacted: 0 }),
    ]);

    const funnel = await get('/api/reports/funnel');
    expect(funnel.body.stages).toEqual([
      { stage: 'lead', customers: 2 },
      { stage: 'customer', customers: 1 },
    ]);
    expect(funnel.body.steps).toEqual([
      { stage: 'lead', customers: 3, rateFromPrevious: null },
      { stage: 'mql', customers: 0, rateFromPrevious: 0 },
      { stage: 'sql', customers: 0, rateFromPrevious: null },
      { stage: 'customer', customers: 1, rateFromPrevious: null },
    ]);
    expect(funnel.body.transitions).toEqual([{ from: 'lead', to: 'customer', customers: 1 }]);

    const lifecycle = await get('/api/reports/lifecycle');
    expect(lifecycle.body.totals).toEqual({ new: 3, active: 3, becameChurned: 0, dormant: 0, churned: 0 });
  });

  it('answers bad filters with a 400 that names them, and unknown reports with a 404', async () => {
    const cases: [string, string][] = [
      ['/api/reports/leads?from=yesterday', 'from'],
      ['/api/reports/revenue?from=2026-03-02&to=2026-03-01', 'from'],
      ['/api/reports/funnel?interval=hour', 'interval'],
      ['/api/reports/lifecycle?tz=Mars%2FOlympus', 'tz'],
      ['/api/reports/conversion?chanel=webform', 'chanel'],
      ['/api/reports/first-contact?interval=day&interval=week', 'interval'],
    ];
    for (const [path, filter] of cases) {
      const r = await get(path);
      expect({ path, status: r.status, code: r.body.error?.code, filter: r.body.error?.details?.filter }).toEqual({ path, status: 400, code: 'invalid_query', filter });
      expect(r.body.error.message.length).toBeGreaterThan(10);
    }
    expect((await get('/api/reports/nope')).status).toBe(404);
    const anonymous = await fetch(`${sys.url}/api/reports/leads`);
    expect(anonymous.status).toBe(401);
  });
});
