import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import type { MatchReason } from '../matching/match.types.js';
import type { CustomerEntity } from './customer.entity.js';

/** A candidate pair waiting for a human: merge or separate. The store reads and writes it with SQL. */
@Entity({ name: 'match_reviews' })
// One pending item per unordered pair: an expression index TypeORM cannot describe.
@Index('uq_match_reviews_pending_pair', { synchronize: false })
@Index('ix_match_reviews_queue', ['status', 'createdAt', 'id'])
// The queue highest score first (score DESC): created by migration ReviewScoreOrder1764280000000.
@Index('ix_match_reviews_score', { synchronize: false })
@Check('ck_match_reviews_status', `status IN ('pending', 'merged', 'separated')`)
@Check('ck_match_reviews_pair', `customer_id <> candidate_id`)
export class MatchReviewEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The customer the record landed on (often created by it). */
  @Index('ix_match_reviews_customer')
  @Column({ type: 'uuid', name: 'customer_id' })
  customerId!: string;

  @ManyToOne('CustomerEntity', { onDelete: 'CASCADE', deferrable: 'INITIALLY DEFERRED', nullable: false })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'fk_match_reviews_customer' })
  customer?: Relation<CustomerEntity>;

  /** The existing customer it may be. */
  @Index('ix_match_reviews_candidate')
  @Column({ type: 'uuid', name: 'candidate_id' })
  candidateId!: string;

  @ManyToOne('CustomerEntity', { onDelete: 'CASCADE', deferrable: 'INITIALLY DEFERRED', nullable: false })
  @JoinColumn({ name: 'candidate_id', foreignKeyConstraintName: 'fk_match_reviews_candidate' })
  candidate?: Relation<CustomerEntity>;

  @Column({ type: 'double precision', default: 0 })
  score!: number;

  /** Which rule, fields and similarities raised the pair. Deleted with the customer on erasure. */
  @Column({ type: 'jsonb', default: () => `'[]'` })
  reasons!: MatchReason[];

  @Column({ type: 'text', default: 'pending' })
  status!: 'pending' | 'merged' | 'separated';

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'decided_at', nullable: true })
  decidedAt!: Date | null;

  @Column({ type: 'text', name: 'decided_by', nullable: true })
  decidedBy!: string | null;

  /** The merge a `merge` decision made. */
  @Column({ type: 'uuid', name: 'merge_id', nullable: true })
  mergeId!: string | null;
}
