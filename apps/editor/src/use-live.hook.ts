import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, apiGet } from './api.client.js';
import type { Load } from './use-api.hook.js';

export type LiveMode = 'live' | 'polling' | 'idle';

const POLL_MS = 2000;

/**
 * `path` kept up to date: from the Server-Sent Events of `streamPath` (the admin token goes as `?token=`,
 * since EventSource cannot send headers), else — no stream, or the stream failed — by polling `path`
 * while the tab is visible. Both stop once `finished(value)` says nothing more will change.
 * `restart()` opens the stream again (after a retry, say).
 */
export function useLive<T>(
  path: string | null,
  streamPath: string | null,
  token: string,
  onUnauthorized: () => void,
  finished?: (value: T) => boolean,
): { load: Load<T>; mode: LiveMode; restart: () => void } {
  const [load, setLoad] = useState<Load<T>>({ state: 'loading' });
  const [mode, setMode] = useState<LiveMode>('idle');
  const [epoch, setEpoch] = useState(0);
  const shown = useRef<string | null>(null);
  const isFinished = useRef(finished);
  isFinished.current = finished;

  useEffect(() => {
    if (path === null) return;
    let stopped = false;
    let es: EventSource | undefined;
    let timer: number | undefined;
    const ac = new AbortController();
    // Reopening the same resource keeps what is on screen until news arrive (no flicker).
    if (shown.current !== path) setLoad({ state: 'loading' });
    shown.current = path;

    const show = (value: T): boolean => {
      if (stopped) return true;
      setLoad({ state: 'ok', value });
      const done = isFinished.current?.(value) === true;
      if (done) setMode('idle');
      return done;
    };
    let first = true;
    const poll = async () => {
      if (stopped) return;
      if (first || document.visibilityState === 'visible') {
        first = false;
        try {
          if (show(await apiGet<T>(path, token, ac.signal))) return;
        } catch (err) {
          if (err instanceof DOMException && err.name === 'AbortError') return;
          if (err instanceof ApiError && err.status === 401) return onUnauthorized();
          if (stopped) return;
          setLoad({ state: 'error', message: err instanceof Error ? err.message : String(err) });
          if (err instanceof ApiError && err.status === 404) return setMode('idle');
        }
      }
      if (!stopped) timer = window.setTimeout(() => void poll(), POLL_MS);
    };
    const startPolling = () => {
      setMode('polling');
      void poll();
    };

    if (streamPath && typeof EventSource !== 'undefined') {
      const url = `${streamPath}${streamPath.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
      es = new EventSource(url);
      setMode('live');
      es.onmessage = (e: MessageEvent<string>) => {
        if (show(JSON.parse(e.data) as T)) es?.close();
      };
      // A refused or broken stream (or the server's `event: error`): poll instead.
      es.onerror = () => {
        es?.close();
        if (!stopped) startPolling();
      };
    } else {
      startPolling();
    }
    return () => {
      stopped = true;
      es?.close();
      window.clearTimeout(timer);
      ac.abort();
    };
  }, [path, streamPath, token, onUnauthorized, epoch]);

  return { load, mode, restart: useCallback(() => setEpoch((n) => n + 1), []) };
}
