import { MigrationInterface, QueryRunner } from 'typeorm';

/** 预警中心: the note an officer writes when acknowledging an alert (确认说明). */
export class AlertAckNote1796500000000 implements MigrationInterface {
  name = 'AlertAckNote1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // a plain ADD COLUMN: a rebuilt table would drop the alert's change-log triggers
    await queryRunner.query(`ALTER TABLE "alert" ADD "ack_note" varchar(500)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "alert" DROP COLUMN "ack_note"`);
  }
}
