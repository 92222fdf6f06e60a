// Signing in with an account in real headless Chromium, and the editor showing only what the
// role allows: a viewer sees flows and the review queue without Save, Publish or Merge; an editor
// publishes; a wrong password is refused with the reason; the admin token tab still works.
// Screenshots land in test/editor/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openBrowser, type Browser } from '../support/browser.js';
import { startSystem, type System } from '../support/system.js';

const PASSWORD = 'Roles-test-pw1';

describe('sign-in and roles in Chromium', () => {
  let sys: System;
  let browser: Browser;
  let reviewId = '';

  const signIn = async (username: string, password: string) => {
    const { page } = browser;
    await page.getByTestId('signin-tab-password').click();
    await page.getByTestId('signin-username').fill(username);
    await page.getByTestId('signin-password').fill(password);
    await page.getByTestId('signin-submit').click();
  };
  const signOut = async () => {
    await browser.page.getByTestId('signout').click();
    await browser.page.getByTestId('signin-form').waitFor();
  };

  beforeAll(async () => {
    sys = await startSystem({ label: 'roles-ui', env: process.env.TRIBUTARY_EDITOR_DIR ? { TRIBUTARY_EDITOR_DIR: process.env.TRIBUTARY_EDITOR_DIR } : undefined });
    for (const [username, role, displayName] of [
      ['lin.viewer', 'viewer', '林晓'],
      ['zhao.editor', 'editor', '赵磊'],
    ] as const) {
      expect((await sys.request('POST', '/api/users', { username, role, displayName, password: PASSWORD })).status).toBe(201);
    }
    await sys.createFlow({
      schemaVersion: 1,
      id: 'people',
      name: 'People intake',
      nodes: [
        { id: 'hook', type: 'core.webhook', version: 1, config: { auth: 'none' }, position: { x: 0, y: 0 } },
        { id: 'save', type: 'customer.upsert', version: 1, config: { source: 'roles-ui' }, position: { x: 280, y: 0 } },
      ],
      edges: [{ from: 'hook', to: 'save' }],
    });
    // Two customers and an uncertain match between them, waiting in the review queue.
    for (const body of [
      { phone: '13924684001', name: 'Alice Zhang' },
      { phone: '13924684002', email: 'bob@corp-mail.cn', name: 'Bob Li' },
      { phone: '13924684001', email: 'bob@corp-mail.cn', name: 'Alice Zhang' },
    ]) {
      expect((await sys.request('POST', '/hooks/people/hook', body)).status).toBe(202);
      await sys.drain();
    }
    const pending = await sys.request('GET', '/api/review');
    expect(pending.body.items).toHaveLength(1);
    reviewId = pending.body.items[0].id;
    // A draft to publish (the published flow above stays as it is).
    expect((await sys.request('POST', '/api/flows', { schemaVersion: 1, id: 'draft', name: 'Draft flow', nodes: [{ id: 'm', type: 'core.manual', version: 1, config: {} }], edges: [] })).status).toBe(201);

    browser = await openBrowser({ locale: 'en-US' });
    await browser.page.goto(sys.url + '/#/flows');
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  it('opens on the account tab and refuses a wrong password with the reason', async () => {
    const { page } = browser;
    await page.getByTestId('signin-username').waitFor();
    expect(await page.getByTestId('signin-tab-password').getAttribute('aria-selected')).toBe('true');
    await signIn('lin.viewer', 'not-the-password');
    await page.getByTestId('signin-error').waitFor();
    expect(await page.getByTestId('signin-error').textContent()).toBe('Invalid username or password.');
    expect(await page.getByTestId('signin-password').inputValue()).toBe('');
    await browser.screenshot('signin-wrong-password');
  });

  it('shows a viewer the flows and the review queue without Save, Publish or Merge', async () => {
    const { page } = browser;
    await signIn('lin.viewer', PASSWORD);
    await page.getByTestId('side-nav').waitFor();
    expect(await page.getByTestId('session-user').textContent()).toContain('林晓');
    expect(await page.getByTestId('session-role').getAttribute('data-role')).toBe('viewer');
    await page.getByTestId('flow-list').waitFor();
    expect(await page.getByTestId('new-flow').count()).toBe(0);

    await page.goto(sys.url + '/#/flows/people');
    await page.getByTestId('flow-read-only').waitFor();
    await page.locator('.react-flow__node').first().waitFor();
    expect(await page.getByTestId('publish-flow').count()).toBe(0);
    expect(await page.getByTestId('save-flow').count()).toBe(0);
    await browser.screenshot('roles-viewer-flow');

    await page.getByTestId('nav-review').click();
    await page.getByTestId(`review-item-${reviewId}`).waitFor();
    expect(await page.getByTestId(`review-merge-${reviewId}`).count()).toBe(0);
    expect(await page.getByTestId(`review-separate-${reviewId}`).count()).toBe(0);
    await browser.screenshot('roles-viewer-review');

    // The API refuses it too, whatever the page shows.
    const token = await page.evaluate(() => localStorage.getItem('tributary.adminToken'));
    const refused = await fetch(`${sys.url}/api/review/${reviewId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'merge' }),
    });
    expect(refused.status).toBe(403);
  });

  it('signs out on the server, and an editor publishes', async () => {
    const { page } = browser;
    const viewerToken = await page.evaluate(() => localStorage.getItem('tributary.adminToken'));
    await signOut();
    await sys.waitFor(async () => (await fetch(`${sys.url}/api/me`, { headers: { authorization: `Bearer ${viewerToken}` } })).status === 401, 5000, 'the session to end');

    await signIn('zhao.editor', PASSWORD);
    await page.getByTestId('side-nav').waitFor();
    expect(await page.getByTestId('session-role').getAttribute('data-role')).toBe('editor');
    await page.goto(sys.url + '/#/flows/draft');
    await page.getByTestId('publish-flow').click();
    // Publish shows what goes live first; confirming it publishes.
    await page.getByTestId('publish-confirm').click();
    await sys.waitFor(async () => (await sys.request('GET', '/api/flows/draft')).body.publishedVersion === 1, 10_000, 'the flow to be published');
    expect(await page.getByTestId('flow-read-only').count()).toBe(0);
    await browser.screenshot('roles-editor-published');
    // Editors do not decide merges.
    await page.getByTestId('nav-review').click();
    await page.getByTestId(`review-item-${reviewId}`).waitFor();
    expect(await page.getByTestId(`review-merge-${reviewId}`).count()).toBe(0);
  });

  it('returns to the account tab with the reason when the session has ended', async () => {
    const { page } = browser;
    await sys.db.query(`UPDATE api_sessions SET revoked = true`);
    await page.getByTestId('nav-runs').click();
    await page.getByTestId('signin-error').waitFor();
    expect(await page.getByTestId('signin-error').textContent()).toBe('Your session has ended. Please sign in again.');
    expect(await page.getByTestId('signin-tab-password').getAttribute('aria-selected')).toBe('true');
  });

  it('speaks Chinese on the sign-in card', async () => {
    const zh = await openBrowser({ locale: 'zh-CN' });
    try {
      await zh.page.goto(sys.url + '/');
      await zh.page.getByTestId('signin-username').fill('lin.viewer');
      await zh.page.getByTestId('signin-password').fill('wrong-password');
      await zh.page.getByTestId('signin-submit').click();
      await zh.page.getByTestId('signin-error').waitFor();
      expect(await zh.page.getByTestId('signin-error').textContent()).toBe('用户名或密码不正确。');
      expect(await zh.page.getByTestId('signin-tab-token').textContent()).toBe('管理员令牌');
      await zh.screenshot('signin-zh');
    } finally {
      await zh.close();
    }
  });

  it('still signs in with the admin token, with every button', async () => {
    const { page } = browser;
    await page.getByTestId('signin-tab-token').click();
    await page.getByTestId('signin-token').fill(sys.token);
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('side-nav').waitFor();
    expect(await page.getByTestId('session-role').getAttribute('data-role')).toBe('admin');
    await page.getByTestId('nav-review').click();
    await page.getByTestId(`review-merge-${reviewId}`).waitFor();
    await browser.screenshot('roles-admin-token');
  });
});
