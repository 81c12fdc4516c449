import { MigrationInterface, QueryRunner } from 'typeorm';

/** 纬度 / 经度 on projects (millionths of a degree), and the uploaded map boundaries. */
export class ProjectLocation1797400000000 implements MigrationInterface {
  name = 'ProjectLocation1797400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // plain ADD COLUMNs: a rebuilt table would drop the change-log triggers
    await queryRunner.query(`ALTER TABLE "project" ADD "lat_e6" integer`);
    await queryRunner.query(`ALTER TABLE "project" ADD "lng_e6" integer`);
    await queryRunner.query(
      `CREATE TABLE "map_boundary" ("region_id" integer PRIMARY KEY NOT NULL, "approval_no" varchar(100) NOT NULL, "source" varchar(200) NOT NULL, "geojson" text NOT NULL, "features" integer NOT NULL, "bytes" integer NOT NULL, "uploaded_by" varchar(100) NOT NULL, "uploaded_at" varchar(30) NOT NULL)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "map_boundary"`);
    await queryRunner.query(`ALTER TABLE "project" DROP COLUMN "lng_e6"`);
    await queryRunner.query(`ALTER TABLE "project" DROP COLUMN "lat_e6"`);
  }
}
