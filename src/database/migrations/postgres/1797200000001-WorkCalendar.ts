import { MigrationInterface, QueryRunner } from 'typeorm';

/** 节假日与调休 overrides of the reporting calendar (issue 33): consulted before chinese-days. */
export class WorkCalendar1797200000001 implements MigrationInterface {
  name = 'WorkCalendar1797200000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "work_calendar_override" ("day" character varying(10) NOT NULL, "work" boolean NOT NULL, "note" character varying(100), "updated_at" character varying(30) NOT NULL, "updated_by" character varying(100) NOT NULL, CONSTRAINT "PK_154d8c1992b288b2c07db20471a" PRIMARY KEY ("day"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "work_calendar_override"`);
  }
}
