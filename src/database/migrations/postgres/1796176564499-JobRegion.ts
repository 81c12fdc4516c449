import { MigrationInterface, QueryRunner } from 'typeorm';

export class JobRegion1796176564499 implements MigrationInterface {
  name = 'JobRegion1796176564499';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "job" ADD "region_id" integer`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "job" DROP COLUMN "region_id"`);
  }
}
