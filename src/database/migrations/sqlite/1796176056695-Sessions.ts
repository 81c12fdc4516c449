import { MigrationInterface, QueryRunner } from 'typeorm';

export class Sessions1796176056695 implements MigrationInterface {
  name = 'Sessions1796176056695';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "auth_session" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" integer NOT NULL, "created_at" varchar(30) NOT NULL, "refreshed_at" varchar(30) NOT NULL, "ended_at" varchar(30))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_b8783d517fab10672700a39cb4" ON "auth_session" ("user_id") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_78a916df40e02a9deb1c4b75ed"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_user" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "username" varchar(50) NOT NULL, "password_hash" varchar(300) NOT NULL, "role" varchar(20) NOT NULL, "region_id" integer, "disabled" boolean NOT NULL DEFAULT (0), "version" integer NOT NULL DEFAULT (1), "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL, "token_generation" integer NOT NULL DEFAULT (0))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_user"("id", "username", "password_hash", "role", "region_id", "disabled", "version", "created_at", "updated_at") SELECT "id", "username", "password_hash", "role", "region_id", "disabled", "version", "created_at", "updated_at" FROM "user"`,
    );
    await queryRunner.query(`DROP TABLE "user"`);
    await queryRunner.query(`ALTER TABLE "temporary_user" RENAME TO "user"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_78a916df40e02a9deb1c4b75ed" ON "user" ("username") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_78a916df40e02a9deb1c4b75ed"`);
    await queryRunner.query(`ALTER TABLE "user" RENAME TO "temporary_user"`);
    await queryRunner.query(
      `CREATE TABLE "user" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "username" varchar(50) NOT NULL, "password_hash" varchar(300) NOT NULL, "role" varchar(20) NOT NULL, "region_id" integer, "disabled" boolean NOT NULL DEFAULT (0), "version" integer NOT NULL DEFAULT (1), "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "user"("id", "username", "password_hash", "role", "region_id", "disabled", "version", "created_at", "updated_at") SELECT "id", "username", "password_hash", "role", "region_id", "disabled", "version", "created_at", "updated_at" FROM "temporary_user"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_user"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_78a916df40e02a9deb1c4b75ed" ON "user" ("username") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_b8783d517fab10672700a39cb4"`);
    await queryRunner.query(`DROP TABLE "auth_session"`);
  }
}
