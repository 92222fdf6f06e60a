// The reports page in real headless Chromium against the real API and worker: leads, orders and a
// contact arrive through web form and shop webhooks (customer.upsert in the worker), one lead is
// moved back 45 days, one becomes a customer and one gets an owner in SQL (as customer.score and
// customer.assign write them). Then the charts
// must show the seeded channels and numbers (SVG text, tables, key figures), and change with the
// period, the channel filter and the language; a copied link reopens the same view.
// Screenshots land in test/editor/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openBrowser, signInWithToken, type Browser } from '../support/browser.js';
import { startSystem, type System } from '../support/system.js';

describe('reports in Chromium', () => {
  let sys: System;
  let browser: Browser;
  const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
  const post = async (flow: string, body: Record<string, unknown>) => {
    const ack = await sys.request('POST', `/hooks/${flow}/hook`, body);
    expect(ack.status).toBe(202);
  };
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
  const customerOf = (phone: string) => `(SELECT customer_id FROM customer_identities WHERE type = 'phone' AND value = '+86${phone}')`;
  const kpi = (id: string) => browser.page.getByTestId(`reports-kpi-${id}`).locator('.report-kpi-value');
  const chartText = (text: string | RegExp) => browser.page.getByTestId('reports-chart').locator('svg text', { hasText: text });
  const row = (table: string, key: string) => browser.page.getByTestId(`${table}-row-${key}`);
  /** Waits until a locator's text is `expected` (answers arrive asynchronously). */
  const textBecomes = async (locator: ReturnType<typeof kpi>, expected: string) => {
    await sys.waitFor(async () => (await locator.textContent())?.trim() === expected, 15_000, `text ${expected}`).catch(async (err: Error) => {
      throw new Error(`${err.message}; it is ${JSON.stringify(await locator.textContent())}`);
    });
  };

  beforeAll(async () => {
    sys = await startSystem({ label: 'reports-ui', env: process.env.TRIBUTARY_EDITOR_DIR ? { TRIBUTARY_EDITOR_DIR: process.env.TRIBUTARY_EDITOR_DIR } : undefined });
    await sys.createFlow(flow('webform', 'webform'));
    await sys.createFlow(flow('shop', 'youzan'));
    // Web form: three leads, one of them 45 days ago (below); shop: two buyers, one refund.
    await post('webform', { phone: '13924681201', name: '甲', utm_campaign: 'spring' });
    await post('webform', { phone: '13924681202', name: '乙', utm_campaign: 'spring' });
    await post('webform', { phone: '13924681203', name: '丁' });
    await post('shop', { phone: '13924681204', name: '丙', eventType: 'order_paid', order_id: 'C-1', amount: '128.00', currency: 'CNY', occurredAt: ago(90) });
    await post('shop', { phone: '13924681205', name: '戊', eventType: 'order_paid', order_id: 'E-1', amount: '60.00', currency: 'CNY', occurredAt: ago(80) });
    await sys.drain();
    await post('shop', { phone: '13924681204', eventType: 'order_refunded', order_id: 'C-1', amount: '28.00', currency: 'CNY', occurredAt: ago(30) });
    await post('webform', { phone: '13924681202', eventType: 'contacted', occurredAt: ago(0) });
    await sys.drain();
    await sys.db.query(`UPDATE customers SET created_at = now() - interval '45 days' WHERE id = ${customerOf('13924681203')}`);
    await sys.db.query(
      `WITH s AS (UPDATE customers SET stage = 'customer', stage_changed_at = now() WHERE id = ${customerOf('13924681201')})
       INSERT INTO customer_events (customer_id, type, occurred_at, payload, source, idempotency_key)
       SELECT ${customerOf('13924681201')}, 'stage_changed', now(), '{"from":"lead","to":"customer","rule":"purchase"}', 'customer.score', 'e2e:stage'`,
    );
    // What customer.assign writes: 乙 has an owner.
    await sys.db.query(`INSERT INTO owners (id, name) VALUES ('o-wang', '王芳')`);
    await sys.db.query(`UPDATE customers SET owner_id = 'o-wang', assigned_at = created_at WHERE id = ${customerOf('13924681202')}`);
    const leads = await sys.request('GET', '/api/reports/leads');
    expect(leads.body.totals).toEqual({ leads: 4 });

    browser = await openBrowser({ locale: 'en-US' });
    const { page } = browser;
    await signInWithToken(page, sys.url + '/#/flows', sys.token);
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  it('charts leads by channel over the last 30 days, with the numbers in a table', async () => {
    const { page } = browser;
    await page.getByTestId('nav-reports').click();
    await page.getByTestId('reports-page').waitFor();
    expect(page.url()).toMatch(/#\/reports$/);
    await textBecomes(kpi('leads'), '4');
    // The SVG chart: the legend names both channels (the web form leads first: same count, by name).
    await chartText('webform').first().waitFor();
    await chartText('youzan').first().waitFor();
    expect(await row('reports-table', 'webform').locator('td').allTextContents()).toEqual(['webform', '2', '50%']);
    expect(await row('reports-table', 'youzan').locator('td').allTextContents()).toEqual(['youzan', '2', '50%']);
    expect(await page.getByTestId('reports-campaigns-row-webform:spring').locator('td').allTextContents()).toEqual(['spring', 'webform', '2']);
    expect(await page.getByTestId('reports-interval').inputValue()).toBe('');
    expect(await page.getByTestId('reports-interval').locator('option:checked').textContent()).toBe('Auto (Day)');
    await browser.screenshot('reports-leads');

    // The chart's own numbers, as a table.
    await page.getByTestId('reports-show-table').click();
    const table = page.getByTestId('reports-chart-table');
    expect(await table.locator('tbody tr').count()).toBe(30);
    expect(await table.locator('thead th').allTextContents()).toEqual(['', 'webform', 'youzan']);
    const today = await table.locator('tbody tr').last().locator('td').allTextContents();
    expect(today.slice(1).map(Number).reduce((a, b) => a + b, 0)).toBe(4);
    await page.getByTestId('reports-show-chart').click();
    await chartText('youzan').first().waitFor();
  });

  it('follows the period and the channel filter, and a copied link reopens the view', async () => {
    const { page } = browser;
    await page.getByTestId('reports-range-90d').click();
    await textBecomes(kpi('leads'), '5');
    expect(await row('reports-table', 'webform').locator('td').allTextContents()).toEqual(['webform', '3', '60%']);
    expect(page.url()).toContain('range=90d');
    // 90 days are drawn by week.
    expect(await page.getByTestId('reports-interval').locator('option:checked').textContent()).toBe('Auto (Week)');

    await page.getByTestId('reports-channels-toggle').click();
    await page.getByTestId('reports-channel-youzan').click();
    await textBecomes(kpi('leads'), '2');
    await browser.screenshot('reports-channel-filter');
    await page.keyboard.press('Escape');
    expect(page.url()).toContain('channel=youzan');
    expect(await page.getByTestId('reports-channels-toggle').textContent()).toContain('youzan');
    await chartText('webform').first().waitFor({ state: 'detached' });
    await chartText('youzan').first().waitFor();
    expect(await page.getByTestId('reports-table').locator('tbody tr').count()).toBe(1);

    // The link keeps the view: another tab opens on it.
    const link = page.url();
    const other = await browser.context.newPage();
    await other.goto(link);
    await other.getByTestId('reports-page').waitFor();
    await sys.waitFor(async () => (await other.getByTestId('reports-kpi-leads').locator('.report-kpi-value').textContent()) === '2', 15_000, 'the link’s view');
    expect(await other.getByTestId('reports-range-90d').getAttribute('aria-pressed')).toBe('true');
    await other.close();

    // A period with nothing in it: the empty state, and the way back.
    await page.getByTestId('reports-range-custom').click();
    await page.getByTestId('reports-from').fill('2025-01-01');
    await page.getByTestId('reports-to').fill('2025-01-31');
    await page.getByTestId('reports-empty').waitFor();
    await textBecomes(kpi('leads'), '0');
    await browser.screenshot('reports-empty');
    expect(page.url()).toContain('from=2025-01-01');
    // Dates the page cannot ask for, and a question the API refuses: both say why.
    await page.getByTestId('reports-from').fill('2025-02-10');
    await page.getByText('The start date is after the end date.').waitFor();
    await page.goto(`${sys.url}/#/reports/leads?range=custom&from=2021-01-01&to=2025-12-31&interval=day&channel=youzan`);
    await page.locator('.reports-page p.error', { hasText: 'more than 1000 days' }).waitFor();
    await page.getByTestId('reports-interval').selectOption('');
    await textBecomes(kpi('leads'), '0');
    await page.getByTestId('reports-range-30d').click();
    await page.getByTestId('reports-channels-toggle').click();
    await page.getByTestId('reports-channels-all').click();
    await page.keyboard.press('Escape');
    await textBecomes(kpi('leads'), '4');
    // Back to the defaults: nothing left in the query.
    expect(page.url()).toMatch(/#\/reports\/leads$/);

    // By owner: 王芳's one lead, then the unassigned ones.
    await page.getByTestId('reports-owners-toggle').click();
    await page.getByTestId('reports-owner-o-wang').click();
    await textBecomes(kpi('leads'), '1');
    expect(page.url()).toContain('owner=o-wang');
    expect(await page.getByTestId('reports-owners-toggle').textContent()).toContain('王芳');
    await page.getByTestId('reports-owner-o-wang').click();
    await page.getByTestId('reports-owner-none').click();
    await textBecomes(kpi('leads'), '3');
    await page.getByTestId('reports-owners-all').click();
    await page.keyboard.press('Escape');
    await textBecomes(kpi('leads'), '4');
  });

  it('shows revenue, conversion, first contact, the funnel and the lifecycle', async () => {
    const { page } = browser;
    await page.getByTestId('reports-tab-revenue').click();
    await textBecomes(kpi('net'), '¥160.00');
    expect(await kpi('gross').textContent()).toBe('¥188.00');
    expect(await kpi('refunds').textContent()).toBe('¥28.00');
    expect(await row('reports-table', 'youzan').locator('td').allTextContents()).toEqual(['youzan', '2', '2', '¥188.00', '¥28.00', '¥160.00']);
    await chartText('Net revenue').first().waitFor();
    await browser.screenshot('reports-revenue');

    await page.getByTestId('reports-tab-conversion').click();
    await textBecomes(kpi('rate'), '25%');
    expect(await row('reports-table', 'webform').locator('td').allTextContents()).toEqual(['webform', '2', '1', '50%', '0 days']);
    await chartText('50%').first().waitFor();
    await browser.screenshot('reports-conversion');

    await page.getByTestId('reports-tab-first-contact').click();
    await textBecomes(kpi('uncontacted'), '3');
    expect(await kpi('contacted').textContent()).toBe('1');
    expect(await row('reports-owners', 'o-wang').locator('td').first().textContent()).toBe('王芳');
    expect(await row('reports-owners', 'o-wang').locator('td').nth(2).textContent()).toBe('1');
    await chartText('90th percentile').first().waitFor();
    await browser.screenshot('reports-first-contact');

    await page.getByTestId('reports-tab-funnel').click();
    await textBecomes(kpi('leads'), '4');
    // Stages on the axis, counts (and the rate from the step before) on the bars.
    await chartText(/^Lead$/).waitFor();
    await chartText(/^Customer$/).waitFor();
    await chartText(/^0\s+·\s+0%$/).waitFor();
    await page.getByTestId('reports-show-table').click();
    expect(await page.getByTestId('reports-chart-table').locator('tbody tr').first().locator('td').allTextContents()).toEqual(['Lead', '4']);
    await page.getByTestId('reports-show-chart').click();
    expect(await page.getByTestId('reports-transitions-row-lead>customer').locator('td').allTextContents()).toEqual(['Lead', 'Customer', '1']);
    await browser.screenshot('reports-funnel');

    await page.getByTestId('reports-tab-lifecycle').click();
    await textBecomes(kpi('new'), '4');
    expect(await page.getByTestId('reports-chart-table').locator('tbody tr').count()).toBe(30);
    await chartText('Active').first().waitFor();
    await browser.screenshot('reports-lifecycle');
  });

  it('speaks the chosen language and follows the window’s size', async () => {
    const { page } = browser;
    await page.getByTestId('reports-tab-leads').click();
    await textBecomes(kpi('leads'), '4');
    await page.getByTestId('language-switch').selectOption('zh-CN');
    await page.getByTestId('reports-tab-leads').getByText('线索').waitFor();
    expect(await page.getByTestId('reports-kpi-leads').locator('.report-kpi-label').textContent()).toBe('新增线索');
    expect(await page.getByTestId('reports-range-7d').textContent()).toBe('近 7 天');
    // Axis dates in Chinese (e.g. 3月2日).
    await page.getByTestId('reports-chart').locator('svg text', { hasText: /^\d+月\d+日$/ }).first().waitFor();
    await page.getByTestId('reports-tab-revenue').click();
    await textBecomes(kpi('net'), '¥160.00');
    await chartText('净营收').first().waitFor();
    await browser.screenshot('reports-zh');

    const width = async () => Number(await page.getByTestId('reports-chart').locator('svg').first().getAttribute('width'));
    const wide = await width();
    await page.setViewportSize({ width: 1000, height: 800 });
    await sys.waitFor(async () => (await width()) < wide - 300, 10_000, 'the chart to shrink with the window');
    await browser.screenshot('reports-narrow');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId('language-switch').selectOption('en');
  });
});
