import { useEffect, useState } from 'react';
import { apiGet } from './api.client.js';
import type { FlowSummary } from './flow.types.js';

// Flow ids are opaque (often UUIDs); lists show the flow's name instead. One request serves every
// list on the page, and it is made again when an id turns up that the last answer did not know
// (a flow created since).

let known: Map<string, FlowSummary> = new Map();
let pending: Promise<void> | null = null;
const listeners = new Set<() => void>();

function refresh(token: string): Promise<void> {
  pending ??= apiGet<{ items: FlowSummary[] }>('/api/flows', token)
    .then((r) => {
      known = new Map(r.items.map((f) => [f.id, f]));
      for (const l of listeners) l();
    })
    .catch(() => undefined)
    .finally(() => {
      pending = null;
    });
  return pending;
}

/** The flows by id; `ids` are the ones the caller shows (an unknown one triggers a reload). */
export function useFlowNames(token: string, ids: readonly string[] = []): Map<string, FlowSummary> {
  const [, setTick] = useState(0);
  const missing = ids.some((id) => !known.has(id));
  useEffect(() => {
    const l = () => setTick((n) => n + 1);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  useEffect(() => {
    if (missing || known.size === 0) void refresh(token);
  }, [missing, token]);
  return known;
}

/** "name v3", or the id when the flow is unknown (deleted, or not loaded yet). */
export function flowLabel(flows: Map<string, FlowSummary>, id: string, version?: number | null): string {
  const name = flows.get(id)?.name ?? id;
  return version ? `${name} v${version}` : name;
}
