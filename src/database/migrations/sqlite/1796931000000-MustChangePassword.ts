import { MigrationInterface, QueryRunner } from 'typeorm';

/** 须修改密码: a password set by an admin must be changed by its user at the next web sign-in. */
export class MustChangePassword1796931000000 implements MigrationInterface {
  name = 'MustChangePassword1796931000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // a plain ADD COLUMN: a rebuilt table would drop the change-log triggers
    await queryRunner.query(
      `ALTER TABLE "user" ADD "must_change_password" boolean NOT NULL DEFAULT (0)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "user" DROP COLUMN "must_change_password"`);
  }
}
