import type { CustomerSummary } from './customer-store.types.js';

/** The columns a customer summary is read from (search results, review items). */
export interface CustomerSummaryRow {
  id: string;
  display_name: string | null;
  stage: string;
  score: number;
  tags: string[];
  owner_id: string | null;
  account_id: string | null;
  identities: { type: string; value: string }[] | null;
  created_at: Date;
  updated_at: Date;
}

export function toCustomerSummary(r: CustomerSummaryRow): CustomerSummary {
  return {
    id: r.id,
    displayName: r.display_name,
    stage: r.stage,
    score: r.score,
    tags: r.tags,
    ownerId: r.owner_id,
    accountId: r.account_id,
    identities: r.identities ?? [],
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}
