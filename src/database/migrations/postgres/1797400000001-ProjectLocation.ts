import { MigrationInterface, QueryRunner } from 'typeorm';

/** 纬度 / 经度 on projects (millionths of a degree), and the uploaded map boundaries. */
export class ProjectLocation1797400000001 implements MigrationInterface {
  name = 'ProjectLocation1797400000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // plain ADD COLUMNs: a rebuilt table would drop the change-log triggers
    await queryRunner.query(`ALTER TABLE "project" ADD "lat_e6" integer`);
    await queryRunner.query(`ALTER TABLE "project" ADD "lng_e6" integer`);
    await queryRunner.query(
      `CREATE TABLE "map_boundary" ("region_id" integer NOT NULL, "approval_no" character varying(100) NOT NULL, "source" character varying(200) NOT NULL, "geojson" text NOT NULL, "features" integer NOT NULL, "bytes" integer NOT NULL, "uploaded_by" character varying(100) NOT NULL, "uploaded_at" character varying(30) NOT NULL, CONSTRAINT "PK_d2266c53d0898ae4c68e67c5426" PRIMARY KEY ("region_id"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "map_boundary"`);
    await queryRunner.query(`ALTER TABLE "project" DROP COLUMN "lng_e6"`);
    await queryRunner.query(`ALTER TABLE "project" DROP COLUMN "lat_e6"`);
  }
}
