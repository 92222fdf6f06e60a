import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import type { CustomerEntity } from './customer.entity.js';

/** The customer's timeline. One row per upsert; idempotency_key makes a retried step write nothing twice. */
@Entity({ name: 'customer_events' })
@Index('ix_customer_events_timeline', ['customerId', 'occurredAt', 'id'])
@Index('ix_customer_events_type_time', ['type', 'occurredAt'])
// INCLUDE and expression indexes of the reports: the migration owns them.
@Index('ix_customer_events_time', { synchronize: false })
@Index('ix_customer_events_order', { synchronize: false })
export class CustomerEventEntity {
  /** bigint comes back from pg as a string. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'uuid', name: 'customer_id' })
  customerId!: string;

  @ManyToOne('CustomerEntity', { onDelete: 'CASCADE', deferrable: 'INITIALLY DEFERRED', nullable: false })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'fk_customer_events_customer' })
  customer?: Relation<CustomerEntity>;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'timestamptz', name: 'occurred_at' })
  occurredAt!: Date;

  /** Nulled by erasure. */
  @Column({ type: 'jsonb', nullable: true })
  payload!: Record<string, unknown> | null;

  @Column({ type: 'text' })
  source!: string;

  @Column({ type: 'text', name: 'flow_id', nullable: true })
  flowId!: string | null;

  @Column({ type: 'integer', name: 'flow_version', nullable: true })
  flowVersion!: number | null;

  @Index('ix_customer_events_run', { where: 'run_id IS NOT NULL' })
  @Column({ type: 'text', name: 'run_id', nullable: true })
  runId!: string | null;

  @Column({ type: 'text', name: 'node_id', nullable: true })
  nodeId!: string | null;

  @Column({ type: 'text', name: 'idempotency_key', unique: true })
  idempotencyKey!: string;

  /** Whether this upsert created the customer: a replay answers the same as the first call. */
  @Column({ type: 'boolean', default: false })
  created!: boolean;

  /** The resolution decision (kind, score, reasons) that put the record on this customer; nulled by erasure. */
  @Column({ type: 'jsonb', nullable: true })
  resolution!: Record<string, unknown> | null;

  @Column({ type: 'timestamptz', name: 'recorded_at', default: () => 'now()' })
  recordedAt!: Date;
}
