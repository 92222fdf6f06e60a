import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { cellText, itemColumns } from './step-test.util.js';
import type { TestItem } from './test-data.store.js';

/**
 * A list of items as a table (a column per key; nested values as short JSON, in full on hover)
 * or as JSON. `total` is the count before the API cut the list to fit its answer.
 */
export function ItemsView({ items, testId, total, empty }: { items: TestItem[]; testId: string; total?: number; empty?: string }) {
  const { t } = useTranslation();
  const [view, setView] = useState<'table' | 'json'>('table');
  const columns = useMemo(() => itemColumns(items), [items]);
  const cut = total !== undefined && total > items.length;
  return (
    <div className="items-view" data-testid={testId}>
      <div className="items-head">
        <span className="muted small" data-testid={`${testId}-count`}>
          {cut ? t('stepTest.itemsCut', { count: total, shown: items.length }) : t('stepTest.items', { count: items.length })}
        </span>
        <span className="items-toggle" role="group">
          <button className={`btn ghost small${view === 'table' ? ' active' : ''}`} aria-pressed={view === 'table'} onClick={() => setView('table')} data-testid={`${testId}-table-toggle`}>
            {t('stepTest.table')}
          </button>
          <button className={`btn ghost small${view === 'json' ? ' active' : ''}`} aria-pressed={view === 'json'} onClick={() => setView('json')} data-testid={`${testId}-json-toggle`}>
            {t('stepTest.json')}
          </button>
        </span>
      </div>
      {view === 'json' ? (
        <pre className="json" data-testid={`${testId}-json`}>
          {JSON.stringify(items, null, 2)}
        </pre>
      ) : items.length === 0 ? (
        <p className="items-empty muted small" data-testid={`${testId}-empty`}>
          {empty ?? t('stepTest.noItems')}
        </p>
      ) : columns.length === 0 ? (
        <p className="items-empty muted small">{t('stepTest.emptyItems', { count: items.length })}</p>
      ) : (
        <div className="items-table-wrap">
          <table className="table items-table" data-testid={`${testId}-table`}>
            <thead>
              <tr>
                <th className="row-no">#</th>
                {columns.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {items.map((it, i) => (
                <tr key={i}>
                  <td className="row-no">{i + 1}</td>
                  {columns.map((c) => {
                    const v = it[c];
                    const nested = v !== null && typeof v === 'object';
                    return (
                      <td key={c} className={nested ? 'nested' : v === undefined ? 'absent' : undefined} title={nested ? JSON.stringify(v, null, 2) : undefined}>
                        {cellText(v)}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
