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
import { UsersPage } from './users-page.js';
import { SignInForm, type SignInTab } from './signin-form.js';
import { can, fetchSession, logout, SessionContext, type Permission, type Session } from './session.js';
import { ApiError } from './api.client.js';
import { LANGUAGES } from './i18n/index.js';
import { navigate, replaceRoute, useRoute } from './router.js';
import { lastFlowId } from './flows-page.js';
import { useApi } from './use-api.hook.js';
import type { FlowSummary } from './flow.types.js';

// The charts (echarts) load with the page, not with the app.
const ReportsPage = lazy(() => import('./reports-page.js').then((m) => ({ default: m.ReportsPage })));

const SECTIONS = ['flows', 'runs', 'customers', 'review', 'segments', 'reports', 'users'] as const;

/** What a role needs to see a section; a section not listed here is shown to everyone signed in. */
const SECTION_PERMISSION: Partial<Record<string, Permission>> = {
  flows: 'flows:read',
  runs: 'runs:read',
  customers: 'customers:read',
  review: 'customers:read',
  segments: 'segments:read',
  users: 'users:manage',
};
const canSee = (session: Session, s: string) => {
  const needed = SECTION_PERMISSION[s];
  return !needed || can(session, needed);
};

export function App() {
  const { t, i18n } = useTranslation();
  const [token, setToken] = useState<string | null>(loadToken);
  const [authError, setAuthError] = useState<string>();
  // GET /api/me for the token: who is signed in and what their role may do.
  const [session, setSession] = useState<Session | null>(null);
  const [signInTab, setSignInTab] = useState<SignInTab>();
  const route = useRoute();
  const section = (SECTIONS as readonly string[]).includes(route[0] ?? '') ? route[0]! : 'flows';
  const landing = route.length === 0;

  const signOut = useCallback((expired?: boolean) => {
    // A refused session token (`trs_…`) is an ended sign-in: back to the account tab with that reason.
    if (expired) setSignInTab(loadToken()?.startsWith('trs_') ? 'password' : 'token');
    clearToken();
    setToken(null);
    setSession(null);
    setAuthError(expired ? 'signin.rejected' : undefined);
  }, []);
  const onUnauthorized = useCallback(() => signOut(true), [signOut]);
  useEffect(() => {
    if (!token) return;
    const ac = new AbortController();
    fetchSession(token, ac.signal).then(setSession, (err: unknown) => {
      if (err instanceof DOMException && err.name === 'AbortError') return;
      if (err instanceof ApiError && err.status === 401) signOut(true);
      else setAuthError(err instanceof Error ? err.message : String(err));
    });
    return () => ac.abort();
  }, [token, signOut]);

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
        {session ? (
          <span className="session-who" data-testid="session-user">
            {session.user ? session.user.displayName || session.user.username : t('auth.adminToken')}
            <span className={`role-badge role-${session.role}`} data-testid="session-role" data-role={session.role}>
              {t(`auth.role.${session.role}`)}
            </span>
          </span>
        ) : null}
        {token ? (
          <button
            className="btn ghost"
            onClick={() => {
              if (session?.principal === 'user') void logout(token);
              signOut();
            }}
            data-testid="signout"
          >
            {t('app.signOut')}
          </button>
        ) : null}
      </header>
      {!token ? (
        <main className="centered">
          <SignInForm
            tab={signInTab}
            error={authError ? t(authError === 'signin.rejected' && signInTab === 'password' ? 'auth.expired' : authError) : undefined}
            onSignedIn={(value, tab) => {
              saveToken(value);
              setAuthError(undefined);
              setSignInTab(tab);
              setToken(value);
            }}
          />
        </main>
      ) : !session ? (
        <p className={authError ? 'error centered' : 'muted centered'} data-testid="session-loading">
          {authError ?? t('app.loading')}
        </p>
      ) : (
        <SessionContext.Provider value={session}>
        <div className="shell">
          <nav className="side-nav" aria-label={t('app.nav')} data-testid="side-nav">
            {SECTIONS.filter((s) => canSee(session, s)).map((s) => (
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
            {section === 'users' && canSee(session, 'users') ? <UsersPage token={token} onUnauthorized={onUnauthorized} /> : null}
            {section === 'reports' ? (
              <Suspense fallback={<p className="muted list-page">{t('app.loading')}</p>}>
                <ReportsPage view={route[1]} token={token} onUnauthorized={onUnauthorized} />
              </Suspense>
            ) : null}
          </div>
        </div>
        </SessionContext.Provider>
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
