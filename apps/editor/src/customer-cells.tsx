import type { MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';

/** What a customer list row shows (customer search, segment members). */
export interface CustomerRowSummary {
  id: string;
  displayName: string | null;
  identities: Array<{ type: string; value: string }>;
  stage: string;
  score: number;
}

/** The header cells of a customer list; `last` is the list's own last column (updated, entered…). */
export function CustomerListHead({ last }: { last: string }) {
  const { t } = useTranslation();
  return (
    <tr>
      <th>{t('customers.name')}</th>
      <th>{t('customers.identities')}</th>
      <th>{t('customers.stage')}</th>
      <th>{t('customers.score')}</th>
      <th>{last}</th>
    </tr>
  );
}

/** Name (a link to the 360° view) with the id under it, identities, stage and score. */
export function CustomerCells({ customer: c, openTestId }: { customer: CustomerRowSummary; openTestId?: string }) {
  const { t } = useTranslation();
  return (
    <>
      <td>
        {/* In a clickable row the link opens the customer itself, not twice. */}
        <a href={`#/customers/${encodeURIComponent(c.id)}`} onClick={(e: MouseEvent) => e.stopPropagation()} data-testid={openTestId}>
          {c.displayName ?? t('customers.noName')}
        </a>
        <div className="muted small">{c.id}</div>
      </td>
      <td className="small">{c.identities.map((i) => `${i.type}: ${i.value}`).join(' · ')}</td>
      <td>
        <span className="pill">{c.stage}</span>
      </td>
      <td>{c.score}</td>
    </>
  );
}
