import { MigrationInterface, QueryRunner } from 'typeorm';

/** Files attached to a project, its progress reports or payments (附件, 进度照片): issue 35. */
export class Attachments1797500000000 implements MigrationInterface {
  name = 'Attachments1797500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "attachment" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "project_id" integer NOT NULL, "kind" varchar(12) NOT NULL, "name" varchar(255) NOT NULL, "size" integer NOT NULL, "sha256" varchar(64) NOT NULL, "mime" varchar(100) NOT NULL, "taken_at" varchar(19), "lat" varchar(16), "lng" varchar(16), "has_thumbnail" boolean NOT NULL DEFAULT (0), "progress_report_id" integer, "payment_id" integer, "note" varchar(500), "uploaded_by" varchar(100) NOT NULL, "uploaded_by_id" integer, "uploaded_at" varchar(30) NOT NULL, "withdrawn_at" varchar(30), "withdrawn_by" varchar(100), "withdrawn_by_id" integer, "withdraw_reason" varchar(500), "version" integer NOT NULL DEFAULT (1))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_20e75bf493aa65fe3704c5348c" ON "attachment" ("project_id", "id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_20e75bf493aa65fe3704c5348c"`);
    await queryRunner.query(`DROP TABLE "attachment"`);
  }
}
