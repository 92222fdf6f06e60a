// "Test a step" in the flow editor: a node tested alone on pinned items (output as a table and
// as JSON), a run up to a node from the trigger's pinned items, a failing step's error, badges on the
// canvas, pinned items kept over a reload, and no run left behind.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openBrowser, signInWithToken, type Browser } from '../support/browser.js';
import { startSystem, type System } from '../support/system.js';

describe('test a step in the editor (Chromium)', () => {
  let sys: System;
  let browser: Browser;

  beforeAll(async () => {
    sys = await startSystem({ label: 'steptest-ui', workers: 0 });
    await sys.createFlow(
      {
        schemaVersion: 1,
        id: 'lead-intake',
        name: '线索录入',
        nodes: [
          { id: 'start', type: 'core.manual', version: 1, config: {}, position: { x: 0, y: 0 } },
          {
            id: 'tidy',
            type: 'core.transform',
            version: 1,
            name: 'Tidy lead',
            config: { expression: '{ "name": name, "email": $lowercase(email), "phone": phone, "address": { "city": city, "district": district } }' },
            position: { x: 300, y: 0 },
          },
          { id: 'save', type: 'customer.upsert', version: 1, name: 'Save customer', config: { source: 'webform' }, position: { x: 600, y: 0 } },
          { id: 'count', type: 'core.transform', version: 1, name: 'Count leads', config: { expression: '$count($)', mode: 'all' }, position: { x: 300, y: 130 } },
          { id: 'report', type: 'core.transform', version: 1, name: 'Format count', config: { expression: '$' }, position: { x: 600, y: 130 } },
        ],
        edges: [
          { from: 'start', to: 'tidy' },
          { from: 'tidy', to: 'save' },
          { from: 'start', to: 'count' },
          { from: 'count', to: 'report' },
        ],
      },
      false,
    );
    browser = await openBrowser({ locale: 'en-US' });
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  it('tests a node alone on pinned items and shows the output as a table and as JSON', async () => {
    const { page } = browser;
    await signInWithToken(page, sys.url + '/', sys.token);
    await page.goto(sys.url + '/#/flows/lead-intake');
    await page.getByTestId('flow-editor').waitFor();

    await page.getByTestId('flow-node-tidy').click();
    await page.getByTestId('step-test').waitFor();
    // The header's shortcut brings the Test section (below the form) into view.
    await page.getByTestId('config-jump-to-test').click();
    await page.waitForFunction(() => {
      const r = document.querySelector('[data-testid="step-test"]')!.getBoundingClientRect();
      return r.top >= 0 && r.top < window.innerHeight;
    });
    // A pure node: no warning. core.transform declares a sample, so the items start from it.
    expect(await page.getByTestId('step-test-effects').count()).toBe(0);
    expect(await page.getByTestId('step-test-source').getAttribute('data-source')).toBe('sample');

    const items = page.getByTestId('step-test-items');
    await items.fill('[{"name": "周敏", "email": "Zhou.Min@Corp-Mail.cn"');
    await page.getByTestId('step-test-parse-error').waitFor();
    expect(await page.getByTestId('step-test-node').isDisabled()).toBe(true);
    await items.fill(
      JSON.stringify([
        { name: '周敏', email: 'Zhou.Min@Corp-Mail.cn', phone: '13924681357', city: '杭州', district: '西湖区' },
        { name: '刘洋', email: 'LIU.Yang@corp-mail.cn', phone: '13857924680', city: '上海', district: '浦东新区' },
      ]),
    );
    expect(await page.getByTestId('step-test-parse-error').count()).toBe(0);
    await page.getByTestId('step-test-pin').click();
    expect(await page.getByTestId('step-test-source').getAttribute('data-source')).toBe('pinned');

    await page.getByTestId('step-test-node').click();
    await page.locator('[data-testid="step-test-result"][data-status="succeeded"]').waitFor();
    expect(await page.getByTestId('step-test-summary').getAttribute('data-status')).toBe('succeeded');
    // Input and output side by side; the output as a table with a column per key.
    const input = page.getByTestId('step-test-input-table');
    expect(await input.locator('tbody tr').count()).toBe(2);
    const output = page.getByTestId('step-test-output-out-table');
    expect(await output.locator('thead th').allTextContents()).toEqual(['#', 'name', 'email', 'phone', 'address']);
    const first = await output.locator('tbody tr').first().locator('td').allTextContents();
    expect(first).toEqual(['1', '周敏', 'zhou.min@corp-mail.cn', '13924681357', '{"city":"杭州","district":"西湖区"}']);
    expect(await page.getByTestId('step-test-output-out-count').textContent()).toBe('2 items');
    // core.transform's other port, empty here.
    await page.getByTestId('step-test-port-error').waitFor();
    expect(await page.getByTestId('flow-node-test-tidy').getAttribute('data-status')).toBe('succeeded');
    expect(await page.getByTestId('flow-node-test-tidy').textContent()).toBe('✓ 2');
    await browser.screenshot('step-test-node');

    await page.getByTestId('step-test-output-out-json-toggle').click();
    const json = JSON.parse((await page.getByTestId('step-test-output-out-json').textContent())!);
    expect(json[1]).toEqual({ name: '刘洋', email: 'liu.yang@corp-mail.cn', phone: '13857924680', address: { city: '上海', district: '浦东新区' } });
    await page.getByTestId('step-test-port-error').click();
    await page.getByTestId('step-test-output-error-empty').waitFor();
  });

  it("runs the flow up to a node from the trigger's pinned items, with a warning about real effects", async () => {
    const { page } = browser;
    // Items pinned on the trigger are what a run up to any node after it starts with.
    await page.getByTestId('flow-node-start').click();
    await page.getByTestId('step-test-items').fill(JSON.stringify([{ name: '王芳', email: 'Wang.Fang@corp-mail.cn', phone: '13924681357', city: '杭州', district: '滨江区' }]));
    await page.getByTestId('step-test-pin').click();

    await page.getByTestId('flow-node-save').click();
    await page.getByTestId('step-test-effects').waitFor();
    expect(await page.getByTestId('step-test-until-hint').textContent()).toMatch(/starts at start with its pinned items.*Real effects: Save customer/);
    // tidy was tested: its output is this node's upstream input.
    await page.getByTestId('step-test-use-upstream').click();
    expect(await page.getByTestId('step-test-source').getAttribute('data-source')).toBe('upstream');

    await page.getByTestId('step-test-until').click();
    await page.locator('[data-testid="step-test-result"][data-status="succeeded"]').waitFor();
    expect(await page.getByTestId('step-test-input-table').locator('tbody tr').count()).toBe(1);
    expect(await page.getByTestId('step-test-input-table').textContent()).toContain('wang.fang@corp-mail.cn');
    const output = page.getByTestId('step-test-output-out-table');
    await output.waitFor();
    expect(await output.locator('thead th').allTextContents()).toEqual(expect.arrayContaining(['customerId', 'created', 'resolution']));
    for (const id of ['start', 'tidy', 'save']) {
      expect(await page.getByTestId(`flow-node-test-${id}`).getAttribute('data-status')).toBe('succeeded');
    }
    // tidy's result is now the one of this run (one item), not the two pinned ones.
    expect(await page.getByTestId('flow-node-test-tidy').textContent()).toBe('✓ 1');
    await browser.screenshot('step-test-until');
    // The side effect was real, and no run was recorded.
    const customers = await sys.request('GET', '/api/customers?phone=13924681357');
    expect(customers.body.items).toHaveLength(1);
    expect((await sys.request('GET', '/api/runs')).body.items).toEqual([]);
  });

  it("shows a failing step's error on the result and on the canvas", async () => {
    const { page } = browser;
    await page.getByTestId('step-test-result-toggle').click();
    // Run up to a node after the failing one: the run stops at count, report is not reached.
    await page.getByTestId('flow-node-report').click();
    await page.getByTestId('step-test-node').click();
    await page.locator('[data-testid="flow-node-test-report"][data-status="succeeded"]').waitFor();
    await page.getByTestId('step-test-result-toggle').click();
    await page.getByTestId('step-test-until').click();
    await page.locator('[data-testid="step-test-summary"][data-status="failed"]').waitFor();
    expect(await page.getByTestId('step-test-summary').textContent()).toMatch(/Failed at Count leads · 2 steps/);
    // Its result alone, from before, no longer follows from these items: dropped.
    expect(await page.getByTestId('step-test-result').count()).toBe(0);
    expect(await page.getByTestId('flow-node-test-report').count()).toBe(0);
    expect(await page.getByTestId('flow-node-test-count').getAttribute('data-status')).toBe('failed');

    await page.getByTestId('step-test-show-failed').click();
    await page.locator('[data-testid="step-test-result"][data-status="failed"]').waitFor();
    expect(await page.getByTestId('config-node-name').inputValue()).toBe('Count leads');
    const error = page.getByTestId('step-test-error');
    expect(await error.textContent()).toMatch(/invalid_result.*must return an object/);
    // The node sat where the drawer now is: the canvas moves it back into view.
    await page.waitForFunction(() => {
      const node = document.querySelector('.react-flow__node[data-id="count"]')!.getBoundingClientRect();
      const pane = document.querySelector('.canvas > .react-flow')!.getBoundingClientRect();
      return node.top >= pane.top && node.bottom <= pane.bottom;
    });
    await browser.screenshot('step-test-error');
  });

  it('keeps pinned items and results over a reload', async () => {
    const { page } = browser;
    await page.reload();
    await page.getByTestId('flow-editor').waitFor();
    await page.getByTestId('flow-node-test-count').waitFor();
    await page.getByTestId('flow-node-tidy').click();
    expect(await page.getByTestId('step-test-source').getAttribute('data-source')).toBe('pinned');
    expect(await page.getByTestId('step-test-items').inputValue()).toContain('周敏');
    await page.getByTestId('step-test-unpin').click();
    expect(await page.getByTestId('step-test-unpin').count()).toBe(0);
    expect(await page.getByTestId('step-test-source').getAttribute('data-source')).toBe('edited');

    // The same in Chinese.
    await page.getByTestId('language-switch').selectOption('zh-CN');
    expect(await page.getByTestId('step-test-node').textContent()).toBe('测试此步骤');
    expect(await page.getByTestId('step-test-input-count').textContent()).toBe('1 条');
    await browser.screenshot('step-test-zh');
    await page.getByTestId('language-switch').selectOption('en');
  });
});
