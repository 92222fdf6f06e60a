import { CLUE_CALLBACK_ROUTE, feiyuRequest, type FeiyuDeps, type FeiyuOptions } from './feiyu-api.util.js';

/**
 * Reports a clue's conversion state (clue_convert_state) to Feiyu. REPORTED: the body shape
 * `{source: 0, data: {clue_id, clue_convert_state}}` and the signature over the bare route come
 * from the mirrored Feiyu client code; the Feiyu docs themselves are behind a login.
 */
export async function sendClueCallback(deps: FeiyuDeps, opts: FeiyuOptions, clueId: string, state: number): Promise<Record<string, unknown>> {
  return feiyuRequest(deps, opts, {
    method: 'POST',
    route: CLUE_CALLBACK_ROUTE,
    signedPath: CLUE_CALLBACK_ROUTE,
    body: { source: 0, data: { clue_id: clueId, clue_convert_state: state } },
  });
}
