import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A plan (规划) of a region with its period; targets live in PlanTarget. */
@Entity()
export class Plan {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('varchar', { length: 200 })
  name: string;

  @Index()
  @Column('integer')
  regionId: number;

  @Column('integer')
  periodStart: number;

  @Column('integer')
  periodEnd: number;

  @Column('varchar', { length: 100, nullable: true })
  issuedBy: string | null;

  @Column('varchar', { length: 100, nullable: true })
  docNo: string | null;

  @Column('varchar', { length: 10, nullable: true })
  issuedOn: string | null;

  @Column('text', { nullable: true })
  note: string | null;

  /** Projects the plan names in its text (not in a table). */
  @Column('simple-json', { nullable: true })
  namedProjects: string[] | null;

  @Column('integer', { default: 1 })
  version: number;
}

export const TARGET_MEASURES = [
  'kindergarten',
  'primary',
  'juniorMiddle',
  'compulsory',
  'seniorSecondary',
  'boardingBeds',
  'compulsorySchools',
] as const;
export type TargetMeasure = (typeof TARGET_MEASURES)[number];
export const TARGET_QUALIFIERS = ['约', '以上', '不少于', '左右'] as const;

@Entity()
export class PlanTarget {
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column('integer')
  planId: number;

  @Column('varchar', { length: 30 })
  measure: TargetMeasure;

  @Column('integer')
  value: number;

  /** The plan's own word: 约, 以上, 不少于, 左右; null when the figure is exact. */
  @Column('varchar', { length: 10, nullable: true })
  qualifier: string | null;

  /** The year counting starts. */
  @Column('integer')
  fromYear: number;

  @Column('varchar', { length: 10 })
  deadline: string;

  @Column('text', { nullable: true })
  quote: string | null;
}
