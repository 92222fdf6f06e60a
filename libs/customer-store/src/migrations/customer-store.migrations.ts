import { InitialCustomerStore1732200000000 } from './1732200000000-initial-customer-store.migration.js';

/** Listed explicitly (no globs under ESM); the runtime adds them to its DataSource's migrations. */
export const customerStoreMigrations = [InitialCustomerStore1732200000000];
