import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { NodeCatalog } from './catalog.types.js';
import { localizeCatalog } from './catalog-locale.util.js';
import { useApi, type Load } from './use-api.hook.js';

/**
 * The node catalogue (`GET /api/nodes`) in the language shown: palette, canvas, form and run view
 * all read it from here, and a language switch localizes it again without another request.
 */
export function useCatalog(token: string, onUnauthorized: () => void): Load<NodeCatalog> {
  const { i18n } = useTranslation();
  const [served] = useApi<NodeCatalog>('/api/nodes', token, onUnauthorized);
  return useMemo(() => (served.state === 'ok' ? { state: 'ok', value: localizeCatalog(served.value, i18n.language) } : served), [served, i18n.language]);
}
