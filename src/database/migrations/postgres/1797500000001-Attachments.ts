import { MigrationInterface, QueryRunner } from 'typeorm';

/** Files attached to a project, its progress reports or payments (附件, 进度照片): issue 35. */
export class Attachments1797500000001 implements MigrationInterface {
  name = 'Attachments1797500000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "attachment" ("id" SERIAL NOT NULL, "project_id" integer NOT NULL, "kind" character varying(12) NOT NULL, "name" character varying(255) NOT NULL, "size" integer NOT NULL, "sha256" character varying(64) NOT NULL, "mime" character varying(100) NOT NULL, "taken_at" character varying(19), "lat" character varying(16), "lng" character varying(16), "has_thumbnail" boolean NOT NULL DEFAULT false, "progress_report_id" integer, "payment_id" integer, "note" character varying(500), "uploaded_by" character varying(100) NOT NULL, "uploaded_by_id" integer, "uploaded_at" character varying(30) NOT NULL, "withdrawn_at" character varying(30), "withdrawn_by" character varying(100), "withdrawn_by_id" integer, "withdraw_reason" character varying(500), "version" integer NOT NULL DEFAULT '1', CONSTRAINT "PK_d2a80c3a8d467f08a750ac4b420" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_20e75bf493aa65fe3704c5348c" ON "attachment"  ("project_id", "id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_20e75bf493aa65fe3704c5348c"`);
    await queryRunner.query(`DROP TABLE "attachment"`);
  }
}
