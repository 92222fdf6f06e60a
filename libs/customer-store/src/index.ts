export { CustomerStore, type CustomerStoreOptions, type ResolveInput } from './customer-store.service.js';
export type { ReviewDecision } from './review-decision.command.js';
export type { MergeSnapshot } from './customer-merge.command.js';
export { BatchingCustomerStore, type BatchingOptions } from './batching-customer-store.service.js';
export { CustomerStoreError, isRetryableStoreError, type CustomerStoreErrorCode } from './customer-store.errors.js';
export type * from './customer-store.types.js';
export { prepareUpsert, type PreparedUpsert } from './customer-upsert.command.js';
export { runRematch, type RematchProgress, type RematchRequest, type RematchSummary } from './rematch.command.js';
export { mergeAttributes, survives, type AttributeMergeResult, type AttributeMergeOptions } from './attribute-merge.util.js';
export { orderIdentities } from './identity-priority.util.js';
export { openCustomerStoreDataSource, type CustomerStoreDataSourceOptions } from './customer-store.data-source.js';
export { customerStoreEntities } from './entities/customer-store.entities.js';
export { CustomerEntity } from './entities/customer.entity.js';
export { CustomerIdentityEntity } from './entities/identity.entity.js';
export { CustomerEventEntity } from './entities/customer-event.entity.js';
export { AccountEntity } from './entities/account.entity.js';
export { CustomerMergeEntity } from './entities/customer-merge.entity.js';
export { AuditLogEntity } from './entities/audit-log.entity.js';
export { MatchReviewEntity } from './entities/match-review.entity.js';
export { CustomerSeparationEntity } from './entities/customer-separation.entity.js';
export { CustomerMatchKeyEntity } from './entities/customer-match-key.entity.js';
export { CustomerIdentityShareEntity } from './entities/customer-identity-share.entity.js';
export { customerStoreMigrations } from './migrations/customer-store.migrations.js';
export { InitialCustomerStore1732200000000 } from './migrations/1732200000000-initial-customer-store.migration.js';
export { Resolution1763900000000 } from './migrations/1763900000000-resolution.migration.js';
export { normalizePhone, phoneIdentityValue, isNormalizedPhone, type NormalizedPhone, type PhoneKind, type PhoneResult, type PhoneInvalidReason } from './normalization/phone.normalizer.js';
export { normalizeEmail, emailMatchKey, isNormalizedEmail, type NormalizedEmail, type EmailResult, type EmailInvalidReason } from './normalization/email.normalizer.js';
export { isJunkIdentity, isJunkPhone, isJunkEmail } from './normalization/junk-identity.util.js';
export {
  normalizeIdentity,
  parseIdentityRef,
  isRejectedIdentity,
  type NormalizedIdentity,
  type RejectedIdentity,
  type IdentityResult,
  type IdentityRejection,
} from './normalization/identity.normalizer.js';
export { normalizeCompanyName } from './normalization/company-name.normalizer.js';
export { toHalfWidth } from './normalization/text.normalizer.js';
export type { CountryCode } from 'libphonenumber-js/core';
export * from './matching/index.js';
export * from './normalization/index.js';
export { STORE_MATCH_CONFIG } from './store-match.config.js';
export { profileEvidence } from './record-fields.util.js';
export * from './reports/index.js';
export { OwnerDirectory, DEFAULT_CLOSED_STAGES } from './owners/owner-directory.service.js';
export type * from './owners/owner.types.js';
export { ownerInputSchema, ownerPatchSchema, teamInputSchema, teamPatchSchema, workingHoursSchema, ENTITY_ID_PATTERN } from './owners/owner.schema.js';
export { isWorkingAt, addWorkingHours, isTimeZone } from './owners/working-hours.util.js';
export { pickTeam, conditionHolds, fieldValue, ruleProblems, CONDITION_OPS, type RuleSubject } from './assignment/assignment-rules.js';
export { chooseOwner, type MemberState, type OwnerChoice } from './assignment/owner-choice.js';
export { TaskBoard } from './tasks/task-board.service.js';
export type { Task, TaskPage, TaskQuery } from './tasks/task.types.js';
export * from './segments/index.js';
export * from './scoring/index.js';
export { Scoring1764210000000 } from './migrations/1764210000000-scoring.migration.js';
