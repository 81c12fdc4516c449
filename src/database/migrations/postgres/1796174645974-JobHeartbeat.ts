import { MigrationInterface, QueryRunner } from 'typeorm';

export class JobHeartbeat1796174645974 implements MigrationInterface {
  name = 'JobHeartbeat1796174645974';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "job" ADD "heartbeat_at" character varying(30)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "job" DROP COLUMN "heartbeat_at"`);
  }
}
