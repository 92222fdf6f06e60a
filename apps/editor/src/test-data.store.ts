// What "test a step" left behind in the editor, per flow: the last tested input and output of
// each node, and input items the user pinned. Kept in localStorage so a reload keeps them.
// Read by the step test panel and by the JSONata preview (an expression is previewed against
// the node's input).
import { useSyncExternalStore } from 'react';

export type TestItem = Record<string, unknown>;

export interface NodeTestResult {
  nodeId: string;
  status: 'succeeded' | 'failed' | 'skipped' | 'waiting' | 'running';
  input: TestItem[];
  /** Items per output port; null when the step failed before producing any. */
  output: Record<string, TestItem[]> | null;
  error?: { code: string; message: string; details?: unknown } | null;
  /** UTC ISO time the test ran. */
  at: string;
  /** Item counts before the API cut long lists to fit its answer. */
  itemCounts?: { input: number; output: Record<string, number> };
  /** A core.delay step: when a real run would go on (the test did not wait). */
  resumeAt?: string;
}

export interface FlowTestData {
  /** The last test result of each node. */
  results: Record<string, NodeTestResult>;
  /** Input items the user pinned for a node (used instead of upstream output). */
  pinned: Record<string, TestItem[]>;
}

const EMPTY: FlowTestData = { results: {}, pinned: {} };
const KEY = (flowKey: string) => `tributary.testData.${flowKey}`;
/** Bytes kept per flow in localStorage; beyond it the oldest results are dropped. */
const MAX_STORED = 2_000_000;

const cache = new Map<string, FlowTestData>();
const listeners = new Set<() => void>();

function read(flowKey: string): FlowTestData {
  let data = cache.get(flowKey);
  if (!data) {
    try {
      const raw = localStorage.getItem(KEY(flowKey));
      data = raw ? (JSON.parse(raw) as FlowTestData) : EMPTY;
    } catch {
      data = EMPTY;
    }
    cache.set(flowKey, data);
  }
  return data;
}

function write(flowKey: string, data: FlowTestData): void {
  cache.set(flowKey, data);
  let stored = data;
  let json = JSON.stringify(stored);
  // Drop the oldest results until it fits; pinned data is the user's and is kept.
  const byAge = Object.values(stored.results).sort((a, b) => a.at.localeCompare(b.at));
  while (json.length > MAX_STORED && byAge.length) {
    const oldest = byAge.shift()!;
    const { [oldest.nodeId]: _dropped, ...rest } = stored.results;
    stored = { ...stored, results: rest };
    json = JSON.stringify(stored);
  }
  try {
    localStorage.setItem(KEY(flowKey), json);
  } catch {
    // Storage full or disabled: the data stays in memory for this page.
  }
  for (const l of listeners) l();
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

/** The test data of one flow (`flowKey`: the flow id, or `new` for an unsaved flow); re-renders on change. */
export function useFlowTestData(flowKey: string): FlowTestData {
  return useSyncExternalStore(subscribe, () => read(flowKey));
}

/**
 * The items a node would get as input in a test: pinned items first, else the input of its last
 * test. `undefined` when there is neither.
 */
export function nodeTestInput(data: FlowTestData, nodeId: string): TestItem[] | undefined {
  return data.pinned[nodeId] ?? data.results[nodeId]?.input;
}

export function useNodeTestInput(flowKey: string, nodeId: string): TestItem[] | undefined {
  return nodeTestInput(useFlowTestData(flowKey), nodeId);
}

export const testData = {
  get: read,
  /** Records the steps of one test (each replaces that node's previous result). */
  saveResults(flowKey: string, results: NodeTestResult[]): void {
    const data = read(flowKey);
    const next = { ...data.results };
    for (const r of results) next[r.nodeId] = r;
    write(flowKey, { ...data, results: next });
  },
  /** Drops the results of nodes (a test that no longer reached them: their old result would mislead). */
  forget(flowKey: string, nodeIds: Iterable<string>): void {
    const data = read(flowKey);
    const results = { ...data.results };
    let changed = false;
    for (const id of nodeIds) {
      if (!(id in results)) continue;
      delete results[id];
      changed = true;
    }
    if (changed) write(flowKey, { ...data, results });
  },
  /** Hands the test data of an unsaved flow (`new`) to the id it was saved as. */
  move(from: string, to: string): void {
    const data = read(from);
    if (!Object.keys(data.results).length && !Object.keys(data.pinned).length) return;
    write(to, data);
    testData.clear(from);
  },
  pin(flowKey: string, nodeId: string, items: TestItem[]): void {
    const data = read(flowKey);
    write(flowKey, { ...data, pinned: { ...data.pinned, [nodeId]: items } });
  },
  unpin(flowKey: string, nodeId: string): void {
    const data = read(flowKey);
    const { [nodeId]: _removed, ...pinned } = data.pinned;
    write(flowKey, { ...data, pinned });
  },
  /** Forget everything of a flow (e.g. after it is deleted). */
  clear(flowKey: string): void {
    cache.delete(flowKey);
    localStorage.removeItem(KEY(flowKey));
    for (const l of listeners) l();
  },
};
