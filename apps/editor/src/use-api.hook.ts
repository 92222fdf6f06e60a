import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, apiGet } from './api.client.js';

export type Load<T> = { state: 'loading' } | { state: 'ok'; value: T } | { state: 'error'; message: string };

/** GET `path` (none when null) and reload on demand; a 401 signs the user out. */
export function useApi<T>(path: string | null, token: string, onUnauthorized: () => void): [Load<T>, () => void] {
  const [load, setLoad] = useState<Load<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  const shown = useRef<string | null>(null);
  useEffect(() => {
    if (path === null) return;
    const ac = new AbortController();
    // A reload of the same resource keeps what is on screen until the answer arrives (no flicker).
    if (shown.current !== path) setLoad({ state: 'loading' });
    shown.current = path;
    apiGet<T>(path, token, ac.signal).then(
      (value) => setLoad({ state: 'ok', value }),
      (err: unknown) => {
        if (err instanceof DOMException && err.name === 'AbortError') return;
        if (err instanceof ApiError && err.status === 401) return onUnauthorized();
        setLoad({ state: 'error', message: err instanceof Error ? err.message : String(err) });
      },
    );
    return () => ac.abort();
  }, [path, token, onUnauthorized, tick]);
  return [load, useCallback(() => setTick((n) => n + 1), [])];
}
