import { MigrationInterface, QueryRunner } from 'typeorm';

/** 催报 sent, keyed once per region and day (manual) or region, month and kind (automatic): issue 33. */
export class SubmissionReminders1797300000001 implements MigrationInterface {
  name = 'SubmissionReminders1797300000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "submission_reminder" ("key" character varying(60) NOT NULL, "region_id" integer NOT NULL, "month" character varying(7) NOT NULL, "kind" character varying(10) NOT NULL, "on_day" character varying(10) NOT NULL, "due_on" character varying(10) NOT NULL, "event_id" integer NOT NULL, "queued" integer NOT NULL, "at" character varying(30) NOT NULL, CONSTRAINT "PK_dd58aff2b9d71d3ffc41c7d722c" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_ce75e1e7a30b95e7b47377fc9a" ON "submission_reminder"  ("region_id", "month") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_ce75e1e7a30b95e7b47377fc9a"`);
    await queryRunner.query(`DROP TABLE "submission_reminder"`);
  }
}
