import { DataSource } from 'typeorm';
import { customerStoreEntities } from './entities/customer-store.entities.js';
import { customerStoreMigrations } from './migrations/customer-store.migrations.js';

export interface CustomerStoreDataSourceOptions {
  url: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Run the store's migrations after connecting (default true). */
  migrate?: boolean;
}

/**
 * A DataSource holding only the customer store, for standalone use (CLI, benchmarks,
 * tests). The api and worker add customerStoreEntities and customerStoreMigrations to
 * their own DataSource instead.
 */
export async function openCustomerStoreDataSource(options: CustomerStoreDataSourceOptions): Promise<DataSource> {
  const ds = new DataSource({
    type: 'postgres',
    url: options.url,
    entities: customerStoreEntities,
    migrations: customerStoreMigrations,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: options.poolSize ?? 10 },
  });
  await ds.initialize();
  try {
    if (options.migrate ?? true) await ds.runMigrations();
  } catch (err) {
    await ds.destroy();
    throw err;
  }
  return ds;
}
