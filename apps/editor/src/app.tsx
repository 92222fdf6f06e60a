import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { clearToken, loadToken, saveToken } from './api.client.js';
import { FlowsPage } from './flows-page.js';
import { RunsPage } from './runs-page.js';
import { RunView } from './run-view.js';
import { CustomersPage } from './customers-page.js';
import { CustomerView } from './customer-view.js';
import { ReviewPage } from './review-page.js';
import { SegmentsPage } from './segments-page.js';
import { TokenForm } from './token-form.js';
import { LANGUAGES } from './i18n/index.js';
import { navigate, replaceRoute, useRoute } from './router.js';
import { lastFlowId } from './flows-page.js';
import { useApi } from './use-api.hook.js';
import type { FlowSummary } from './flow.types.js';

// The charts (echarts) load with the page, not with the app.
const ReportsPage = lazy(() => import('./reports-page.js').then((m) => ({ default: m.ReportsPage })));

const SECTIONS = ['flows', 'runs', 'customers', 'review', 'segments', 'reports'] as const;

export function App() {
  const { t, i18n } = useTranslation();
  const [token, setToken] = useState<string | null>(loadToken);
  const [authError, setAuthError] = useState<string>();
  const route = useRoute();
  const section = (SECTIONS as readonly string[]).includes(route[0] ?? '') ? route[0]! : 'flows';
  const landing = route.length === 0;

  const signOut = useCallback((expired?: boolean) => {
    clearToken();
    setToken(null);
    setAuthError(expired ? 'signin.rejected' : undefined);
  }, []);
  const onUnauthorized = useCallback(() => signOut(true), [signOut]);

  return (
    <div className="app">
      <header className="app-header">
        <img src="/favicon.svg" alt="" width={22} height={22} />
        <span className="brand">Tributary</span>
        <span className="spacer" />
        <label className="lang-switch">
          <span className="visually-hidden">{t('app.language')}</span>
          <select value={i18n.language} onChange={(e) => void i18n.changeLanguage(e.target.value)} data-testid="language-switch">
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {t(`language.${l}`)}
              </option>
            ))}
          </select>
        </label>
        {token ? (
          <button className="btn ghost" onClick={() => signOut()} data-testid="signout">
            {t('app.signOut')}
          </button>
        ) : null}
      </header>
      {!token ? (
        <main className="centered">
          <TokenForm
            error={authError ? t(authError) : undefined}
            onSave={(value) => {
              saveToken(value);
              setAuthError(undefined);
              setToken(value);
            }}
          />
        </main>
      ) : (
        <div className="shell">
          <nav className="side-nav" aria-label={t('app.nav')} data-testid="side-nav">
            {SECTIONS.map((s) => (
              <a
                key={s}
                href={`#/${s}`}
                className={s === section ? 'active' : ''}
                aria-current={s === section ? 'page' : undefined}
                data-testid={`nav-${s}`}
              >
                {t(`nav.${s}`)}
              </a>
            ))}
          </nav>
          <div className="page">
            {landing ? <Landing token={token} onUnauthorized={onUnauthorized} /> : null}
            {!landing && section === 'flows' ? (
              <FlowsPage token={token} flowId={route[1]} onUnauthorized={onUnauthorized} onOpen={(id) => navigate('flows', id)} />
            ) : null}
            {section === 'runs' && (!route[1] || route[1] === 'flow') ? (
              <RunsPage key={route[2] ?? ''} token={token} flowId={route[1] === 'flow' ? route[2] : undefined} onUnauthorized={onUnauthorized} />
            ) : null}
            {section === 'runs' && route[1] && route[1] !== 'flow' ? <RunView key={route[1]} token={token} runId={route[1]} onUnauthorized={onUnauthorized} /> : null}
            {section === 'customers' && !route[1] ? <CustomersPage token={token} onUnauthorized={onUnauthorized} /> : null}
            {section === 'customers' && route[1] ? <CustomerView key={route[1]} id={route[1]} token={token} onUnauthorized={onUnauthorized} /> : null}
            {section === 'review' ? <ReviewPage token={token} onUnauthorized={onUnauthorized} /> : null}
            {section === 'segments' ? <SegmentsPage segmentId={route[1]} token={token} onUnauthorized={onUnauthorized} /> : null}
            {section === 'reports' ? (
              <Suspense fallback={<p className="muted list-page">{t('app.loading')}</p>}>
                <ReportsPage view={route[1]} token={token} onUnauthorized={onUnauthorized} />
              </Suspense>
            ) : null}
          </div>
        </div>
      )}
    </div>
  );
}

/** `/` with no route: back to the flow opened last (else the newest one), or the flow list when there is none. */
function Landing({ token, onUnauthorized }: { token: string; onUnauthorized: () => void }) {
  const { t } = useTranslation();
  const [flows] = useApi<{ items: FlowSummary[] }>('/api/flows', token, onUnauthorized);
  useEffect(() => {
    if (flows.state !== 'ok') return;
    const items = flows.value.items;
    const last = lastFlowId();
    const pick = items.find((f) => f.id === last) ?? [...items].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
    replaceRoute(...(pick ? ['flows', pick.id] : ['flows']));
  }, [flows]);
  return flows.state === 'error' ? <p className="error centered">{flows.message}</p> : <p className="muted centered">{t('app.loading')}</p>;
}
