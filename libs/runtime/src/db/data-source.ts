import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { customerStoreEntities, customerStoreMigrations } from '@tributary/customer-store';
import { PlatformInitial1763800000000 } from './migrations/1763800000000-platform-initial.migration.js';
import { Connectors1764000000000 } from './migrations/1764000000000-connectors.migration.js';
import { Imports1764100000000 } from './migrations/1764100000000-imports.migration.js';
import { WaitingRuns1764300000000 } from './migrations/1764300000000-waiting-runs.migration.js';
import { Users1764400000000 } from './migrations/1764400000000-users.migration.js';
import { FlowVersionRestores1764470000000 } from './migrations/1764470000000-flow-version-restores.migration.js';

export const platformMigrations = [PlatformInitial1763800000000, Connectors1764000000000, Imports1764100000000, WaitingRuns1764300000000, Users1764400000000, FlowVersionRestores1764470000000];

export interface DataSourceOptions {
  url: string;
  /** Connections in this process's pool. */
  poolSize?: number;
  applicationName?: string;
}

/** The one TypeORM DataSource of a process: platform tables and the customer store share the database. */
export function createDataSource(opts: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: opts.url,
    entities: [...customerStoreEntities],
    migrations: [...platformMigrations, ...customerStoreMigrations],
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: false,
    extra: {
      max: opts.poolSize ?? 20,
      application_name: opts.applicationName ?? 'tributary',
      idleTimeoutMillis: 30_000,
    },
  });
}

// Several processes (api, workers) start at once: one migrates, the others wait on the lock.
const MIGRATION_LOCK = 0x7472_6962; // "trib"

export async function runMigrations(ds: DataSource): Promise<void> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
