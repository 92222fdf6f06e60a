import { InitialCustomerStore1732200000000 } from './1732200000000-initial-customer-store.migration.js';
import { Resolution1763900000000 } from './1763900000000-resolution.migration.js';
import { Engagement1764200000000 } from './1764200000000-engagement.migration.js';

/** Listed explicitly (no globs under ESM); the runtime adds them to its DataSource's migrations. */
export const customerStoreMigrations = [InitialCustomerStore1732200000000, Resolution1763900000000, Engagement1764200000000];
