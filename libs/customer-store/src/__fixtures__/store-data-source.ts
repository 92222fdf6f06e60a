import type { DataSource } from 'typeorm';
import { openCustomerStoreDataSource } from '../customer-store.data-source.js';

/** A DataSource on a test database with the store's schema migrated in. */
export function openStoreDataSource(url: string, poolSize = 5, migrate = true): Promise<DataSource> {
  return openCustomerStoreDataSource({ url, poolSize, migrate });
}
