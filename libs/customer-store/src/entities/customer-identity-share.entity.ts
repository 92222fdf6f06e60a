import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { CustomerEntity } from './customer.entity.js';

/**
 * An identity value a customer presented that another customer owns (a shared family
 * phone, a conflicting e-mail). Kept so no source identifier is lost, and counted: a value
 * with too many holders stops linking.
 */
@Entity({ name: 'customer_identity_shares' })
export class CustomerIdentityShareEntity {
  @PrimaryColumn({ type: 'text' })
  type!: string;

  @PrimaryColumn({ type: 'text' })
  value!: string;

  @Index('ix_customer_identity_shares_customer')
  @PrimaryColumn({ type: 'uuid', name: 'customer_id' })
  customerId!: string;

  @ManyToOne('CustomerEntity', { onDelete: 'CASCADE', deferrable: 'INITIALLY DEFERRED', nullable: false })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'fk_customer_identity_shares_customer' })
  customer?: Relation<CustomerEntity>;

  @Column({ type: 'text', name: 'raw_value', nullable: true })
  rawValue!: string | null;

  @Column({ type: 'text' })
  source!: string;

  @Column({ type: 'timestamptz', name: 'first_seen', default: () => 'now()' })
  firstSeen!: Date;
}
