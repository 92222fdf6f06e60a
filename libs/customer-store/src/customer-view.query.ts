import type { DataSource } from 'typeorm';
import type { AttributeMap, AttributeView, CustomerView } from './customer-store.types.js';
import type { MatchDecision } from './matching/index.js';
import { isUuid } from './util/uuid-v7.util.js';

const TIMELINE_LIMIT = 100;

interface CustomerRow {
  id: string;
  display_name: string | null;
  attributes: AttributeMap;
  score: number;
  stage: string;
  owner_id: string | null;
  owner_name: string | null;
  priority: string | null;
  first_channel: string | null;
  last_interaction_at: Date | null;
  assigned_at: Date | null;
  stage_changed_at: Date | null;
  tags: string[];
  merged_into: string | null;
  erased_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  account_id: string | null;
  account_name: string | null;
  account_credit_code: string | null;
  account_city: string | null;
  account_industry: string | null;
}

/** The 360° view of one customer, or undefined when there is no such customer. */
export async function loadCustomerView(ds: DataSource, id: string): Promise<CustomerView | undefined> {
  if (!isUuid(id)) return undefined;
  const [customers, identities, events, merges] = await Promise.all([
    ds.query(
      `SELECT c.id, c.display_name, c.attributes, c.score, c.stage, c.owner_id, o.name AS owner_name, c.priority, c.first_channel,
              c.last_interaction_at, c.assigned_at, c.stage_changed_at, c.tags, c.merged_into, c.erased_at,
              c.created_at, c.updated_at, c.version, a.id AS account_id, a.name AS account_name,
              a.credit_code AS account_credit_code, a.city AS account_city, a.industry AS account_industry
         FROM customers c LEFT JOIN accounts a ON a.id = c.account_id LEFT JOIN owners o ON o.id = c.owner_id
        WHERE c.id = $1`,
      [id],
    ) as Promise<CustomerRow[]>,
    ds.query(
      `SELECT type, value, raw_value, source, first_seen, last_seen FROM customer_identities
        WHERE customer_id = $1 ORDER BY CASE type WHEN 'phone' THEN 0 WHEN 'email' THEN 1 ELSE 2 END, type, first_seen`,
      [id],
    ) as Promise<{ type: string; value: string; raw_value: string | null; source: string; first_seen: Date; last_seen: Date }[]>,
    ds.query(
      `SELECT id, type, occurred_at, payload, source, flow_id, flow_version, run_id, node_id, resolution FROM customer_events
        WHERE customer_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT ${TIMELINE_LIMIT}`,
      [id],
    ) as Promise<
      {
        id: string;
        type: string;
        occurred_at: Date;
        payload: Record<string, unknown> | null;
        source: string;
        flow_id: string | null;
        flow_version: number | null;
        run_id: string | null;
        node_id: string | null;
        resolution: MatchDecision | null;
      }[]
    >,
    ds.query(
      `SELECT id, target_id, source_ids, reason, actor, created_at, undone_at FROM customer_merges
        WHERE target_id = $1 OR source_ids @> ARRAY[$1::uuid] ORDER BY created_at DESC`,
      [id],
    ) as Promise<{ id: string; target_id: string; source_ids: string[]; reason: Record<string, unknown>; actor: string | null; created_at: Date; undone_at: Date | null }[]>,
  ]);
  const c = customers[0];
  if (!c) return undefined;
  return {
    id: c.id,
    displayName: c.display_name,
    attributes: attributeViews(c.attributes),
    identities: identities.map((i) => ({
      type: i.type,
      value: i.value,
      rawValue: i.raw_value,
      source: i.source,
      firstSeen: i.first_seen.toISOString(),
      lastSeen: i.last_seen.toISOString(),
    })),
    account: c.account_id
      ? { id: c.account_id, name: c.account_name ?? '', creditCode: c.account_credit_code, city: c.account_city, industry: c.account_industry }
      : null,
    owner: c.owner_id ? { id: c.owner_id, name: c.owner_name, assignedAt: c.assigned_at?.toISOString() ?? null } : null,
    score: c.score,
    stage: c.stage,
    priority: c.priority,
    firstChannel: c.first_channel,
    lastInteractionAt: c.last_interaction_at?.toISOString() ?? null,
    stageChangedAt: c.stage_changed_at?.toISOString() ?? null,
    tags: c.tags,
    timeline: events.map((e) => ({
      id: String(e.id),
      type: e.type,
      occurredAt: e.occurred_at.toISOString(),
      source: e.source,
      flowId: e.flow_id,
      flowVersion: e.flow_version,
      runId: e.run_id,
      nodeId: e.node_id,
      payload: e.payload,
      resolution: e.resolution ?? null,
    })),
    merges: merges.map((m) => ({
      id: m.id,
      targetId: m.target_id,
      sourceIds: m.source_ids,
      reason: m.reason,
      actor: m.actor,
      createdAt: m.created_at.toISOString(),
      undoneAt: m.undone_at ? m.undone_at.toISOString() : null,
    })),
    mergedInto: c.merged_into,
    erasedAt: c.erased_at ? c.erased_at.toISOString() : null,
    createdAt: c.created_at.toISOString(),
    updatedAt: c.updated_at.toISOString(),
    version: c.version,
  };
}

function attributeViews(attributes: AttributeMap): Record<string, AttributeView> {
  const out: Record<string, AttributeView> = {};
  for (const [field, a] of Object.entries(attributes ?? {})) {
    out[field] = { value: a.value, source: a.source, flowId: a.flowId, flowVersion: a.flowVersion, runId: a.runId, nodeId: a.nodeId, updatedAt: a.updatedAt };
  }
  return out;
}
