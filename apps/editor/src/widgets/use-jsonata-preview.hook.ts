import { useEffect, useRef, useState } from 'react';
import type { PreviewCall, PreviewRequest, PreviewResponse } from './jsonata-preview.util.js';

/** Typing pauses this long before an evaluation starts. */
export const PREVIEW_DEBOUNCE_MS = 300;
/**
 * An evaluation still running after this is stopped by terminating its worker. The engine's own
 * limit (1 s, checked between evaluation steps) catches most runaways first; this catches what it
 * cannot interrupt, such as a catastrophic regular expression.
 */
export const PREVIEW_TIMEOUT_MS = 2500;

export type PreviewState =
  | { status: 'idle' }
  | { status: 'running'; last?: PreviewState }
  | { status: 'ok'; value: unknown }
  | { status: 'error'; error: { code: string; message: string; position?: number } }
  | { status: 'timeout' };

let nextId = 0;

/**
 * The result of `expression` for `call`, evaluated in a Web Worker of its own (one per field, made
 * on first use), debounced; a worker that overruns is terminated and replaced on the next change.
 * `call` undefined (or a syntax error, `enabled` false) means nothing to evaluate.
 */
export function useJsonataPreview(expression: string, call: PreviewCall | undefined, enabled: boolean): PreviewState {
  const [state, setState] = useState<PreviewState>({ status: 'idle' });
  const worker = useRef<Worker | null>(null);

  useEffect(() => () => worker.current?.terminate(), []);

  useEffect(() => {
    if (!enabled || !call || !expression.trim()) {
      setState({ status: 'idle' });
      return;
    }
    let kill: ReturnType<typeof setTimeout> | undefined;
    let done = false;
    const start = setTimeout(() => {
      setState((prev) => ({ status: 'running', last: prev.status === 'running' ? prev.last : prev }));
      const w = (worker.current ??= new Worker(new URL('./jsonata-preview.worker.ts', import.meta.url), { type: 'module' }));
      const id = ++nextId;
      w.onmessage = (e: MessageEvent<PreviewResponse>) => {
        if (e.data.id !== id || done) return;
        done = true;
        clearTimeout(kill);
        setState(e.data.ok ? { status: 'ok', value: e.data.value } : { status: 'error', error: e.data.error });
      };
      kill = setTimeout(() => {
        if (done) return;
        done = true;
        w.terminate();
        if (worker.current === w) worker.current = null;
        setState({ status: 'timeout' });
      }, PREVIEW_TIMEOUT_MS);
      const request: PreviewRequest = { id, expression, ...call };
      try {
        w.postMessage(request);
      } catch (err) {
        // Input that cannot be cloned into the worker (it came from JSON, so this should not happen).
        done = true;
        clearTimeout(kill);
        setState({ status: 'error', error: { code: 'preview_input', message: err instanceof Error ? err.message : String(err) } });
      }
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      // A newer evaluation replaces this one; if this one is stuck, the newer one's timer ends the worker.
      done = true;
      clearTimeout(start);
      clearTimeout(kill);
    };
  }, [expression, call, enabled]);

  return state;
}
