import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Who did what to which entity. Never holds personal data: erasures are logged here too. */
@Entity({ name: 'audit_log' })
@Index('ix_audit_log_entity', { synchronize: false })
@Index('ix_audit_log_at', { synchronize: false })
export class AuditLogEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;

  @Column({ type: 'text' })
  actor!: string;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text' })
  entity!: string;

  @Column({ type: 'text', name: 'entity_id', nullable: true })
  entityId!: string | null;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  details!: Record<string, unknown>;
}
