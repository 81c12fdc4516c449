import { MigrationInterface, QueryRunner } from 'typeorm';

/** 建设单位, 施工单位, 项目负责人, 联系电话 on projects; 姓名 and 手机号 on users. */
export class Contacts1796800000001 implements MigrationInterface {
  name = 'Contacts1796800000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // plain ADD COLUMNs: a rebuilt table would drop the change-log triggers
    await queryRunner.query(`ALTER TABLE "project" ADD "builder" character varying(100)`);
    await queryRunner.query(`ALTER TABLE "project" ADD "contractor" character varying(100)`);
    await queryRunner.query(`ALTER TABLE "project" ADD "manager" character varying(50)`);
    await queryRunner.query(`ALTER TABLE "project" ADD "phone" character varying(20)`);
    await queryRunner.query(`ALTER TABLE "user" ADD "display_name" character varying(50)`);
    await queryRunner.query(`ALTER TABLE "user" ADD "phone" character varying(20)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "user" DROP COLUMN "phone"`);
    await queryRunner.query(`ALTER TABLE "user" DROP COLUMN "display_name"`);
    await queryRunner.query(`ALTER TABLE "project" DROP COLUMN "phone"`);
    await queryRunner.query(`ALTER TABLE "project" DROP COLUMN "manager"`);
    await queryRunner.query(`ALTER TABLE "project" DROP COLUMN "contractor"`);
    await queryRunner.query(`ALTER TABLE "project" DROP COLUMN "builder"`);
  }
}
