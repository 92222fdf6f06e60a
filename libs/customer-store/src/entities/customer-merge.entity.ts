import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import type { CustomerEntity } from './customer.entity.js';

/** A merge of source customers into a target, with what is needed to undo it. */
@Entity({ name: 'customer_merges' })
@Index('ix_customer_merges_sources', { synchronize: false })
export class CustomerMergeEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('ix_customer_merges_target')
  @Column({ type: 'uuid', name: 'target_id' })
  targetId!: string;

  @ManyToOne('CustomerEntity', { nullable: false })
  @JoinColumn({ name: 'target_id', foreignKeyConstraintName: 'fk_customer_merges_target' })
  target?: Relation<CustomerEntity>;

  @Column({ type: 'uuid', name: 'source_ids', array: true })
  sourceIds!: string[];

  /** The customers and identity ownership before the merge; nulled by erasure. */
  @Column({ type: 'jsonb', nullable: true })
  snapshot!: Record<string, unknown> | null;

  /** Why: rule id, matched identifiers, per-field scores (explainable matches). */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  reason!: Record<string, unknown>;

  @Column({ type: 'text', nullable: true })
  actor!: string | null;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'undone_at', nullable: true })
  undoneAt!: Date | null;
}
