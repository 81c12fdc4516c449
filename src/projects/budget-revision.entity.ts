import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { integerUnitsTransformer } from '../common/money';

/**
 * 概算调整: the budget as of a day is the revision with the latest effective day on or before it.
 * The first revision (the plan's 资金测算, or the budget given at creation) has no effective day:
 * it holds from the start.
 */
@Entity()
@Index(['projectId', 'effectiveOn'])
export class BudgetRevision {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('integer')
  projectId: number;

  /** null = the original budget, in force from the start. */
  @Column('varchar', { length: 10, nullable: true })
  effectiveOn: string | null;

  @Column('bigint', { transformer: integerUnitsTransformer })
  budgetFen: number;

  @Column('varchar', { length: 500 })
  reason: string;

  @Column('varchar', { length: 100 })
  createdBy: string;

  @Column('varchar', { length: 30 })
  createdAt: string;

  /** 已撤回: when (ISO instant), by whom and why; a withdrawn revision counts nowhere from then on. */
  @Column('varchar', { length: 30, nullable: true })
  withdrawnAt: string | null;

  @Column('varchar', { length: 100, nullable: true })
  withdrawnBy: string | null;

  @Column('integer', { nullable: true })
  withdrawnById: number | null;

  @Column('varchar', { length: 500, nullable: true })
  withdrawReason: string | null;
}
