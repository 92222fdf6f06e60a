import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A company a customer belongs to (B2B). Mirrors the initial migration; queries are raw SQL. */
@Entity({ name: 'accounts' })
export class AccountEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** normalizeCompanyName(name): ABC科技 = ABC科技有限公司 = ABC（中国）科技. */
  @Index('ix_accounts_normalized_name')
  @Column({ type: 'text', name: 'normalized_name' })
  normalizedName!: string;

  /** 统一社会信用代码: the strongest company key when present. */
  @Column({ type: 'text', name: 'credit_code', nullable: true, unique: true })
  creditCode!: string | null;

  @Column({ type: 'text', nullable: true })
  city!: string | null;

  @Column({ type: 'text', nullable: true })
  industry!: string | null;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}
