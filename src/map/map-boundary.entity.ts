import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * 地图边界: the official boundary of a region's child regions, uploaded by an admin (the product
 * ships none). A row, not a file: it is backed up and restored with the database, written in the
 * same transaction as its audit row, and the same on SQLite and PostgreSQL (docs/domain.md).
 */
@Entity()
export class MapBoundary {
  /** The region whose child regions the features draw (a city's counties, a province's cities). */
  @PrimaryColumn('integer')
  regionId: number;

  /** 审图号, e.g. GS(2024)0650号. */
  @Column('varchar', { length: 100 })
  approvalNo: string;

  /** 来源: where the data comes from (e.g. 天地图). */
  @Column('varchar', { length: 200 })
  source: string;

  /** The GeoJSON FeatureCollection as uploaded (validated). */
  @Column('text')
  geojson: string;

  @Column('integer')
  features: number;

  @Column('integer')
  bytes: number;

  @Column('varchar', { length: 100 })
  uploadedBy: string;

  @Column('varchar', { length: 30 })
  uploadedAt: string;
}
