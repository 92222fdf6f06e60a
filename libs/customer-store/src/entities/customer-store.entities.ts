import { AccountEntity } from './account.entity.js';
import { AuditLogEntity } from './audit-log.entity.js';
import { CustomerEventEntity } from './customer-event.entity.js';
import { CustomerMergeEntity } from './customer-merge.entity.js';
import { CustomerEntity } from './customer.entity.js';
import { CustomerIdentityEntity } from './identity.entity.js';

/** Listed explicitly (no globs under ESM); the runtime adds them to its DataSource. */
export const customerStoreEntities = [
  CustomerEntity,
  CustomerIdentityEntity,
  CustomerEventEntity,
  AccountEntity,
  CustomerMergeEntity,
  AuditLogEntity,
];
