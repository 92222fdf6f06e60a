import { useTranslation } from 'react-i18next';
import type { Load } from './use-api.hook.js';

/** What a list page shows before its table: loading, the API's error, or the empty message. */
export function LoadStatus({ load, empty }: { load: Load<{ items: unknown[] }>; empty: string }) {
  const { t } = useTranslation();
  if (load.state === 'loading') return <p className="muted">{t('app.loading')}</p>;
  if (load.state === 'error') return <p className="error">{load.message}</p>;
  return load.value.items.length === 0 ? <p className="empty muted">{empty}</p> : null;
}
