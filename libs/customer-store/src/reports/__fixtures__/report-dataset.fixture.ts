import type { DataSource } from 'typeorm';

/**
 * A small hand-made store whose report figures are worked out by hand in the tests: ten
 * customers (one merged away, one erased) across channels, campaigns, owners and stages,
 * with their timelines around March 2026 (UTC).
 */
export const C = Object.fromEntries(
  Array.from({ length: 10 }, (_, i) => [`c${i + 1}`, `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`]),
) as Record<'c1' | 'c2' | 'c3' | 'c4' | 'c5' | 'c6' | 'c7' | 'c8' | 'c9' | 'c10', string>;

interface CustomerSeed {
  id: string;
  channel: string | null;
  created: string;
  stage?: string;
  owner?: string;
  assigned?: string;
  stageChanged?: string;
  attributes?: Record<string, string>;
  mergedInto?: string;
  erased?: string;
}

const customers: CustomerSeed[] = [
  { id: C.c1, channel: 'webform', created: '2026-03-02T09:00:00Z', stage: 'customer', owner: 'o1', assigned: '2026-03-02T10:00:00Z', stageChanged: '2026-03-10T00:00:00Z', attributes: { utm_campaign: 'spring' } },
  // Created after 16:00 UTC: the 3rd of March in Shanghai.
  { id: C.c2, channel: 'webform', created: '2026-03-02T17:00:00Z', stage: 'mql', owner: 'o2', assigned: '2026-03-02T17:00:00Z', attributes: { utm_campaign: 'spring' } },
  { id: C.c3, channel: 'meta_leads', created: '2026-03-09T00:00:00Z', stage: 'churned', owner: 'o1', assigned: '2026-03-09T04:00:00Z', attributes: { campaign_id: '2385', campaign_name: 'Spring leads' } },
  { id: C.c4, channel: 'wecom', created: '2026-03-16T00:00:00Z' },
  // Became a customer in January, without a stage event.
  { id: C.c5, channel: 'webform', created: '2026-01-05T00:00:00Z', stage: 'customer', owner: 'o2', stageChanged: '2026-01-20T00:00:00Z', attributes: { utm_campaign: 'winter' } },
  { id: C.c6, channel: 'webform', created: '2026-03-05T00:00:00Z', mergedInto: C.c1 },
  { id: C.c7, channel: 'webform', created: '2026-03-06T00:00:00Z', erased: '2026-03-20T00:00:00Z' },
  // No first channel; a customer by its stage alone (set on the 22nd, no event).
  { id: C.c8, channel: null, created: '2026-03-20T00:00:00Z', stage: 'customer', owner: 'o1', stageChanged: '2026-03-22T00:00:00Z' },
  { id: C.c9, channel: 'pos', created: '2025-10-01T00:00:00Z', stage: 'churn_risk', stageChanged: '2026-02-01T00:00:00Z' },
  { id: C.c10, channel: 'pos', created: '2025-12-20T00:00:00Z' },
];

type EventSeed = [customer: string, type: string, at: string, payload?: Record<string, unknown> | null];
const stage = (from: string, to: string) => ({ from, to, rule: 'threshold' });
const order = (id: string | null, amount: string | null, currency = 'CNY') => ({ ...(id ? { order_id: id } : {}), ...(amount ? { amount } : {}), currency });

