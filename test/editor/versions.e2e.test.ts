// Save, version, publish in Chromium: v1 is live; a config change shows the unsaved marker until it
// is saved, and a link away asks first; Publish shows the diff against the live version (the
// changed config path, a move as layout only) before it goes live; the history panel compares and
// previews v1 read-only, and restoring v1 (published) makes a new live version that the next
// webhook run uses.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openBrowser, signInWithToken, type Browser } from '../support/browser.js';
import { startSystem, type System } from '../support/system.js';

const stampOne = '$merge([$, {"stamp": "one"}])';
const stampTwo = '$merge([$, {"stamp": "two"}])';

describe('versions in the flow editor (Chromium)', () => {
  let sys: System;
  let browser: Browser;

  beforeAll(async () => {
    sys = await startSystem({ label: 'editor-versions' });
    await sys.createFlow({
      schemaVersion: 1,
      id: 'versioned',
      name: 'Versioned leads',
      nodes: [
        { id: 'hook', type: 'core.webhook', version: 1, config: { auth: 'none', dedupe: 'none' }, position: { x: 0, y: 0 } },
        { id: 'stamp', type: 'core.transform', version: 1, config: { expression: stampOne }, position: { x: 320, y: 0 } },
      ],
      edges: [{ from: 'hook', to: 'stamp' }],
    });
    browser = await openBrowser({ locale: 'en-US' });
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  /** One delivery to the webhook; the finished run's flow version and what the transform stamped. */
  async function deliver(): Promise<{ flowVersion: number; stamp: unknown }> {
    const ack = await sys.request('POST', '/hooks/versioned/hook', { email: 'han.meimei@corp-mail.cn' });
    expect(ack.status).toBe(202);
    let run: any;
    await sys.waitFor(async () => {
      run = (await sys.request('GET', `/api/runs/${ack.body.runIds[0]}`)).body;
      return run.status === 'succeeded' || run.status === 'failed';
    }, 30_000, 'the run to finish');
    const step = run.steps.find((s: { nodeId: string }) => s.nodeId === 'stamp');
    return { flowVersion: run.flowVersion, stamp: step?.output?.out?.[0]?.stamp };
  }

  it('marks unsaved changes, holds a link away until the user decides, and clears the mark on save', async () => {
    const { page } = browser;
    await signInWithToken(page, sys.url + '/#/flows/versioned', sys.token);
    await page.getByTestId('flow-editor').waitFor();
    expect(await page.getByTestId('flow-version').textContent()).toMatch(/Version 1 · published v1/);
    // Selecting a node and opening its form is no change.
    await page.getByTestId('flow-node-stamp').click();
    await page.getByTestId('config-form').waitFor();
    expect(await page.getByTestId('unsaved-marker').count()).toBe(0);

    await page.locator('#root_expression').fill(stampTwo);
    await page.getByTestId('unsaved-marker').waitFor();
    expect(await page.getByTestId('unsaved-marker').getAttribute('title')).toMatch(/1 node changed/);
    await browser.screenshot('versions-unsaved');

    // A link away is held: Stay keeps the edit.
    await page.getByTestId('nav-runs').click();
    await page.getByTestId('leave-dialog').waitFor();
    await browser.screenshot('versions-leave');
    await page.getByTestId('leave-stay').click();
    await page.getByTestId('leave-dialog').waitFor({ state: 'detached' });
    expect(page.url()).toMatch(/#\/flows\/versioned$/);
    expect(await page.locator('#root_expression').inputValue()).toBe(stampTwo);

    await page.getByTestId('save-flow').click();
    await page.getByTestId('unsaved-marker').waitFor({ state: 'detached' });
    expect(await page.getByTestId('editor-notice-text').textContent()).toMatch(/Saved as version 2/);
    expect((await sys.request('GET', '/api/flows/versioned')).body).toMatchObject({ version: 2, publishedVersion: 1 });
  });

  it('publishes after showing the diff against the live version; a move is layout only', async () => {
    const { page } = browser;
    // Move the trigger: positions are saved, so this is an unsaved change too.
    const box = (await page.getByTestId('flow-node-hook').boundingBox())!;
    await page.mouse.move(box.x + 60, box.y + 20);
    await page.mouse.down();
    await page.mouse.move(box.x + 90, box.y + 120, { steps: 6 });
    await page.mouse.up();
    await page.getByTestId('unsaved-marker').waitFor();
    expect(await page.getByTestId('unsaved-marker').getAttribute('title')).toMatch(/1 moved/);

    await page.getByTestId('publish-flow').click();
    await page.getByTestId('publish-dialog').waitFor();
    await page.getByTestId('diff-view').waitFor();
    expect(await page.getByTestId('publish-against').textContent()).toMatch(/live version 1/);
    expect(await page.getByTestId('publish-target').textContent()).toMatch(/saved as a new version first/);
    const change = page.getByTestId('diff-node-changed-stamp').locator('[data-testid="diff-change"]');
    expect(await change.getAttribute('data-path')).toBe('/config/expression');
    expect(await change.locator('.diff-before').textContent()).toContain('"one"');
    expect(await change.locator('.diff-after').textContent()).toContain('"two"');
    expect(await page.getByTestId('diff-moved').textContent()).toMatch(/hook/);
    expect(await page.getByTestId('diff-node-changed-hook').count()).toBe(0);
    await browser.screenshot('versions-publish-dialog');

    // Cancel publishes nothing and saves nothing.
    await page.getByTestId('publish-cancel').click();
    await page.getByTestId('publish-dialog').waitFor({ state: 'detached' });
    expect((await sys.request('GET', '/api/flows/versioned')).body).toMatchObject({ version: 2, publishedVersion: 1 });

    await page.getByTestId('publish-flow').click();
    await page.getByTestId('diff-view').waitFor();
    await page.getByTestId('publish-confirm').click();
    await page.getByTestId('publish-dialog').waitFor({ state: 'detached' });
    await page.locator('[data-testid="editor-notice-text"]', { hasText: 'Version 3 is live' }).waitFor();
    expect(await page.getByTestId('unsaved-marker').count()).toBe(0);
    expect((await sys.request('GET', '/api/flows/versioned')).body).toMatchObject({ version: 3, publishedVersion: 3 });
    expect(await deliver()).toEqual({ flowVersion: 3, stamp: 'two' });
  });

  it('compares and previews v1 from the history, restores it as the live version, and runs use it', async () => {
    const { page } = browser;
    await page.getByTestId('versions-toggle').click();
    await page.getByTestId('versions-panel').waitFor();
    await page.getByTestId('version-row-3').waitFor();
    expect(await page.getByTestId('version-row-3').getAttribute('data-published')).toBe('true');
    expect(await page.getByTestId('version-row-3').textContent()).toMatch(/v3\s*Live/);
    expect(await page.locator('[data-testid^="version-row-"]').count()).toBe(3);

    await page.getByTestId('version-select-1').click();
    await page.getByTestId('version-compare-live').click();
    await page.getByTestId('version-compare').getByTestId('diff-view').waitFor();
    const change = page.getByTestId('version-compare').locator('[data-testid="diff-change"]');
    expect(await change.getAttribute('data-path')).toBe('/config/expression');
    expect(await change.locator('.diff-before').textContent()).toContain('"two"');
    expect(await change.locator('.diff-after').textContent()).toContain('"one"');
    await browser.screenshot('versions-compare');

    await page.getByTestId('version-view').click();
    await page.getByTestId('version-preview').waitFor();
    await page.getByTestId('version-preview').getByTestId('flow-node-stamp').waitFor();
    expect(await page.getByTestId('version-preview').getAttribute('data-version')).toBe('1');
    await browser.screenshot('versions-preview');

    await page.getByTestId('version-preview-restore').click();
    await page.getByTestId('restore-dialog').waitFor();
    expect(await page.getByTestId('restore-publish').isChecked()).toBe(true);
    expect(await page.getByTestId('restore-discards').count()).toBe(0);
    await page.getByTestId('restore-confirm').click();
    await page.getByTestId('restore-dialog').waitFor({ state: 'detached' });
    await page.locator('[data-testid="editor-notice-text"]', { hasText: 'Version 1 restored as version 4, now live' }).waitFor();
    expect(await page.getByTestId('version-preview').count()).toBe(0);
    expect(await page.getByTestId('flow-version').textContent()).toMatch(/Version 4 · published v4/);
    expect(await page.getByTestId('unsaved-marker').count()).toBe(0);
    await page.locator('[data-testid="version-row-4"][data-published="true"]').waitFor();
    expect(await page.getByTestId('version-restored-4').textContent()).toBe('Restored from v1');
    expect(await page.getByTestId('version-row-3').getAttribute('data-published')).toBe('false');
    // The history in Chinese.
    await page.getByTestId('language-switch').selectOption('zh-CN');
    expect(await page.getByTestId('version-row-4').textContent()).toMatch(/v4\s*已发布\s*由 v1 恢复/);
    expect(await page.getByTestId('versions-toggle').textContent()).toBe('版本历史');
    await browser.screenshot('versions-history-zh');
    await page.getByTestId('language-switch').selectOption('en');
    // The canvas is the restored copy.
    await page.getByTestId('versions-close').click();
    await page.getByTestId('flow-node-stamp').click();
    await page.getByTestId('config-form').waitFor();
    expect(await page.locator('#root_expression').inputValue()).toBe(stampOne);
    await browser.screenshot('versions-restored');

    // Nothing changed since the restore: Publish says so (and would save no new version).
    await page.getByTestId('publish-flow').click();
    await page.getByTestId('diff-none').waitFor();
    expect(await page.getByTestId('publish-target').textContent()).toMatch(/Version 4 is already live/);
    await page.getByTestId('publish-cancel').click();
    await page.getByTestId('publish-dialog').waitFor({ state: 'detached' });

    expect((await sys.request('GET', '/api/flows/versioned')).body).toMatchObject({ version: 4, publishedVersion: 4 });
    expect(await deliver()).toEqual({ flowVersion: 4, stamp: 'one' });
  });

  it('leaves without saving when asked to, and the browser warns before unloading unsaved work', async () => {
    const { page } = browser;
    await page.getByTestId('flow-name').fill('Versioned leads (edited)');
    await page.getByTestId('unsaved-marker').waitFor();
    // A reload asks first (the browser's own prompt); dismissing it keeps the page and the edit.
    const prompt = page.waitForEvent('dialog');
    await page.evaluate(() => void setTimeout(() => location.reload(), 0));
    const dialog = await prompt;
    expect(dialog.type()).toBe('beforeunload');
    await dialog.dismiss();
    expect(await page.getByTestId('flow-name').inputValue()).toBe('Versioned leads (edited)');

    await page.getByTestId('editor-back').click();
    await page.getByTestId('leave-dialog').waitFor();
    await page.getByTestId('leave-discard').click();
    await page.getByTestId('flow-list').waitFor();
    expect((await sys.request('GET', '/api/flows/versioned')).body).toMatchObject({ version: 4, name: 'Versioned leads' });
  });
});
