import { useCallback, useEffect, useState } from 'react';
import { ApiError, apiGet, clearToken, loadToken, saveToken } from './api.client.js';
import { FlowCanvas } from './flow-canvas.js';
import { TokenForm } from './token-form.js';
import type { FlowDetail, FlowSummary } from './flow.types.js';

type Load<T> = { state: 'idle' | 'loading' } | { state: 'ok'; value: T } | { state: 'error'; message: string };

export function App() {
  const [token, setToken] = useState<string | null>(loadToken);
  const [authError, setAuthError] = useState<string>();
  const [flows, setFlows] = useState<Load<FlowSummary[]>>({ state: 'idle' });
  // `?flow=<id>` selects a flow, so a flow can be linked to.
  const [selectedId, setSelectedId] = useState<string | undefined>(() => new URLSearchParams(location.search).get('flow') ?? undefined);
  const [flow, setFlow] = useState<Load<FlowDetail>>({ state: 'idle' });

  const signOut = useCallback((message?: string) => {
    clearToken();
    setToken(null);
    setAuthError(message);
    setFlows({ state: 'idle' });
    setFlow({ state: 'idle' });
  }, []);

  const fail = useCallback(
    (err: unknown, set: (l: { state: 'error'; message: string }) => void) => {
      if (err instanceof DOMException && err.name === 'AbortError') return;
      if (err instanceof ApiError && err.status === 401) return signOut('That token was not accepted.');
      set({ state: 'error', message: err instanceof Error ? err.message : String(err) });
    },
    [signOut],
  );

  useEffect(() => {
    if (!token) return;
    const ac = new AbortController();
    setFlows({ state: 'loading' });
    apiGet<{ items: FlowSummary[] }>('/api/flows', token, ac.signal).then(
      (r) => {
        setFlows({ state: 'ok', value: r.items });
        setSelectedId((id) => id ?? r.items[0]?.id);
      },
      (err: unknown) => fail(err, setFlows),
    );
    return () => ac.abort();
  }, [token, fail]);

  useEffect(() => {
    if (!selectedId) return;
    const url = new URL(location.href);
    url.searchParams.set('flow', selectedId);
    history.replaceState(null, '', url);
  }, [selectedId]);

  useEffect(() => {
    if (!token || !selectedId) return;
    const ac = new AbortController();
    setFlow({ state: 'loading' });
    apiGet<FlowDetail>(`/api/flows/${encodeURIComponent(selectedId)}`, token, ac.signal).then(
      (value) => setFlow({ state: 'ok', value }),
      (err: unknown) => fail(err, setFlow),
    );
    return () => ac.abort();
  }, [token, selectedId, fail]);

  return (
    <div className="app">
      <header className="app-header">
        <img src="/favicon.svg" alt="" width={22} height={22} />
        <h1>Tributary</h1>
        {token ? (
          <button className="link" onClick={() => signOut()}>
            Sign out
          </button>
        ) : null}
      </header>
      {!token ? (
        <main className="centered">
          <TokenForm
            error={authError}
            onSave={(t) => {
              saveToken(t);
              setAuthError(undefined);
              setToken(t);
            }}
          />
        </main>
      ) : (
        <div className="workspace">
          <nav className="flow-list" aria-label="Flows">
            <h2>Flows</h2>
            {flows.state === 'loading' ? <p className="muted">Loading…</p> : null}
            {flows.state === 'error' ? <p className="error">{flows.message}</p> : null}
            {flows.state === 'ok' && flows.value.length === 0 ? <p className="muted">No flows yet.</p> : null}
            {flows.state === 'ok' ? (
              <ul>
                {flows.value.map((f) => (
                  <li key={f.id}>
                    <button className={f.id === selectedId ? 'active' : ''} aria-current={f.id === selectedId} onClick={() => setSelectedId(f.id)}>
                      <span className="flow-name">{f.name}</span>
                      <span className="flow-meta">
                        v{f.version} · {f.publishedVersion === null ? 'draft' : `published v${f.publishedVersion}`}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            ) : null}
          </nav>
          <main className="canvas">
            {flow.state === 'ok' ? <FlowCanvas flow={flow.value} /> : null}
            {flow.state === 'loading' ? <p className="muted centered">Loading flow…</p> : null}
            {flow.state === 'error' ? <p className="error centered">{flow.message}</p> : null}
          </main>
        </div>
      )}
    </div>
  );
}
