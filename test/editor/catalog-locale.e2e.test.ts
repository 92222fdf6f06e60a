// The node catalogue in Chinese, in real headless Chromium: node declarations carry their zh-CN
// texts (`locales`), GET /api/nodes serves them, and the editor localizes the catalogue where it
// loads it. Switching to 中文 turns the palette, the node cards (titles and port labels) and the
// generated settings form (labels, descriptions, enum options) Chinese, without changing the
// values a flow saves; switching back restores the English.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openBrowser, signInWithToken, type Browser } from '../support/browser.js';
import { startSystem, type System } from '../support/system.js';

describe('the node catalogue in Chinese', () => {
  let sys: System;
  let browser: Browser;

  beforeAll(async () => {
    sys = await startSystem({ label: 'catalog-locale' });
    browser = await openBrowser({ locale: 'en-US' });
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  const label = (id: string) => browser.page.locator(`label[for="${id}"]`).first();
  const paletteTitle = (nodeId: string) => browser.page.getByTestId(`palette-item-${nodeId}`).locator('.palette-item-title');

  it('serves each declaration’s translations with the catalogue', async () => {
    const res = await fetch(`${sys.url}/api/nodes`, { headers: { authorization: `Bearer ${sys.token}` } });
    const body = (await res.json()) as { items: Array<{ id: string; title: string; locales: Record<string, { title?: string; config?: Record<string, { title?: string }> }> }>; connectors: Array<{ id: string; locales: Record<string, { title?: string }> }> };
    const upsert = body.items.find((n) => n.id === 'customer.upsert')!;
    expect(upsert.title).toBe('Save to customer store');
    expect(upsert.locales['zh-CN']!.title).toBe('保存到客户库');
    expect(upsert.locales['zh-CN']!.config!['/properties/event/properties/type']!.title).toBe('事件类型');
    expect(body.connectors.find((c) => c.id === 'wecom')!.locales['zh-CN']!.title).toBe('企业微信');
  });

  it('builds a flow in English', async () => {
    const { page } = browser;
    await signInWithToken(page, sys.url + '/', sys.token);
    await page.goto(sys.url + '/#/flows/new');
    await page.getByTestId('palette').waitFor();
    await page.getByTestId('flow-name').fill('Catalogue in Chinese');
    expect(await paletteTitle('core.transform').textContent()).toBe('Transform');

    const canvas = page.getByTestId('canvas');
    await page.getByTestId('palette-item-core.webhook').dragTo(canvas, { targetPosition: { x: 100, y: 120 } });
    await page.getByTestId('palette-item-core.filter').dragTo(canvas, { targetPosition: { x: 420, y: 120 } });
    await page.getByTestId('palette-search').fill('upsert');
    await page.getByTestId('palette-item-customer.upsert').dragTo(canvas, { targetPosition: { x: 420, y: 360 } });
    await page.getByTestId('palette-search').fill('');
    await page.getByTestId('handle-webhook-out-out').dragTo(page.getByTestId('handle-filter-in-in'));
    await page.getByTestId('handle-filter-out-out').dragTo(page.getByTestId('handle-upsert-in-in'));
    expect(await page.getByTestId('flow-node-filter').textContent()).toMatch(/Filter.*rejected/);

    await page.getByTestId('flow-node-filter').click();
    await page.getByTestId('config-form').waitFor();
    await page.locator('#root_condition').fill('$exists(phone)');
    await page.getByTestId('flow-node-webhook').click();
    await page.locator('#root_auth').waitFor();
    expect(await label('root_auth').textContent()).toMatch(/^Authentication/);
    expect(await page.locator('#root_auth option').allTextContents()).toEqual(expect.arrayContaining(['none', 'hmac', 'token']));
  });

  it('switches to 中文: palette, node cards, the settings form and its options are Chinese', async () => {
    const { page } = browser;
    await page.getByTestId('language-switch').selectOption('zh-CN');
    await page.waitForFunction(() => document.querySelector('[data-testid="palette-item-core.transform"] .palette-item-title')?.textContent === '数据转换');
    expect(await paletteTitle('customer.upsert').textContent()).toBe('保存到客户库');
    expect(await page.getByTestId('palette-item-customer.upsert').locator('.palette-item-desc').textContent()).toMatch(/按身份标识查找或新建/);

    // Cards already on the canvas take the new titles and port labels.
    expect(await page.getByTestId('flow-node-filter').textContent()).toMatch(/过滤.*通过.*未通过/);
    expect(await page.getByTestId('flow-node-upsert').textContent()).toMatch(/保存到客户库/);

    // The open form: translated labels and descriptions, enum options labelled, English where there is nothing to translate.
    await page.waitForFunction(() => /认证方式/.test(document.querySelector('label[for="root_auth"]')?.textContent ?? ''));
    expect(await page.getByTestId('config-panel').locator('h2').textContent()).toBe('Webhook 触发器');
    expect(await page.locator('#root_auth option').allTextContents()).toEqual(expect.arrayContaining(['不校验', 'HMAC 签名', '令牌']));
    await page.locator('#root_auth').selectOption({ label: 'HMAC 签名' });
    expect(await label('root_signatureHeader').textContent()).toMatch(/^签名请求头/);
    expect(await page.getByTestId('config-form').textContent()).toMatch(/携带 HMAC 签名的请求头/);
    await page.locator('#root_auth').selectOption({ label: '不校验' });
    await page.locator('#root_dedupe').selectOption({ label: '按请求体哈希' });
    await browser.screenshot('catalog-zh-CN-form');

    // Nested fields: customer.upsert's timeline event.
    await page.getByTestId('flow-node-upsert').click();
    await page.waitForFunction(() => /事件类型/.test(document.querySelector('label[for="root_event_type"]')?.textContent ?? ''));
    expect(await page.getByTestId('config-form').textContent()).toMatch(/时间线事件/);

    // Search finds nodes by their Chinese title.
    await page.getByTestId('palette-search').fill('企业微信');
    await page.getByTestId('palette-item-wecom.callback').waitFor();
    expect(await page.getByTestId('palette-item-core.transform').count()).toBe(0);
    await page.getByTestId('palette-search').fill('');
    await browser.screenshot('catalog-zh-CN');
  });

  it('saves the values, not the labels, and switches back to English', async () => {
    const { page } = browser;
    await page.getByTestId('save-flow').click();
    await page.waitForURL(/#\/flows\/(?!new)/);
    const flowId = decodeURIComponent(page.url().split('#/flows/')[1]!);
    const res = await fetch(`${sys.url}/api/flows/${encodeURIComponent(flowId)}`, { headers: { authorization: `Bearer ${sys.token}` } });
    const flow = (await res.json()) as { document: { nodes: Array<{ id: string; config?: Record<string, unknown> }> } };
    expect(flow.document.nodes.find((n) => n.id === 'webhook')!.config).toMatchObject({ auth: 'none', dedupe: 'body-hash' });

    await page.getByTestId('language-switch').selectOption('en');
    await page.waitForFunction(() => document.querySelector('[data-testid="palette-item-core.transform"] .palette-item-title')?.textContent === 'Transform');
    expect(await page.getByTestId('flow-node-filter').textContent()).toMatch(/Filter.*rejected/);
    await page.getByTestId('flow-node-webhook').click();
    await page.waitForFunction(() => /^Authentication/.test(document.querySelector('label[for="root_auth"]')?.textContent ?? ''));
    expect(await page.locator('#root_auth option').allTextContents()).toEqual(expect.arrayContaining(['none', 'hmac', 'token']));
  });
});
