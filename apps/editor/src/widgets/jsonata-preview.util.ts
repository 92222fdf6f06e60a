// What a JSONata field's preview evaluates, bound the way the nodes bind it at run time
// (connectors/core transform, filter, branch, http; notify.*: `expressionBindings(ctx, { item, index })`,
// or `{ items }` over the whole input in transform's "all" mode).
import type { FlowTestData, TestItem } from '../test-data.store.js';

/** See `x-scope` in libs/engine/src/ajv.util.ts. */
export type PreviewScope = 'item' | 'items' | 'none';

export function previewScope(schema: Record<string, unknown> | undefined): PreviewScope {
  const s = schema?.['x-scope'];
  return s === 'items' || s === 'none' ? s : 'item';
}

/** Where the preview's input came from, to say so next to the result. */
export type PreviewSource = 'pinned' | 'tested' | 'sample';

export interface PreviewInput {
  items: TestItem[];
  source: PreviewSource;
}

/**
 * The node's input for the preview: pinned items, else the input of its last test (as the step
 * test panel records them), else the node's own `sample.input`. Undefined when there is none.
 */
export function previewInput(data: FlowTestData, nodeId: string, sample: unknown): PreviewInput | undefined {
  const pinned = data.pinned[nodeId];
  if (pinned) return { items: pinned, source: 'pinned' };
  const tested = data.results[nodeId]?.input;
  if (tested) return { items: tested, source: 'tested' };
  const input = sample && typeof sample === 'object' ? (sample as { input?: unknown }).input : undefined;
  if (Array.isArray(input) && input.every((i) => i !== null && typeof i === 'object' && !Array.isArray(i))) return { items: input as TestItem[], source: 'sample' };
  return undefined;
}

/** One evaluation: `$` and the node's own bindings (the clock and `$runId` are added in the worker). */
export interface PreviewCall {
  input: unknown;
  extra: Record<string, unknown>;
}

/** The call for item `index` (`item` scope) or for all items (`items` scope); undefined when there is nothing to evaluate. */
export function previewCall(scope: PreviewScope, items: TestItem[], index: number): PreviewCall | undefined {
  if (scope === 'none') return undefined;
  if (scope === 'items') return { input: items, extra: { items } };
  const item = items[index];
  return item === undefined ? undefined : { input: item, extra: { item, index } };
}

/** The `$runId` the preview binds: there is no run. */
export const PREVIEW_RUN_ID = 'preview';

export interface PreviewRequest extends PreviewCall {
  id: number;
  expression: string;
}

export type PreviewResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { code: string; message: string; position?: number } };
