import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import type { CustomerEntity } from './customer.entity.js';

/**
 * One identifier of a customer. UNIQUE(type, value) is what makes concurrent resolution
 * safe: two workers claiming the same phone end with one row, hence one customer.
 */
@Entity({ name: 'customer_identities' })
@Unique('uq_customer_identities_type_value', ['type', 'value'])
@Index('ix_customer_identities_match_key', ['type', 'matchKey'], { where: 'match_key IS NOT NULL' })
export class CustomerIdentityEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('ix_customer_identities_customer')
  @Column({ type: 'uuid', name: 'customer_id' })
  customerId!: string;

  /** Deferred: the upsert claims the identity before it inserts the customer it names. */
  @ManyToOne('CustomerEntity', { onDelete: 'CASCADE', deferrable: 'INITIALLY DEFERRED', nullable: false })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'fk_customer_identities_customer' })
  customer?: Relation<CustomerEntity>;

  @Column({ type: 'text' })
  type!: string;

  /** Normalized: E.164 phone, lower-case e-mail. */
  @Column({ type: 'text' })
  value!: string;

  /** As received, for display and audits. */
  @Column({ type: 'text', name: 'raw_value', nullable: true })
  rawValue!: string | null;

  /** A looser key for matching (gmail dots, +tags); null when equal to value. */
  @Column({ type: 'text', name: 'match_key', nullable: true })
  matchKey!: string | null;

  @Column({ type: 'text' })
  source!: string;

  @Column({ type: 'timestamptz', name: 'first_seen', default: () => 'now()' })
  firstSeen!: Date;

  @Column({ type: 'timestamptz', name: 'last_seen', default: () => 'now()' })
  lastSeen!: Date;
}
