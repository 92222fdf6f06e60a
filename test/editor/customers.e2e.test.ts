// The customer console in real headless Chromium against the real API and worker: search a customer,
// open the 360° view and see where an attribute came from, decide a conflict in the review queue
// (merge), see the merged customer holding both customers' identities, undo the merge from the view,
// and open a segment's member. Screenshots land in test/editor/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openBrowser, signInWithToken, type Browser } from '../support/browser.js';
import { startSystem, type System } from '../support/system.js';

describe('customers, review and segments in Chromium', () => {
  let sys: System;
  let browser: Browser;
  const ids: Record<'a' | 'b', string> = { a: '', b: '' };

  const post = async (body: Record<string, unknown>) => {
    const ack = await sys.request('POST', '/hooks/people/hook', body);
    expect(ack.status).toBe(202);
    await sys.drain();
  };
  const byPhone = async (phone: string) => (await sys.request('GET', `/api/customers?phone=${encodeURIComponent(phone)}`)).body.items as { id: string }[];
  const identityValues = async (id: string) => ((await sys.request('GET', `/api/customers/${id}`)).body.identities as { value: string }[]).map((i) => i.value);

  beforeAll(async () => {
    // TRIBUTARY_EDITOR_DIR lets a local run serve a private build of the editor.
    sys = await startSystem({ label: 'customers-ui', env: process.env.TRIBUTARY_EDITOR_DIR ? { TRIBUTARY_EDITOR_DIR: process.env.TRIBUTARY_EDITOR_DIR } : undefined });
    await sys.createFlow({
      schemaVersion: 1,
      id: 'people',
      name: 'people',
      nodes: [
        { id: 'hook', type: 'core.webhook', version: 1, config: { auth: 'none' } },
        { id: 'save', type: 'customer.upsert', version: 1, config: { source: 'ui-test' } },
      ],
      edges: [{ from: 'hook', to: 'save' }],
    });
    await post({ phone: '13924682001', name: 'Alice Zhang', city: '上海', company: '云帆网络科技有限公司', credit_code: '91350100M000100Y43' });
    await post({ phone: '13924682002', email: 'bob@corp-mail.cn', name: 'Bob Li', city: '北京' });
    ids.a = (await byPhone('13924682001'))[0]!.id;
    ids.b = (await byPhone('13924682002'))[0]!.id;
    expect(ids.a).not.toBe(ids.b);
    // A's phone with B's e-mail: two people or one? It waits in the review queue.
    await post({ phone: '13924682001', email: 'bob@corp-mail.cn', name: 'Alice Zhang' });
    const pending = await sys.request('GET', '/api/review');
    expect(pending.body.items).toHaveLength(1);

    browser = await openBrowser({ locale: 'en-US' });
    const { page } = browser;
    await signInWithToken(page, sys.url + '/#/customers', sys.token);
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  it('finds a customer and opens the 360° view with where each value came from', async () => {
    const { page } = browser;
    await page.getByTestId('nav-customers').click();
    await page.getByTestId('customers-search').fill('13924682001');
    await page.getByTestId('customers-search').press('Enter');
    await page.getByTestId(`customer-open-${ids.a}`).click();
    await page.getByTestId('customer-view').waitFor();
    expect(page.url()).toContain(`#/customers/${ids.a}`);
    expect(await page.getByTestId('customer-name').textContent()).toBe('Alice Zhang');
    expect(await page.getByTestId('attribute-value-city').textContent()).toBe('上海');
    expect(await page.getByTestId('attribute-source-city').textContent()).toBe('ui-test');
    expect(await page.getByTestId('attribute-run-city').getAttribute('href')).toMatch(/^#\/runs\/[0-9a-f-]{36}$/);
    expect(await page.getByTestId('customer-identities').textContent()).toContain('+8613924682001');
    expect(await page.getByTestId('customer-account').textContent()).toContain('云帆网络科技有限公司');
    expect(await page.getByTestId('customer-account-code').textContent()).toBe('91350100M000100Y43');

    // A manual edit from the view: the value, its source and the audit entry.
    await page.getByTestId('attribute-edit-field').fill('title');
    await page.getByTestId('attribute-edit-value').fill('采购总监');
    await page.getByTestId('attribute-edit-save').click();
    await page.getByTestId('attribute-value-title').filter({ hasText: '采购总监' }).waitFor();
    expect(await page.getByTestId('attribute-source-title').textContent()).toBe('manual');
    const edits = await sys.db.query(`SELECT actor FROM audit_log WHERE entity_id = $1 AND action = 'customer.attributes_edited'`, [ids.a]);
    expect(edits.rows).toHaveLength(1);
    expect(await page.locator('[data-testid^="timeline-event-"]').count()).toBeGreaterThan(0);
    await browser.screenshot('customer-360');
  });

  it('merges a pair from the review queue, shows both identities, and undoes the merge from the view', async () => {
    const { page } = browser;
    await page.getByTestId('nav-review').click();
    const item = page.locator('[data-testid^="review-item-"]');
    await item.waitFor();
    expect(await item.count()).toBe(1);
    const reviewId = (await item.getAttribute('data-testid'))!.replace('review-item-', '');
    expect(await item.getByTestId('review-reasons').textContent()).not.toBe('');
    // Side by side: the two cities differ and are highlighted.
    await item.locator('td.differs', { hasText: '北京' }).waitFor();
    await browser.screenshot('review-queue');

    await page.getByTestId(`review-merge-${reviewId}`).click();
    await page.getByTestId('review-empty').waitFor();
    await page.getByTestId('review-open-merged').click();
    await page.getByTestId('customer-view').waitFor();
    const survivor = decodeURIComponent(page.url().split('#/customers/')[1]!);
    expect([ids.a, ids.b]).toContain(survivor);
    const identities = page.getByTestId('customer-identities');
    for (const v of ['+8613924682001', '+8613924682002', 'bob@corp-mail.cn']) await identities.getByText(v, { exact: true }).waitFor();
    const undo = page.locator('[data-testid^="merge-undo-"]');
    expect(await undo.count()).toBe(1);
    await browser.screenshot('customer-merged');

    page.once('dialog', (d) => void d.accept());
    await undo.click();
    await page.getByTestId('customer-notice').waitFor();
    const other = survivor === ids.a ? ids.b : ids.a;
    const otherPhone = survivor === ids.a ? '+8613924682002' : '+8613924682001';
    await identities.getByText(otherPhone, { exact: true }).waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid^="merge-undo-"]').count()).toBe(0);
    expect(await identityValues(other)).toContain(otherPhone);
    expect(await identityValues(survivor)).not.toContain(otherPhone);
  });

  it('decides the items ticked at once, and filters to what the store rematch found', async () => {
    // Two more conflicts (a phone of one with an e-mail of another), beside the pair the undo above reopened.
    await post({ phone: '13924682011', name: 'Carol Wu', city: '广州' });
    await post({ phone: '13924682012', email: 'dan@corp-mail.cn', name: 'Dan Xu', city: '深圳' });
    await post({ phone: '13924682013', name: 'Eve Ma', city: '广州' });
    await post({ phone: '13924682014', email: 'fay@corp-mail.cn', name: 'Fay Qi', city: '深圳' });
    await post({ phone: '13924682011', email: 'dan@corp-mail.cn', name: 'Carol Wu' });
    await post({ phone: '13924682013', email: 'fay@corp-mail.cn', name: 'Eve Ma' });
    const pending = (await sys.request('GET', '/api/review')).body.items as { id: string }[];
    expect(pending.length).toBeGreaterThanOrEqual(2);

    const { page } = browser;
    await page.getByTestId('nav-review').click();
    const items = page.locator('[data-testid^="review-item-"]');
    await items.nth(pending.length - 1).waitFor();
    expect(await items.count()).toBe(pending.length);

    // Nothing here was queued by a rematch.
    await page.getByTestId('review-filter').selectOption('rematch');
    await page.getByTestId('review-empty').waitFor();
    await page.getByTestId('review-filter').selectOption('');
    await items.nth(pending.length - 1).waitFor();
    // Highest score first: the same items.
    await page.getByTestId('review-order').selectOption('score');
    await page.locator(`[data-testid="review-item-${pending[0]!.id}"]`).waitFor();
    await items.nth(pending.length - 1).waitFor();
    expect(await items.count()).toBe(pending.length);

    await page.getByTestId(`review-select-${pending[0]!.id}`).check();
    expect(await page.getByTestId('review-selected-count').textContent()).toBe('1 selected');
    await page.getByTestId('review-select-all').check();
    expect(await page.getByTestId('review-selected-count').textContent()).toBe(`${pending.length} selected`);
    await browser.screenshot('review-queue-selected');
    await page.getByTestId('review-separate-selected').click();
    await page.getByTestId('review-empty').waitFor();
    expect(await page.getByTestId('review-notice').textContent()).toContain(`Kept ${pending.length} separate.`);
    const separated = (await sys.request('GET', '/api/review?status=separated&limit=200')).body.items.map((i: { id: string }) => i.id);
    for (const p of pending) expect(separated).toContain(p.id);
  });

  it('lists segments with member counts and opens a member', async () => {
    const { page } = browser;
    const created = await sys.request('POST', '/api/segments', { id: 'shanghai', name: 'Shanghai', definition: { field: 'attributes.city', op: 'eq', value: '上海' } });
    expect(created.status).toBe(201);
    await page.getByTestId('nav-segments').click();
    await page.getByTestId('segment-row-shanghai').waitFor();
    expect(await page.getByTestId('segment-count-shanghai').textContent()).toBe('1');
    await page.getByTestId('segment-row-shanghai').getByRole('link').click();
    await page.getByTestId(`segment-member-${ids.a}`).getByRole('link').click();
    await page.getByTestId('customer-view').waitFor();
    expect(await page.getByTestId('customer-name').textContent()).toBe('Alice Zhang');
  });
});
