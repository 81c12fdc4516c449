import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type AuditChanges = Record<string, { old: unknown; new: unknown }>;

/** One row per write: who, when, what, and each changed field's old → new. Never edited. */
@Entity()
@Index(['entity', 'entityId'])
export class AuditLog {
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column('varchar', { length: 30 })
  at: string;

  @Column('integer', { nullable: true })
  actorId: number | null;

  @Column('varchar', { length: 100 })
  actorName: string;

  @Column('varchar', { length: 30 })
  action: string;

  @Column('varchar', { length: 40 })
  entity: string;

  @Column('integer')
  entityId: number;

  @Index()
  @Column('integer', { nullable: true })
  projectId: number | null;

  @Column('simple-json')
  changes: AuditChanges;
}
