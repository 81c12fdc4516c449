import { MigrationInterface, QueryRunner } from 'typeorm';

export class Users1795422508157 implements MigrationInterface {
  name = 'Users1795422508157';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "user" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "username" varchar(50) NOT NULL, "password_hash" varchar(300) NOT NULL, "role" varchar(20) NOT NULL, "region_id" integer, "disabled" boolean NOT NULL DEFAULT (0), "version" integer NOT NULL DEFAULT (1), "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_78a916df40e02a9deb1c4b75ed" ON "user" ("username") `,
    );
    await queryRunner.query(
      `CREATE TABLE "app_setting" ("key" varchar(100) PRIMARY KEY NOT NULL, "value" text NOT NULL)`,
    );
    // the audit log is append-only: nothing edits or deletes its rows
    await queryRunner.query(
      `CREATE TRIGGER "audit_log_no_update" BEFORE UPDATE ON "audit_log" BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "audit_log_no_delete" BEFORE DELETE ON "audit_log" BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "audit_log_no_delete"`);
    await queryRunner.query(`DROP TRIGGER "audit_log_no_update"`);
    await queryRunner.query(`DROP TABLE "app_setting"`);
    await queryRunner.query(`DROP INDEX "IDX_78a916df40e02a9deb1c4b75ed"`);
    await queryRunner.query(`DROP TABLE "user"`);
  }
}
