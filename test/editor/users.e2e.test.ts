// User administration in the editor (#/users), in real Chromium: an admin adds a user, changes the
// role, and the user signs in with it; the API's refusals (own role, short password) show as they
// are; disabling ends the user's sign-in; delete removes the account.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openBrowser, signInWithToken, type Browser } from '../support/browser.js';
import { startSystem, type System } from '../support/system.js';

describe('users page (Chromium)', () => {
  let sys: System;
  let browser: Browser;

  beforeAll(async () => {
    sys = await startSystem({ label: 'users-ui' });
    browser = await openBrowser({ locale: 'en-US' });
    await signInWithToken(browser.page, sys.url + '/#/users', sys.token);
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  it('adds a user, changes the role, and the user signs in with it', async () => {
    const { page } = browser;
    await page.getByTestId('users-page').waitFor();
    // A password the API refuses: its reason shows, nothing is created.
    await page.getByTestId('user-new-username').fill('mei');
    await page.getByTestId('user-new-display-name').fill('韩梅梅');
    await page.getByTestId('user-new-role').selectOption('operator');
    await page.getByTestId('user-new-password').fill('short');
    await page.getByTestId('user-new-password').evaluate((el: HTMLInputElement) => el.removeAttribute('minlength'));
    await page.getByTestId('user-new-submit').click();
    await page.locator('[data-testid="users-notice"].error').waitFor();
    expect(await page.getByTestId('users-notice').textContent()).toMatch(/password/i);
    expect((await sys.request('GET', '/api/users')).body.items).toHaveLength(0);

    await page.getByTestId('user-new-password').fill('correct horse battery');
    await page.getByTestId('user-new-submit').click();
    await page.getByTestId('user-row-mei').waitFor();
    expect(await page.getByTestId('user-role-mei').inputValue()).toBe('operator');
    await page.getByTestId('user-role-mei').selectOption('viewer');
    // The notice of the add is replaced by the role change's (waited for by its text: the add's comes first).
    await page.locator('[data-testid="users-notice"].success', { hasText: 'is now' }).waitFor();
    expect(await page.getByTestId('users-notice').textContent()).toBe('mei is now Viewer.');
    const mei = (await sys.request('GET', '/api/users')).body.items.find((u: { username: string }) => u.username === 'mei');
    expect(mei).toMatchObject({ role: 'viewer', displayName: '韩梅梅', disabled: false });
    await browser.screenshot('users-page');

    // Mei signs in in a second browser: a viewer, who has no Users section.
    const other = await openBrowser({ locale: 'en-US' });
    try {
      await other.page.goto(sys.url + '/');
      await other.page.getByTestId('signin-tab-password').click();
      await other.page.getByTestId('signin-username').fill('mei');
      await other.page.getByTestId('signin-password').fill('correct horse battery');
      await other.page.getByTestId('signin-submit').click();
      await other.page.getByTestId('side-nav').waitFor();
      expect(await other.page.getByTestId('session-role').getAttribute('data-role')).toBe('viewer');
      expect(await other.page.getByTestId('nav-users').count()).toBe(0);
      expect((await fetch(`${sys.url}/api/users`, { headers: { authorization: `Bearer ${await other.page.evaluate(() => localStorage.getItem('tributary.adminToken'))}` } })).status).toBe(403);

      // Disabled by the admin: her session ends at once.
      await page.getByTestId('user-toggle-mei').click();
      await page.locator('[data-testid="user-status-mei"]').filter({ hasText: 'Disabled' }).waitFor();
      await other.page.getByTestId('nav-runs').click();
      await other.page.getByTestId('signin-username').waitFor();
    } finally {
      await other.close();
    }
  });

  it('deletes a user after asking', async () => {
    const { page } = browser;
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('user-delete-mei').click();
    await page.getByTestId('user-row-mei').waitFor({ state: 'detached' });
    expect((await sys.request('GET', '/api/users')).body.items).toHaveLength(0);
  });

  it('is in Chinese too', async () => {
    const { page } = browser;
    await page.getByTestId('language-switch').selectOption('zh-CN');
    await page.waitForFunction(() => /用户/.test(document.querySelector('[data-testid="nav-users"]')?.textContent ?? ''));
    expect(await page.getByTestId('user-new-submit').textContent()).toBe('添加用户');
    await browser.screenshot('users-page-zh');
    await page.getByTestId('language-switch').selectOption('en');
  });
});
