import type { CustomerStorePort, CustomerUpsertInput, CustomerUpsertResult, IdentityInput } from '@tributary/engine';

export interface InMemoryCustomer {
  id: string;
  identities: IdentityInput[];
  attributes: Record<string, unknown>;
  events: NonNullable<CustomerUpsertInput['event']>[];
}

/**
 * A customer store for pure unit tests of nodes: customers keyed by exact identity
 * (`type:value`), attributes overwritten by the latest upsert, idempotency keys honoured.
 * It does no normalisation, survivorship or merging: that is libs/customer-store's job.
 */
export class InMemoryCustomerStore implements CustomerStorePort {
  private readonly customers = new Map<string, InMemoryCustomer>();
  private readonly byIdentity = new Map<string, string>();
  private readonly byKey = new Map<string, CustomerUpsertResult>();
  private seq = 0;

  async upsert(inputs: CustomerUpsertInput[]): Promise<CustomerUpsertResult[]> {
    return inputs.map((input) => this.upsertOne(input));
  }

  /** Read-only resolution by exact identity, in the order given: matched (the first known identity's customer) or new. */
  async resolve(inputs: { identities: IdentityInput[] }[]): Promise<{ kind: 'matched' | 'new'; targetId?: string; score: number; reasons: { rule: string; detail: string }[] }[]> {
    return inputs.map((input) => {
      for (const i of input.identities) {
        const c = this.find(i.type, i.value);
        if (c) return { kind: 'matched', targetId: c.id, score: 1, reasons: [{ rule: `identifier:${i.type}`, detail: `${i.type} ${i.value} equal` }] };
      }
      return { kind: 'new', score: 0, reasons: [{ rule: 'new', detail: 'no identity known' }] };
    });
  }

  /** The customer holding an identity, if any. */
  find(type: string, value: string): InMemoryCustomer | undefined {
    const id = this.byIdentity.get(`${type}:${value}`);
    return id ? this.customers.get(id) : undefined;
  }

  all(): InMemoryCustomer[] {
    return [...this.customers.values()];
  }

  private upsertOne(input: CustomerUpsertInput): CustomerUpsertResult {
    const seen = this.byKey.get(input.idempotencyKey);
    if (seen) return seen;
    const usable = input.identities.filter((i) => typeof i.value === 'string' && i.value.trim() !== '');
    const ignored = input.identities.filter((i) => !usable.includes(i));
    let customer = usable.map((i) => this.find(i.type, i.value)).find((c) => c !== undefined);
    const created = !customer;
    if (!customer) {
      customer = { id: `cus_${++this.seq}`, identities: [], attributes: {}, events: [] };
      this.customers.set(customer.id, customer);
    }
    for (const identity of usable) {
      const key = `${identity.type}:${identity.value}`;
      if (!this.byIdentity.has(key)) {
        this.byIdentity.set(key, customer.id);
        customer.identities.push({ type: identity.type, value: identity.value });
      }
    }
    for (const [k, v] of Object.entries(input.attributes)) if (v !== undefined && v !== null) customer.attributes[k] = v;
    if (input.event) customer.events.push(input.event);
    const result: CustomerUpsertResult = { customerId: customer.id, created, ignoredIdentities: ignored };
    this.byKey.set(input.idempotencyKey, result);
    return result;
  }
}
