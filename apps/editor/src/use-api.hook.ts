import { useCallback, useEffect, useState } from 'react';
import { ApiError, apiGet } from './api.client.js';

export type Load<T> = { state: 'loading' } | { state: 'ok'; value: T } | { state: 'error'; message: string };

const LOADING = { state: 'loading' } as const;

/** GET `path` (none when null) and reload on demand; a 401 signs the user out. */
export function useApi<T>(path: string | null, token: string, onUnauthorized: () => void): [Load<T>, () => void] {
  // Each answer remembers the path it answers: when the path changes, the old answer is never shown
  // as the new one's, not even for the render before the new request starts.
  const [loaded, setLoaded] = useState<{ path: string | null; load: Load<T> }>({ path: null, load: LOADING });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (path === null) return;
    const ac = new AbortController();
    // A reload of the same resource keeps what is on screen until the answer arrives (no flicker).
    apiGet<T>(path, token, ac.signal).then(
      (value) => setLoaded({ path, load: { state: 'ok', value } }),
      (err: unknown) => {
        if (err instanceof DOMException && err.name === 'AbortError') return;
        if (err instanceof ApiError && err.status === 401) return onUnauthorized();
        setLoaded({ path, load: { state: 'error', message: err instanceof Error ? err.message : String(err) } });
      },
    );
    return () => ac.abort();
  }, [path, token, onUnauthorized, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return [loaded.path === path ? loaded.load : LOADING, reload];
}
