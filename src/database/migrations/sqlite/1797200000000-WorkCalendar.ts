import { MigrationInterface, QueryRunner } from 'typeorm';

/** 节假日与调休 overrides of the reporting calendar (issue 33): consulted before chinese-days. */
export class WorkCalendar1797200000000 implements MigrationInterface {
  name = 'WorkCalendar1797200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "work_calendar_override" ("day" varchar(10) PRIMARY KEY NOT NULL, "work" boolean NOT NULL, "note" varchar(100), "updated_at" varchar(30) NOT NULL, "updated_by" varchar(100) NOT NULL)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "work_calendar_override"`);
  }
}
