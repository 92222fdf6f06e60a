// The editor in real headless Chromium against the real API: sign in with the admin token and
// open a flow on the canvas. (Issue 6 grows this into drawing, configuring, publishing and
// watching runs.) Screenshots land in test/editor/screenshots/ to look at.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openBrowser, type Browser } from '../support/browser.js';
import { startSystem, type System } from '../support/system.js';

describe('the editor in Chromium', () => {
  let sys: System;
  let browser: Browser;

  beforeAll(async () => {
    sys = await startSystem({ label: 'editor' });
    await sys.createFlow(
      {
        schemaVersion: 1,
        id: 'web-leads',
        name: 'Web leads',
        nodes: [
          { id: 'hook', type: 'core.webhook', version: 1, config: { auth: 'none' }, position: { x: 0, y: 0 } },
          { id: 'save', type: 'customer.upsert', version: 1, config: { source: 'web_form' }, position: { x: 300, y: 0 } },
        ],
        edges: [{ from: 'hook', to: 'save' }],
      },
      false,
    );
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  it('refuses a wrong token, signs in with the right one and shows the flow on the canvas', async () => {
    const { page } = browser;
    await page.goto(sys.url + '/');
    const token = page.locator('input[type="password"]');
    await token.fill('not-the-token');
    await token.press('Enter');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/token/i);

    await token.fill(sys.token);
    await token.press('Enter');
    await page.locator('.react-flow__node').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('.react-flow__node').count()).toBe(2);
    expect(await page.locator('.react-flow__edge').count()).toBe(1);
    await browser.screenshot('flow-open');
  });
});
