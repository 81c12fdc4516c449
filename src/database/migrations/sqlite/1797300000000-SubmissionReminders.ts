import { MigrationInterface, QueryRunner } from 'typeorm';

/** 催报 sent, keyed once per region and day (manual) or region, month and kind (automatic): issue 33. */
export class SubmissionReminders1797300000000 implements MigrationInterface {
  name = 'SubmissionReminders1797300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "submission_reminder" ("key" varchar(60) PRIMARY KEY NOT NULL, "region_id" integer NOT NULL, "month" varchar(7) NOT NULL, "kind" varchar(10) NOT NULL, "on_day" varchar(10) NOT NULL, "due_on" varchar(10) NOT NULL, "event_id" integer NOT NULL, "queued" integer NOT NULL, "at" varchar(30) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_ce75e1e7a30b95e7b47377fc9a" ON "submission_reminder" ("region_id", "month") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_ce75e1e7a30b95e7b47377fc9a"`);
    await queryRunner.query(`DROP TABLE "submission_reminder"`);
  }
}
