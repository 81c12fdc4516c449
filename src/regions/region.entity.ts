import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const REGION_LEVELS = ['province', 'city', 'county'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

/** 省 › 市 › 县/区. `path` is the chain of ids (`/1/2/5/`) so sub-regions are one prefix match. */
@Entity()
@Index(['parentId', 'name'], { unique: true })
export class Region {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('varchar', { length: 100 })
  name: string;

  @Column('varchar', { length: 12 })
  level: RegionLevel;

  @Column('integer', { nullable: true })
  parentId: number | null;

  @Index()
  @Column('varchar', { length: 200 })
  path: string;

  /** 行政区划代码, where known. */
  @Column('varchar', { length: 12, nullable: true })
  code: string | null;
}
