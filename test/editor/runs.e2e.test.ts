// A run opened on the canvas, live: a webhook → core.delay (2 s) → transform flow gets a delivery; the run
// view shows the delay node waiting, then — pushed by Server-Sent Events, without reloading — the
// transform node succeeded, and its step panel shows the output. Also: the SSE routes take `?token=`
// (EventSource cannot send headers) and refuse a wrong one; no other route takes it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openBrowser, signInWithToken, type Browser } from '../support/browser.js';
import { startSystem, type System } from '../support/system.js';

describe('a run on the canvas, live (Chromium)', () => {
  let sys: System;
  let browser: Browser;

  beforeAll(async () => {
    sys = await startSystem({ label: 'run-view' });
    await sys.createFlow({
      schemaVersion: 1,
      id: 'slow-lead',
      name: 'Slow lead',
      nodes: [
        { id: 'hook', type: 'core.webhook', version: 1, config: { auth: 'none', dedupe: 'none' }, position: { x: 0, y: 0 } },
        { id: 'pause', type: 'core.delay', version: 1, config: { amount: 2, unit: 'seconds' }, position: { x: 300, y: 0 } },
        { id: 'shape', type: 'core.transform', version: 1, config: { expression: '$merge([$, {"shaped": "yes"}])' }, position: { x: 600, y: 0 } },
      ],
      edges: [
        { from: 'hook', to: 'pause' },
        { from: 'pause', to: 'shape' },
      ],
    });
    browser = await openBrowser({ locale: 'en-US' });
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  it('accepts ?token= on the event streams only, and refuses a wrong one', async () => {
    const ok = await fetch(`${sys.url}/api/runs/stream?token=${encodeURIComponent(sys.token)}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = ok.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toMatch(/retry:|data:/);
    await reader.cancel();
    expect((await fetch(`${sys.url}/api/runs/stream?token=wrong`)).status).toBe(401);
    expect((await fetch(`${sys.url}/api/runs?token=${encodeURIComponent(sys.token)}`)).status).toBe(401);
    expect((await fetch(`${sys.url}/api/runs/00000000-0000-0000-0000-000000000000/events?token=${encodeURIComponent(sys.token)}`)).status).toBe(404);
  });

  it('opens a run from the list and follows it live until the transform has succeeded', async () => {
    const { page } = browser;
    await signInWithToken(page, sys.url + '/', sys.token);
    await page.getByTestId('nav-runs').click();
    await page.getByTestId('runs-page').waitFor();

    const ack = await sys.request('POST', '/hooks/slow-lead/hook', { phone: '13900001111', name: 'Han Meimei' });
    expect(ack.status).toBe(202);
    const runId: string = ack.body.runIds[0];

    // The list is live too: the new run appears without a refresh, under its flow's name.
    await page.getByTestId(`run-link-${runId}`).waitFor();
    await page.getByTestId(`run-row-${runId}`).getByText('Slow lead').waitFor();
    // The flow filter lists flows by name and narrows the list to one flow.
    await page.getByTestId('runs-flow-filter').selectOption({ label: 'Slow lead' });
    await page.waitForURL(/#\/runs\/flow\/slow-lead$/);
    await page.getByTestId(`run-link-${runId}`).click();
    await page.waitForURL(new RegExp(`#/runs/${runId}$`));
    await page.getByTestId('run-view').waitFor();
    await page.locator('[data-testid="flow-node-pause"][data-run-status="waiting"]').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('flow-node-status-pause').textContent()).toMatch(/Waiting/);
    expect(await page.getByTestId('flow-node-shape').getAttribute('data-run-status')).toBe('notReached');
    expect(await page.getByTestId('run-live-mode').getAttribute('data-mode')).toBe('live');
    await page.getByTestId('run-cancel').waitFor();
    await browser.screenshot('run-waiting');

    // No reload: the transform turns green as the stream pushes the finished run.
    // …pushed by the event stream, not by the polling fallback.
    await page.evaluate(() => {
      const el = document.querySelector('[data-testid="run-live-mode"]')!;
      new MutationObserver(() => {
        if (el.getAttribute('data-mode') === 'polling') (window as unknown as { sawPolling: boolean }).sawPolling = true;
      }).observe(el, { attributes: true });
    });
    const navigations: string[] = [];
    page.on('framenavigated', (f) => f === page.mainFrame() && navigations.push(f.url()));
    await page.locator('[data-testid="flow-node-shape"][data-run-status="succeeded"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="run-view"][data-run-status="succeeded"]').waitFor();
    expect(navigations).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { sawPolling?: boolean }).sawPolling ?? false)).toBe(false);
    expect(await page.getByTestId('flow-node-pause').getAttribute('data-run-status')).toBe('succeeded');
    expect(await page.getByTestId('run-cancel').count()).toBe(0);
    expect(await page.getByTestId('run-retry').count()).toBe(0);

    await page.getByTestId('flow-node-shape').click();
    await page.getByTestId('run-step-status').waitFor();
    expect(await page.getByTestId('run-step-status').textContent()).toMatch(/Succeeded/);
    expect(await page.getByTestId('run-step-attempts').textContent()).toBe('1');
    const output = page.getByTestId('run-step-output-out');
    await output.waitFor();
    // Flat items: a table, and the JSON on demand.
    expect(await page.getByTestId('run-step-output-out-table').textContent()).toMatch(/shaped[\s\S]*13900001111[\s\S]*yes/);
    await page.getByTestId('run-step-output-out-json-toggle').click();
    expect(JSON.parse((await page.getByTestId('run-step-output-out-json').textContent())!)).toEqual([
      { phone: '13900001111', name: 'Han Meimei', shaped: 'yes' },
    ]);
    await browser.screenshot('run-succeeded');
  });

  it('pages through the runs list with the API cursor, and back', async () => {
    const { page } = browser;
    // 55 more deliveries: more than one page of 50.
    for (let i = 0; i < 55; i++) expect((await sys.request('POST', '/hooks/slow-lead/hook', { phone: `1392468${String(2000 + i)}`, n: i })).status).toBe(202);
    await page.goto(sys.url + '/#/runs');
    const rows = page.locator('[data-testid^="run-row-"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^="run-row-"]').length === 50);
    const firstPage = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(await page.getByTestId('pager-previous').isDisabled()).toBe(true);
    await page.getByTestId('pager-next').click();
    await page.waitForFunction((first) => {
      const ids = [...document.querySelectorAll('[data-testid^="run-row-"]')].map((e) => e.getAttribute('data-testid'));
      return ids.length > 0 && ids.length < 50 && !ids.includes(first);
    }, firstPage[0]);
    const secondPage = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    // 56 runs in all: the second page holds the rest, none of the first.
    expect(secondPage).toHaveLength(6);
    expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);
    expect(await page.getByTestId('pager-next').isDisabled()).toBe(true);
    await page.getByTestId('pager-previous').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^="run-row-"]').length === 50);
  });
});
