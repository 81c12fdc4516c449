import { MigrationInterface, QueryRunner } from 'typeorm';

/** The process running a job (host/pid/boot), so a restart fails its own dead jobs at once. */
export class JobRunner1796900000000 implements MigrationInterface {
  name = 'JobRunner1796900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "job" ADD "runner" varchar(200)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "job" DROP COLUMN "runner"`);
  }
}
