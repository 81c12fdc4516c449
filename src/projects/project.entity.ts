import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { integerUnitsTransformer } from '../common/money';
import { ProjectKind, ProjectStatus } from './project-rules';
import { ProjectSource } from './project-source.view';

export { ProjectSource };

/**
 * A construction project (建设项目). Columns follow the plan table's order (学校名称, 小计, 幼儿园,
 * 小学, 初中, 高中, 计划完成时间, 建筑面积, 用地, 资金测算). Money is integer fen, area and land
 * integer hundredths; the seat subtotal is derived, and only the subtotal *as printed* is kept,
 * to show where a source contradicts itself.
 */
@Entity()
@Index(['regionId', 'planYear'])
// the list's sort orders (then id in the same direction), so a page is read off an index in
// order instead of sorting every matching row (PostgreSQL: 6 ms → 0.2 ms for a province page)
@Index(['planYear', 'id'])
@Index(['budgetFen', 'id'])
@Index(['name', 'id'])
@Index(['floorArea', 'id'])
@Index(['plannedCompletionDue', 'id'])
@Index(['lastReportedOn', 'id'])
@Index(['progressPercent', 'id'])
// the list's count without reading the rows (SQLite, a province: 3.3 ms → 1.5 ms)
@Index(['regionId', 'status', 'archivedAt'])
export class Project {
  @PrimaryGeneratedColumn()
  id: number;

  /** 项目编码 */
  @Column('varchar', { length: 50, nullable: true })
  code: string | null;

  @Column('varchar', { length: 200 })
  name: string;

  @Index()
  @Column('integer')
  regionId: number;

  /** 镇/街道 */
  @Column('varchar', { length: 100, nullable: true })
  town: string | null;

  /** 年度 */
  @Column('integer', { nullable: true })
  planYear: number | null;

  @Column('varchar', { length: 20, nullable: true })
  kind: ProjectKind | null;

  @Column('integer', { nullable: true })
  planId: number | null;

  @Column('simple-json', { nullable: true })
  source: ProjectSource | null;

  /** 小计 as printed in the source, when there was one; never used as a figure. */
  @Column('integer', { nullable: true })
  printedSubtotal: number | null;

  @Column('integer', { default: 0 })
  seatsKindergarten: number;

  @Column('integer', { default: 0 })
  seatsPrimary: number;

  @Column('integer', { default: 0 })
  seatsJuniorMiddle: number;

  @Column('integer', { default: 0 })
  seatsSeniorSecondary: number;

  @Column('integer', { default: 0 })
  seatsSpecialEducation: number;

  /** 过渡学位: counted, reported apart from permanent seats. */
  @Column('boolean', { default: false })
  transitionalSeats: boolean;

  @Column('integer', { default: 0 })
  boardingBeds: number;

  /** 建筑面积 in hundredths of m². */
  @Column('bigint', { nullable: true, transformer: integerUnitsTransformer })
  floorArea: number | null;

  /** 用地 in hundredths of 亩; null = unknown, 0 = none needed. */
  @Column('bigint', { nullable: true, transformer: integerUnitsTransformer })
  land: number | null;

  /** 资金测算 in fen; null = 未测算 (no estimate yet), which is not 0. */
  @Column('bigint', { nullable: true, transformer: integerUnitsTransformer })
  budgetFen: number | null;

  @Column('varchar', { length: 10, nullable: true })
  plannedStart: string | null;

  /** As entered: `YYYY-MM` or `YYYY-MM-DD`. */
  @Column('varchar', { length: 10, nullable: true })
  plannedCompletion: string | null;

  /** The day plannedCompletion falls due (month end for a month), for date queries. */
  @Column('varchar', { length: 10, nullable: true })
  plannedCompletionDue: string | null;

  @Column('varchar', { length: 10, nullable: true })
  actualCompletion: string | null;

  @Index()
  @Column('varchar', { length: 24, default: 'planned' })
  status: ProjectStatus;

  @Column('integer', { nullable: true })
  progressPercent: number | null;

  @Column('bigint', { nullable: true, transformer: integerUnitsTransformer })
  investmentCompletedFen: number | null;

  @Column('varchar', { length: 10, nullable: true })
  lastReportedOn: string | null;

  @Column('varchar', { length: 30, nullable: true })
  archivedAt: string | null;

  /** 建设单位 */
  @Column('varchar', { length: 100, nullable: true })
  builder: string | null;

  /** 施工单位 */
  @Column('varchar', { length: 100, nullable: true })
  contractor: string | null;

  /** 项目负责人 */
  @Column('varchar', { length: 50, nullable: true })
  manager: string | null;

  /** 联系电话: digits, '-' and spaces. */
  @Column('varchar', { length: 20, nullable: true })
  phone: string | null;

  /** 纬度 / 经度 (WGS84) in millionths of a degree; both or neither (common/geo.ts). */
  @Column('integer', { name: 'lat_e6', nullable: true })
  latE6: number | null;

  @Column('integer', { name: 'lng_e6', nullable: true })
  lngE6: number | null;

  @Column('integer', { default: 1 })
  version: number;

  @Column('varchar', { length: 30 })
  createdAt: string;

  @Column('varchar', { length: 30 })
  updatedAt: string;
}
