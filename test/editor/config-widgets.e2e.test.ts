// The node settings form's own widgets in Chromium against the real API: a JSONata field checks
// its syntax as you type (line and column of the error) and previews the result — evaluated by the
// engine's evaluator in a Web Worker — against the node's sample input, then against pinned input
// items, per item and over all items; a runaway expression is stopped without freezing the page.
// A connection field lists the connections of the node's type, checks one, and creates a new one
// from the form generated from the connector's secrets schema; the node's config gets its id and
// the secret never comes back.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { openBrowser, signInWithToken, SCREENSHOT_DIR, type Browser } from '../support/browser.js';
import { startSystem, type System } from '../support/system.js';

const FLOW_ID = 'widget-lab';

describe('config panel widgets (Chromium)', () => {
  let sys: System;
  let browser: Browser;
  let formToolId: string;

  beforeAll(async () => {
    sys = await startSystem({ label: 'config-widgets' });
    const tool = await sys.request('POST', '/api/connections', { type: 'core.webhook', name: 'Form tool', secrets: { secret: 'hook-secret-1' } });
    expect(tool.status).toBe(201);
    formToolId = tool.body.id;
    // Another type: must not be offered to the webhook.
    expect((await sys.request('POST', '/api/connections', { type: 'smtp', name: 'Mail relay', secrets: { host: 'smtp.corp-mail.cn', from: 'crm@corp-mail.cn' } })).status).toBe(201);
    // Too short for token auth: its check fails with the connector's reason.
    expect((await sys.request('POST', '/api/connections', { type: 'forms', name: 'Short token', secrets: { token: 'abc12' } })).status).toBe(201);
    await sys.createFlow(
      {
        schemaVersion: 1,
        id: FLOW_ID,
        name: 'Widget lab',
        nodes: [
          { id: 'hook', type: 'core.webhook', version: 1, config: { auth: 'none' }, position: { x: 0, y: 0 } },
          { id: 'shape', type: 'core.transform', version: 1, config: { expression: '$' }, position: { x: 320, y: 0 } },
          { id: 'form', type: 'forms.webhook', version: 1, config: { auth: 'none' }, position: { x: 0, y: 200 } },
        ],
        edges: [{ from: 'hook', to: 'shape' }],
      },
      false,
    );
    browser = await openBrowser({ locale: 'en-US' });
    const { page } = browser;
    await signInWithToken(page, sys.url + '/', sys.token);
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  it('serves each connection type’s secrets schema with the catalogue (what the New connection form is made from)', async () => {
    const nodes = await sys.request('GET', '/api/nodes');
    const byId = new Map((nodes.body.connectors as Array<{ id: string; auth: { properties?: Record<string, unknown> } | null }>).map((c) => [c.id, c]));
    expect(Object.keys(byId.get('core')!.auth!.properties!)).toEqual(['secret', 'token']);
    expect(byId.get('smtp')!.auth!.properties).toHaveProperty('host');
    expect(byId.get('ads')!.auth).toBeNull();
    expect(nodes.body.items.find((n: { id: string }) => n.id === 'notify.email').connection).toEqual({ type: 'smtp', required: true });
  });

  const result = () => browser.page.getByTestId('jsonata-result-root_expression');

  async function openNode(nodeId: string) {
    const { page } = browser;
    await page.getByTestId(`flow-node-${nodeId}`).click();
    await page.getByTestId('config-form').waitFor();
  }

  it('shows a syntax error with its line and column, then the result for the node’s sample input', async () => {
    const { page } = browser;
    await page.goto(`${sys.url}/#/flows/${FLOW_ID}`);
    await openNode('shape');
    const box = page.locator('#root_expression');
    await box.fill('{\n  "email": $lowercase(email),\n  "name": first & ~ last\n}');
    const error = page.getByTestId('jsonata-error-root_expression');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/Syntax error\s*line 3, column 19.*Unknown operator: "~".*S0204/);
    expect(await page.getByTestId('jsonata-preview-root_expression').textContent()).toMatch(/Fix the syntax error/);
    await browser.screenshot('config-jsonata-error');
    await page.getByTestId('config-panel').screenshot({ path: join(SCREENSHOT_DIR, 'config-jsonata-error-panel.png') });

    await box.fill('{\n  "email": $lowercase(email),\n  "name": first & " " & last,\n  "index": $index\n}');
    await error.waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.querySelector('[data-testid="jsonata-result-root_expression"]')?.textContent?.includes('Ada Lovelace'));
    // The transform's sample input: { email: 'Ada@Example.com', first: 'Ada', last: 'Lovelace' }.
    expect(JSON.parse((await result().textContent())!)).toEqual({ email: 'ada@example.com', name: 'Ada Lovelace', index: 0 });
    expect(await page.getByTestId('jsonata-preview-root_expression').textContent()).toMatch(/sample input/);
  });

  it('previews against pinned items, item by item, over all items in "all" mode, and reports evaluation errors', async () => {
    const { page } = browser;
    const pinned = [
      { email: 'LI.Lei@Corp-Mail.cn', first: 'Lei', last: 'Li' },
      { email: 'han.meimei@corp-mail.cn', first: 'Meimei', last: 'Han' },
    ];
    await page.evaluate(([key, items]) => localStorage.setItem(key as string, JSON.stringify({ results: {}, pinned: { shape: items } })), [`tributary.testData.${FLOW_ID}`, pinned] as const);
    await page.reload();
    await openNode('shape');
    const box = page.locator('#root_expression');
    await box.fill('{ "email": $lowercase(email), "name": first & " " & last, "index": $index, "run": $runId }');
    await page.waitForFunction(() => document.querySelector('[data-testid="jsonata-result-root_expression"]')?.textContent?.includes('Lei Li'));
    expect(JSON.parse((await result().textContent())!)).toEqual({ email: 'li.lei@corp-mail.cn', name: 'Lei Li', index: 0, run: 'preview' });
    expect(await page.getByTestId('jsonata-preview-root_expression').textContent()).toMatch(/pinned input.*Item 1 of 2/);
    await page.getByTestId('jsonata-next-root_expression').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="jsonata-result-root_expression"]')?.textContent?.includes('Meimei Han'));
    expect(JSON.parse((await result().textContent())!)).toMatchObject({ index: 1 });
    await browser.screenshot('config-jsonata-preview');
    await page.getByTestId('config-panel').screenshot({ path: join(SCREENSHOT_DIR, 'config-jsonata-preview-panel.png') });

    // "all" mode: `$` is the array of items (the schema's if/then gives the field x-scope "items").
    await page.locator('#root_mode').selectOption('all');
    await box.fill('{ "count": $count($items), "emails": $.email }');
    await page.waitForFunction(() => document.querySelector('[data-testid="jsonata-result-root_expression"]')?.textContent?.includes('"count": 2'));
    expect(JSON.parse((await result().textContent())!)).toEqual({ count: 2, emails: pinned.map((p) => p.email) });
    expect(await page.getByTestId('jsonata-preview-root_expression').textContent()).toMatch(/All items \(2\)/);

    // A run-time error comes back from the engine with its position.
    await box.fill('$uppercase(1)');
    await page.waitForFunction(() => document.querySelector('[data-testid="jsonata-result-root_expression"]')?.getAttribute('data-status') === 'error');
    expect(await page.getByTestId('jsonata-runtime-root_expression').textContent()).toMatch(/Evaluation error\s*line 1, column \d+.*T0410/);
  });

  it('stops a runaway expression without freezing the page', async () => {
    const { page } = browser;
    const box = page.locator('#root_expression');
    // Catastrophic backtracking inside one regex call: jsonata's own time limit cannot interrupt it.
    await box.fill('$contains("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", /^(a+)+$/)');
    const started = Date.now();
    await page.waitForFunction(() => document.querySelector('[data-testid="jsonata-result-root_expression"]')?.getAttribute('data-status') === 'timeout', undefined, { timeout: 15_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await result().textContent()).toMatch(/Stopped/);
    // The page answered all along, and a new worker evaluates the next expression.
    await box.fill('$count($)');
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="jsonata-result-root_expression"]');
      return el?.getAttribute('data-status') === 'ok' && el.textContent?.trim() === '2';
    });
  });

  it('picks a connection of the node’s type, checks it, and creates a new one from the generated form', async () => {
    const { page } = browser;
    await openNode('hook');
    const select = page.getByTestId('connection-select');
    await select.waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="connection-select"] option').length > 1);
    const offered = await select.locator('option').allTextContents();
    expect(offered).toContain('Form tool');
    expect(offered).not.toContain('Mail relay');

    await select.selectOption(formToolId);
    expect(await page.getByTestId('connection-meta').textContent()).toMatch(/core\.webhook.*secrets: secret/);
    await page.getByTestId('connection-check').click();
    await page.getByTestId('connection-check-result').waitFor();
    expect(await page.getByTestId('connection-check-result').getAttribute('data-ok')).toBe('true');

    await page.getByTestId('connection-new').click();
    const dialog = page.getByTestId('connection-dialog');
    await dialog.waitFor();
    await page.getByTestId('connection-new-name').fill('Signed form tool');
    const secretInput = dialog.locator('#secrets_secret');
    expect(await secretInput.getAttribute('type')).toBe('password');
    await secretInput.fill('very-secret-hmac-key-42');
    await browser.screenshot('config-connection-dialog');
    await page.getByTestId('connection-create').click();
    await dialog.waitFor({ state: 'detached' });

    const created = (await sys.request('GET', '/api/connections')).body.items.find((c: { name: string }) => c.name === 'Signed form tool');
    expect(created).toMatchObject({ type: 'core.webhook', secretKeys: ['secret'] });
    await page.waitForFunction((id) => (document.querySelector('[data-testid="connection-select"]') as HTMLSelectElement | null)?.value === id, created.id);
    expect(await page.getByTestId('connection-meta').textContent()).toMatch(/secrets: secret/);
    expect(await page.content()).not.toContain('very-secret-hmac-key-42');
    await browser.screenshot('config-connection');
    await page.getByTestId('config-panel').screenshot({ path: join(SCREENSHOT_DIR, 'config-connection-panel.png') });

    await page.getByTestId('language-switch').selectOption('zh-CN');
    await page.getByTestId('connection-new').click();
    await dialog.waitFor();
    // The title names the node in Chinese too (the catalogue's zh-CN texts), and so do the secret fields.
    expect(await dialog.textContent()).toMatch(/新建 Webhook 触发器 连接/);
    expect(await dialog.textContent()).toMatch(/HMAC 密钥/);
    await browser.screenshot('config-connection-dialog-zh');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('language-switch').selectOption('en');

    // The node's config holds the id: save and read the flow back.
    await page.getByTestId('save-flow').click();
    await sys.waitFor(async () => {
      const flow = await sys.request('GET', `/api/flows/${FLOW_ID}`);
      return flow.body.document.nodes.find((n: { id: string }) => n.id === 'hook')?.config?.connection === created.id;
    }, 15_000, 'the saved flow to name the new connection');
  });

  it('shows why a check fails', async () => {
    const { page } = browser;
    await openNode('form');
    const select = page.getByTestId('connection-select');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="connection-select"] option')].some((o) => o.textContent === 'Short token'));
    await select.selectOption({ label: 'Short token' });
    await page.getByTestId('connection-check').click();
    const res = page.getByTestId('connection-check-result');
    await res.waitFor();
    expect(await res.getAttribute('data-ok')).toBe('false');
    expect(await res.textContent()).toMatch(/"token" is 5 characters; use at least 16/);
    await page.getByTestId('config-panel').screenshot({ path: join(SCREENSHOT_DIR, 'config-connection-check-failed.png') });
  });
});
