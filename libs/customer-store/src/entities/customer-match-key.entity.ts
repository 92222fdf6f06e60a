import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { CustomerEntity } from './customer.entity.js';

/** A blocking key of a customer (name, its pinyin, company + city, …): fuzzy candidates are found through it. */
@Entity({ name: 'customer_match_keys' })
export class CustomerMatchKeyEntity {
  @PrimaryColumn({ type: 'uuid', name: 'customer_id' })
  customerId!: string;

  @ManyToOne('CustomerEntity', { onDelete: 'CASCADE', deferrable: 'INITIALLY DEFERRED', nullable: false })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'fk_customer_match_keys_customer' })
  customer?: Relation<CustomerEntity>;

  @Index('ix_customer_match_keys_key')
  @PrimaryColumn({ type: 'text' })
  key!: string;
}
