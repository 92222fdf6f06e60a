// The editor in real headless Chromium against the real API and worker: sign in, build a flow
// from the palette by dragging, connect it (an invalid connection is refused with a reason),
// configure a node in the generated form, see the API's validation error on the field and the
// node, save and publish, post to the webhook and watch the run turn green, find the customer,
// and switch to Chinese and back. Screenshots land in test/editor/screenshots/ to look at.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openBrowser, type Browser } from '../support/browser.js';
import { startSystem, type System } from '../support/system.js';

describe('the editor in Chromium', () => {
  let sys: System;
  let browser: Browser;

  beforeAll(async () => {
    sys = await startSystem({ label: 'editor' });
    browser = await openBrowser({ locale: 'en-US' });
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  it('refuses a wrong token and signs in with the right one', async () => {
    const { page } = browser;
    await page.goto(sys.url + '/');
    await page.getByTestId('signin-token').fill('not-the-token');
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('signin-error').waitFor();
    expect(await page.getByTestId('signin-error').textContent()).toMatch(/token/i);
    await page.getByTestId('signin-token').fill(sys.token);
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('side-nav').waitFor();
  });

  it('builds a flow by dragging from the palette, refuses a bad connection, and shows validation errors where they are', async () => {
    const { page } = browser;
    await page.goto(sys.url + '/#/flows');
    await page.getByTestId('new-flow').click();
    await page.getByTestId('palette').waitFor();
    // Each node's icon is the one its catalogue entry names (lucide's `webhook`), loaded on demand.
    await page.locator('[data-testid="palette-item-core.webhook"] [data-icon="webhook"] svg').waitFor();
    await page.getByTestId('flow-name').fill('Web leads');
    const canvas = page.getByTestId('canvas');
    await page.getByTestId('palette-item-core.webhook').dragTo(canvas, { targetPosition: { x: 120, y: 200 } });
    await page.getByTestId('palette-search').fill('upsert');
    await page.getByTestId('palette-item-customer.upsert').dragTo(canvas, { targetPosition: { x: 420, y: 320 } });
    expect(await page.locator('.react-flow__node').count()).toBe(2);

    await page.getByTestId('handle-webhook-out-out').dragTo(page.getByTestId('handle-upsert-in-in'));
    expect(await page.locator('.react-flow__edge').count()).toBe(1);
    // A node's output into its own input is refused, with the reason.
    await page.getByTestId('handle-upsert-out-error').dragTo(page.getByTestId('handle-upsert-in-in'));
    await page.getByTestId('editor-notice-text').waitFor();
    expect(await page.getByTestId('editor-notice-text').textContent()).toMatch(/itself|same node|cycle/i);
    expect(await page.locator('.react-flow__edge').count()).toBe(1);

    // A transform with a broken expression: the API's error shows on the field, the node and the list.
    await page.getByTestId('palette-search').fill('transform');
    await page.getByTestId('palette-item-core.transform').dragTo(canvas, { targetPosition: { x: 120, y: 420 } });
    await page.getByTestId('handle-webhook-out-out').dragTo(page.getByTestId('handle-transform-in-in'));
    await page.getByTestId('flow-node-transform').click();
    await page.getByTestId('config-form').waitFor();
    await page.locator('#root_expression').fill('{ "a": ');
    await page.getByTestId('save-flow').click();
    await page.getByTestId('problem-list').waitFor();
    expect(await page.getByTestId('problem-list').textContent()).toMatch(/expression/);
    await page.getByTestId('flow-node-problems-transform').waitFor();
    await browser.screenshot('validation-error');

    await page.locator('#root_expression').fill('$merge([$, {"channel": "web"}])');
    await page.getByTestId('save-flow').click();
    await page.waitForURL(/#\/flows\/(?!new)/);
    await page.getByTestId('problem-list').waitFor({ state: 'detached' });
  });

  it('publishes, shows the webhook URL, and the run of a delivery turns green; the customer can be found', async () => {
    const { page } = browser;
    await page.getByTestId('publish-flow').click();
    // Publish asks first, with what goes live: on a first publish, every node is new.
    await page.getByTestId('diff-view').waitFor();
    expect(await page.getByTestId('publish-against').textContent()).toMatch(/First publish/);
    await page.getByTestId('diff-node-added-transform').waitFor();
    await page.getByTestId('publish-confirm').click();
    const url = page.locator('[data-testid^="webhook-url-"]').first();
    await url.waitFor();
    const hook = (await url.textContent())!.trim();
    expect(hook).toMatch(/\/hooks\/.+\/webhook$/);
    await browser.screenshot('published');

    await page.getByTestId('nav-runs').click();
    await page.getByTestId('runs-page').waitFor();
    const res = await fetch(hook.replace(/^https?:\/\/[^/]+/, sys.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '13924680123', name: '李雷' }),
    });
    expect(res.status).toBe(202);
    await page.locator('[data-testid="run-status"].status-succeeded').first().waitFor({ timeout: 20_000 });
    await browser.screenshot('run-green');

    await page.getByTestId('nav-customers').click();
    await page.getByTestId('customers-search').fill('13924680123');
    await page.getByTestId('customers-search').press('Enter');
    // The list shown before the search also holds this customer: wait for the answer to the search itself.
    await page.locator('[data-testid="customers-results"][data-query="13924680123"]').waitFor();
    expect(await page.locator('[data-testid^="customer-row-"]').count()).toBe(1);

    // Open the customer the run created: the phone is an identity, the name came from this flow's run.
    await page.locator('[data-testid^="customer-row-"]').first().click();
    await page.getByTestId('customer-view').waitFor();
    expect(await page.getByTestId('customer-name').textContent()).toBe('李雷');
    await page.getByTestId('identity-phone-+8613924680123').waitFor();
    await page.locator('[data-testid^="attribute-run-"]').first().waitFor();
    await page.locator('[data-testid^="timeline-event-"]').first().waitFor();
    await browser.screenshot('customer-created');
  });

  it('switches to Chinese and back', async () => {
    const { page } = browser;
    const nav = page.getByTestId('nav-flows');
    expect(await nav.textContent()).toMatch(/Flows/);
    await page.getByTestId('language-switch').selectOption('zh-CN');
    await page.waitForFunction(() => !/Flows/.test(document.querySelector('[data-testid="nav-flows"]')?.textContent ?? 'Flows'));
    expect(await nav.textContent()).toMatch(/[\u4e00-\u9fff]/);
    await page.getByTestId('language-switch').selectOption('en');
    await page.waitForFunction(() => /Flows/.test(document.querySelector('[data-testid="nav-flows"]')?.textContent ?? ''));
  });
});
