import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { integerUnitsTransformer } from '../common/money';
import { ProjectStatus } from './project-rules';

/** 进度填报: append-only; the latest one on or before a date is the project's state then. */
@Entity()
@Index(['projectId', 'reportedOn', 'id']) // the latest report per project, ties by id, read off the index
export class ProgressReport {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('integer')
  projectId: number;

  @Column('varchar', { length: 10 })
  reportedOn: string;

  @Column('varchar', { length: 24 })
  status: ProjectStatus;

  /** 形象进度 0–100 */
  @Column('integer')
  progressPercent: number;

  /** 累计完成投资 in fen */
  @Column('bigint', { nullable: true, transformer: integerUnitsTransformer })
  investmentCompletedFen: number | null;

  @Column('varchar', { length: 10, nullable: true })
  actualCompletion: string | null;

  @Column('varchar', { length: 1000, nullable: true })
  note: string | null;

  @Column('varchar', { length: 100 })
  reportedBy: string;

  @Column('integer', { nullable: true })
  reportedById: number | null;

  @Column('varchar', { length: 30 })
  createdAt: string;

  /** 已撤回: when (ISO instant), by whom and why; a withdrawn report counts nowhere from then on. */
  @Column('varchar', { length: 30, nullable: true })
  withdrawnAt: string | null;

  @Column('varchar', { length: 100, nullable: true })
  withdrawnBy: string | null;

  @Column('integer', { nullable: true })
  withdrawnById: number | null;

  @Column('varchar', { length: 500, nullable: true })
  withdrawReason: string | null;
}
