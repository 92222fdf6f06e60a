import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { AttributeMap } from '../customer-store.types.js';
import type { AccountEntity } from './account.entity.js';

/**
 * One person. Merged customers stay as tombstones (merged_into) so merges can be undone.
 * Relations name their target by string and are typed through Relation<>, so entity files
 * never import each other at run time; the store itself queries with SQL.
 */
@Entity({ name: 'customers' })
// DESC, GIN and expression indexes TypeORM cannot describe: the migration owns them.
@Index('ix_customers_updated', { synchronize: false })
@Index('ix_customers_tags', { synchronize: false })
@Index('ix_customers_display_name', { synchronize: false })
@Index('ix_customers_account', ['accountId'], { where: 'account_id IS NOT NULL' })
@Index('ix_customers_owner', ['ownerId'], { where: 'owner_id IS NOT NULL' })
@Index('ix_customers_merged_into', ['mergedInto'], { where: 'merged_into IS NOT NULL' })
@Index('ix_customers_first_channel', ['firstChannel', 'createdAt'], { where: 'merged_into IS NULL AND erased_at IS NULL' })
@Index('ix_customers_last_interaction', ['lastInteractionAt'], { where: 'merged_into IS NULL AND erased_at IS NULL' })
@Index('ix_customers_stage', ['stage'], { where: 'merged_into IS NULL AND erased_at IS NULL' })
@Index('ix_customers_score', { synchronize: false })
@Index('ix_customers_updated_gone', { synchronize: false })
@Index('ix_customers_owner_open', { synchronize: false })
@Index('ix_customers_created', ['createdAt'], { where: 'merged_into IS NULL AND erased_at IS NULL' })
@Index('ix_customers_live', { synchronize: false })
export class CustomerEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text', name: 'display_name', nullable: true })
  displayName!: string | null;

  /** `{ field: { value, source, flowId, flowVersion, runId, nodeId, updatedAt, previous? } }`. */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  attributes!: AttributeMap;

  @Column({ type: 'integer', default: 0 })
  score!: number;

  @Column({ type: 'text', default: 'lead' })
  stage!: string;

  @Column({ type: 'text', name: 'owner_id', nullable: true })
  ownerId!: string | null;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  tags!: string[];

  @Column({ type: 'uuid', name: 'account_id', nullable: true })
  accountId!: string | null;

  @ManyToOne('AccountEntity', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'fk_customers_account' })
  account?: Relation<AccountEntity> | null;

  /** The survivor this customer was merged into. */
  @Column({ type: 'uuid', name: 'merged_into', nullable: true })
  mergedInto!: string | null;

  @ManyToOne('CustomerEntity', { nullable: true })
  @JoinColumn({ name: 'merged_into', foreignKeyConstraintName: 'fk_customers_merged_into' })
  mergedIntoCustomer?: Relation<CustomerEntity> | null;

  @Column({ type: 'timestamptz', name: 'erased_at', nullable: true })
  erasedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;

  /** Set by customer.score thresholds (e.g. high, hot). */
  @Column({ type: 'text', nullable: true })
  priority!: string | null;

  /** The source of the customer's first record: its channel in reports. */
  @Column({ type: 'text', name: 'first_channel', nullable: true })
  firstChannel!: string | null;

  /** The time of its latest timeline event (dormancy segments). */
  @Column({ type: 'timestamptz', name: 'last_interaction_at', nullable: true })
  lastInteractionAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'assigned_at', nullable: true })
  assignedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'stage_changed_at', nullable: true })
  stageChangedAt!: Date | null;

  /** When the score last changed (decay counts from here). */
  @Column({ type: 'timestamptz', name: 'score_updated_at', nullable: true })
  scoreUpdatedAt!: Date | null;

  /** Bumped on every write, for optimistic checks by editors and merges. */
  @Column({ type: 'integer', default: 1 })
  version!: number;
}
