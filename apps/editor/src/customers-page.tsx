import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from './use-api.hook.js';
import { LoadStatus } from './load-status.js';
import { CustomerCells, CustomerListHead } from './customer-cells.js';
import { Pager, useCursorPages } from './pager.js';
import { navigate } from './router.js';
import type { CustomerSearchPage } from '@tributary/customer-store';

/** Customer search (server-side, paged by cursor). */
export function CustomersPage({ token, onUnauthorized }: { token: string; onUnauthorized: () => void }) {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState('');
  const [query, setQuery] = useState('');
  const pages = useCursorPages();
  const q = new URLSearchParams({ limit: '50' });
  if (query) q.set('q', query);
  if (pages.cursor) q.set('cursor', pages.cursor);
  const [customers] = useApi<CustomerSearchPage>(`/api/customers?${q}`, token, onUnauthorized);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    pages.reset();
    setQuery(draft.trim());
  };
  return (
    <div className="list-page" data-testid="customers-page">
      <div className="page-header">
        <h1>{t('nav.customers')}</h1>
        <span className="spacer" />
        <form onSubmit={submit} className="search-form">
          <input type="search" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder={t('customers.search')} data-testid="customers-search" />
          <button className="btn" type="submit">
            {t('customers.searchButton')}
          </button>
        </form>
      </div>
      <LoadStatus load={customers} empty={t('customers.empty')} />
      {customers.state === 'ok' && customers.value.items.length ? (
        <>
          <table className="table" data-testid="customers-results" data-query={query}>
            <thead>
              <CustomerListHead last={t('customers.updated')} />
            </thead>
            <tbody>
              {customers.value.items.map((c) => (
                <tr key={c.id} className="clickable" onClick={() => navigate('customers', c.id)} data-testid={`customer-row-${c.id}`}>
                  <CustomerCells customer={c} openTestId={`customer-open-${c.id}`} />
                  <td className="muted">{new Date(c.updatedAt).toLocaleString(i18n.language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager pages={pages} nextCursor={customers.value.nextCursor} />
        </>
      ) : null}
    </div>
  );
}
