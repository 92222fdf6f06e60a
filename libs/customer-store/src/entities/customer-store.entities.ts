import { AccountEntity } from './account.entity.js';
import { AuditLogEntity } from './audit-log.entity.js';
import { CustomerEventEntity } from './customer-event.entity.js';
import { CustomerMergeEntity } from './customer-merge.entity.js';
import { CustomerEntity } from './customer.entity.js';
import { CustomerIdentityEntity } from './identity.entity.js';
import { CustomerIdentityShareEntity } from './customer-identity-share.entity.js';
import { CustomerMatchKeyEntity } from './customer-match-key.entity.js';
import { CustomerSeparationEntity } from './customer-separation.entity.js';
import { MatchReviewEntity } from './match-review.entity.js';

/** Listed explicitly (no globs under ESM); the runtime adds them to its DataSource. */
export const customerStoreEntities = [
  CustomerEntity,
  CustomerIdentityEntity,
  CustomerEventEntity,
  AccountEntity,
  CustomerMergeEntity,
  AuditLogEntity,
  MatchReviewEntity,
  CustomerSeparationEntity,
  CustomerMatchKeyEntity,
  CustomerIdentityShareEntity,
];
