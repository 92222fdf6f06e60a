// Evaluates the JSONata preview off the main thread with the engine's own evaluator: the same
// jsonata build, custom functions ($pad guard), limits, error codes and bindings as a run. The
// page terminates this worker when an evaluation overruns (jsonata cannot interrupt a regex).
import { createExpressionEvaluator, expressionBindings } from '@tributary/engine/expression';
import { PREVIEW_RUN_ID, type PreviewRequest, type PreviewResponse } from './jsonata-preview.util.js';

const evaluator = createExpressionEvaluator();
const post = (r: PreviewResponse) => (self as unknown as Worker).postMessage(r);

self.onmessage = async (e: MessageEvent<PreviewRequest>) => {
  const { id, expression, input, extra } = e.data;
  try {
    const value = await evaluator.evaluate(expression, input, expressionBindings({ now: () => new Date(), runId: PREVIEW_RUN_ID }, extra));
    post({ id, ok: true, value });
  } catch (err) {
    const x = err as { code?: unknown; message?: unknown; position?: unknown };
    post({
      id,
      ok: false,
      error: {
        code: typeof x.code === 'string' ? x.code : 'expression_runtime',
        message: typeof x.message === 'string' ? x.message : String(err),
        ...(typeof x.position === 'number' ? { position: x.position } : {}),
      },
    });
  }
};
