import { SOURCE_LABELS as VOCAB_SOURCES } from '../common/vocabulary';
import { registerLabels } from '../common/labels';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { integerUnitsTransformer } from '../common/money';

export const FUNDING_SOURCES = [
  'county_budget',
  'city_budget',
  'provincial_subsidy',
  'central_budget',
  'special_bond',
  'general_bond',
  'donation',
  'other',
] as const;
export type FundingSource = (typeof FUNDING_SOURCES)[number];

export const SOURCE_LABELS: Record<FundingSource, string> = registerLabels(VOCAB_SOURCES);

/** A funding line: money from one source, committed (已落实) and received (已到位), each dated. */
@Entity()
@Index(['projectId', 'source'])
// the figures as of a day sum committed and received per project from the index alone, without
// reading each line's row (a province's figures in SQLite: ~150 → ~105 ms)
@Index(['projectId', 'committedOn', 'committedFen', 'receivedOn', 'receivedFen'])
export class FundingLine {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('integer')
  projectId: number;

  @Column('varchar', { length: 30 })
  source: FundingSource;

  @Column('bigint', { default: 0, transformer: integerUnitsTransformer })
  committedFen: number;

  @Column('varchar', { length: 10, nullable: true })
  committedOn: string | null;

  @Column('bigint', { default: 0, transformer: integerUnitsTransformer })
  receivedFen: number;

  @Column('varchar', { length: 10, nullable: true })
  receivedOn: string | null;

  /** e.g. the document that committed the money (文号). */
  @Column('varchar', { length: 500, nullable: true })
  note: string | null;

  @Column('integer', { default: 1 })
  version: number;

  @Column('varchar', { length: 30 })
  createdAt: string;

  @Column('varchar', { length: 30 })
  updatedAt: string;
}

/** 支付: a payment to a contractor. */
@Entity()
// amountFen too: 已支付 as of a day is summed from the index alone
@Index(['projectId', 'paidOn', 'amountFen'])
export class Payment {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('integer')
  projectId: number;

  @Column('varchar', { length: 10 })
  paidOn: string;

  @Column('varchar', { length: 200 })
  payee: string;

  @Column('bigint', { transformer: integerUnitsTransformer })
  amountFen: number;

  /** Voucher or contract reference. */
  @Column('varchar', { length: 100, nullable: true })
  reference: string | null;

  @Column('integer', { default: 1 })
  version: number;

  @Column('varchar', { length: 30 })
  createdAt: string;

  @Column('varchar', { length: 30 })
  updatedAt: string;
}

/**
 * A funding shortfall as a plan states it, kept to compare with what the project data explains
 * (连南: 已竣工及在建项目缺口13104.53万元，其中已竣工4166.53万元、在建8938万元).
 */
@Entity()
export class ReportedGap {
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column('integer')
  regionId: number;

  @Column('integer', { nullable: true })
  planId: number | null;

  @Column('varchar', { length: 300 })
  document: string;

  @Column('bigint', { transformer: integerUnitsTransformer })
  totalFen: number;

  @Column('bigint', { transformer: integerUnitsTransformer })
  completedFen: number;

  @Column('bigint', { transformer: integerUnitsTransformer })
  underConstructionFen: number;

  @Column('text')
  quote: string;
}
