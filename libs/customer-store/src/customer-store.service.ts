import type { CustomerStorePort } from '@tributary/engine';
import type { CountryCode } from 'libphonenumber-js/core';
import type { DataSource } from 'typeorm';
import { eraseCustomer } from './customer-erasure.command.js';
import { countCustomers, searchCustomers } from './customer-search.query.js';
import type {
  CustomerSearchPage,
  CustomerSearchQuery,
  CustomerView,
  ErasureResult,
  StoreUpsertInput,
  StoreUpsertResult,
} from './customer-store.types.js';
import { prepareUpsert, runUpsertBatch, type PreparedUpsert } from './customer-upsert.command.js';
import { loadCustomerView } from './customer-view.query.js';
import { inTransaction } from './util/transaction.util.js';

export interface CustomerStoreOptions {
  /** Country assumed for phone numbers written without a country code (default CN). */
  defaultCountry?: CountryCode;
  /** Attempts in all when a transaction hits a serialization failure or deadlock (default 5). */
  attempts?: number;
  /** The clock; tests pin it. */
  now?: () => Date;
}

/**
 * The customer store over a TypeORM DataSource that has customerStoreEntities and
 * customerStoreMigrations. Writes are raw multi-row SQL in one transaction per call; see
 * BatchingCustomerStore to coalesce many concurrent calls into one transaction.
 */
export class CustomerStore implements CustomerStorePort {
  readonly defaultCountry: CountryCode;
  /** Counters for /metrics. */
  readonly stats = { transactions: 0, retries: 0, inputs: 0 };
  private readonly attempts: number;
  private readonly now: () => Date;

  constructor(
    readonly dataSource: DataSource,
    options: CustomerStoreOptions = {},
  ) {
    this.defaultCountry = options.defaultCountry ?? 'CN';
    this.attempts = options.attempts ?? 5;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Finds or creates the customer of each input by its identities, merges attributes with
   * provenance and writes a timeline event, all in one transaction. Throws
   * CustomerStoreError before writing anything when an input is invalid or has no usable
   * identity. Results are in input order.
   */
  async upsert(inputs: StoreUpsertInput[]): Promise<StoreUpsertResult[]> {
    if (inputs.length === 0) return [];
    const now = this.now();
    return this.upsertPrepared(inputs.map((input) => this.prepare(input, now)));
  }

  /** Validates and normalizes one input (no I/O); throws CustomerStoreError. */
  prepare(input: StoreUpsertInput, now = this.now()): PreparedUpsert {
    return prepareUpsert(input, now, this.defaultCountry);
  }

  /** Writes prepared inputs in one transaction, from the start again on 40001/40P01. */
  upsertPrepared(batch: PreparedUpsert[]): Promise<StoreUpsertResult[]> {
    if (batch.length === 0) return Promise.resolve([]);
    this.stats.transactions++;
    this.stats.inputs += batch.length;
    return inTransaction(this.dataSource, (q) => runUpsertBatch(q, batch, this.now()), {
      attempts: this.attempts,
      onRetry: () => this.stats.retries++,
      fnBegins: true,
    });
  }

  /** The 360° view, or undefined. A merged customer is returned with `mergedInto` set. */
  getCustomer(id: string): Promise<CustomerView | undefined> {
    return loadCustomerView(this.dataSource, id);
  }

  /** Throws CustomerStoreError (invalid_query, invalid_cursor) on a malformed query. */
  searchCustomers(query: CustomerSearchQuery = {}): Promise<CustomerSearchPage> {
    return searchCustomers(this.dataSource, query, this.defaultCountry);
  }

  /** Live customers: neither merged away nor erased. */
  countCustomers(): Promise<number> {
    return countCustomers(this.dataSource);
  }

  /** Erases the customer's personal data; undefined when there is no such customer. */
  eraseCustomer(id: string, actor: string): Promise<ErasureResult | undefined> {
    return eraseCustomer(this.dataSource, id, actor);
  }
}