const events: EventSeed[] = [
  [C.c1, 'form_submitted', '2026-03-02T09:00:00Z'],
  [C.c1, 'task_completed', '2026-03-02T12:00:00Z'],
  [C.c1, 'stage_changed', '2026-03-03T00:00:00Z', stage('lead', 'mql')],
  [C.c1, 'stage_changed', '2026-03-05T00:00:00Z', stage('mql', 'sql')],
  [C.c1, 'stage_changed', '2026-03-10T00:00:00Z', stage('sql', 'customer')],
  [C.c1, 'order_paid', '2026-03-10T01:00:00Z', order('o-1', '100.00')],
  [C.c1, 'order_refunded', '2026-03-20T00:00:00Z', order('o-1', '30.00')],
  // Cancelled after the partial refund: what is left of the payment (70).
  [C.c1, 'order_cancelled', '2026-03-25T00:00:00Z', order('o-1', '100.00')],

  [C.c2, 'form_submitted', '2026-03-02T17:00:00Z'],
  [C.c2, 'contacted', '2026-03-03T17:00:00Z'],
  [C.c2, 'stage_changed', '2026-03-04T00:00:00Z', stage('lead', 'mql')],
  [C.c2, 'pos_purchase', '2026-03-18T00:00:00Z', order('p-2', '15.00', 'USD')],

  [C.c3, 'lead_received', '2026-03-09T00:00:00Z'],
  // Before the assignment: not the first contact.
  [C.c3, 'contacted', '2026-03-09T02:00:00Z'],
  [C.c3, 'owner_contacted', '2026-03-09T10:00:00Z'],
  [C.c3, 'stage_changed', '2026-03-15T00:00:00Z', stage('lead', 'customer')],
  [C.c3, 'pos_purchase', '2026-03-16T00:00:00Z', order(null, '50.5')],
  [C.c3, 'stage_changed', '2026-03-25T00:00:00Z', stage('customer', 'churned')],

  [C.c4, 'wecom_contact_added', '2026-03-16T00:00:00Z'],
  // Imported history from before the customer existed: it does not make c4 awake (or active) earlier.
  [C.c4, 'wecom_message', '2026-01-01T00:00:00Z'],

  [C.c5, 'form_submitted', '2026-01-05T00:00:00Z'],
  [C.c5, 'order_paid', '2026-02-25T00:00:00Z', order('o-8', '40.00')],
  [C.c5, 'order_cancelled', '2026-03-03T00:00:00Z', order('o-8', '40.00')],
  // Placed, paid, and the payment pushed twice: one order of 200.
  [C.c5, 'order_placed', '2026-03-05T10:00:00Z', order('o-5', '200.00')],
  [C.c5, 'order_paid', '2026-03-05T10:05:00Z', order('o-5', '200.00')],
  [C.c5, 'order_paid', '2026-03-05T10:06:00Z', order('o-5', '200.00')],
  // Placed and not (yet) paid: counts at its placement.
  [C.c5, 'order_placed', '2026-03-07T00:00:00Z', order('o-6', '80.00')],
  // Placed and closed unpaid: nothing.
  [C.c5, 'order_placed', '2026-03-08T00:00:00Z', order('o-7', '60.00')],
  [C.c5, 'order_cancelled', '2026-03-09T00:00:00Z', order('o-7', '60.00')],

  [C.c7, 'form_submitted', '2026-03-06T00:00:00Z', null],
  [C.c7, 'order_paid', '2026-03-07T00:00:00Z', null],

  [C.c8, 'profile_updated', '2026-03-20T00:00:00Z'],
  [C.c8, 'task_completed', '2026-03-21T00:00:00Z'],

  [C.c9, 'pos_member_created', '2025-10-01T00:00:00Z'],
  [C.c9, 'pos_purchase', '2025-10-02T00:00:00Z', order('p-9', '10.00', 'USD')],
  [C.c9, 'stage_changed', '2026-02-01T00:00:00Z', stage('customer', 'churn_risk')],

  [C.c10, 'pos_member_created', '2025-12-20T00:00:00Z'],
  [C.c10, 'pos_purchase', '2026-03-25T00:00:00Z', order('p-10', '25.00')],
];

const provenance = (source: string, at: string) => ({ source, flowId: 'f', flowVersion: 1, runId: 'r', nodeId: 'save', updatedAt: at });

/** Writes the owners, customers and timeline (in one transaction: the foreign keys are checked at commit). */
export async function seedReportDataset(ds: DataSource): Promise<void> {
  await ds.transaction(async (m) => {
    await m.query(`INSERT INTO owners (id, name) VALUES ('o1', '王芳'), ('o2', '李强')`);
    // Survivors before the tombstone that points at them.
    for (const c of [...customers].sort((a, b) => Number(!!a.mergedInto) - Number(!!b.mergedInto))) {
      const attributes = Object.fromEntries(Object.entries(c.attributes ?? {}).map(([k, v]) => [k, { value: v, ...provenance(c.channel ?? 'manual', c.created) }]));
      await m.query(
        `INSERT INTO customers (id, display_name, attributes, stage, owner_id, merged_into, erased_at, created_at, updated_at, first_channel, assigned_at, stage_changed_at)
         VALUES ($1::uuid, $1::text, $2::jsonb, $3, $4, $5, $6, $7, $7, $8, $9, $10)`,
        [c.id, JSON.stringify(attributes), c.stage ?? 'lead', c.owner ?? null, c.mergedInto ?? null, c.erased ?? null, c.created, c.channel, c.assigned ?? null, c.stageChanged ?? null],
      );
    }
    for (const [i, [customer, type, at, payload]] of events.entries()) {
      await m.query(
        `INSERT INTO customer_events (customer_id, type, occurred_at, payload, source, idempotency_key) VALUES ($1, $2, $3, $4::jsonb, 'fixture', $5)`,
        [customer, type, at, payload === undefined ? '{}' : payload === null ? null : JSON.stringify(payload), `fixture:${i}`],
      );
    }
  });
}
