import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { CustomerEntity } from './customer.entity.js';

/** Two customers a human declared different people: never queued or merged automatically again. Smaller id first. */
@Entity({ name: 'customer_separations' })
@Check('ck_customer_separations_order', `customer_a < customer_b`)
export class CustomerSeparationEntity {
  @PrimaryColumn({ type: 'uuid', name: 'customer_a' })
  customerA!: string;

  @ManyToOne('CustomerEntity', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'customer_a', foreignKeyConstraintName: 'fk_customer_separations_a' })
  a?: Relation<CustomerEntity>;

  @Index('ix_customer_separations_b')
  @PrimaryColumn({ type: 'uuid', name: 'customer_b' })
  customerB!: string;

  @ManyToOne('CustomerEntity', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'customer_b', foreignKeyConstraintName: 'fk_customer_separations_b' })
  b?: Relation<CustomerEntity>;

  @Column({ type: 'uuid', name: 'review_id', nullable: true })
  reviewId!: string | null;

  @Column({ type: 'text' })
  actor!: string;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt!: Date;
}
