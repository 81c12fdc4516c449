import { MigrationInterface, QueryRunner } from 'typeorm';

export class JobHeartbeat1796174641156 implements MigrationInterface {
  name = 'JobHeartbeat1796174641156';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "temporary_job" ("id" varchar(36) PRIMARY KEY NOT NULL, "kind" varchar(30) NOT NULL, "status" varchar(10) NOT NULL, "percent" integer NOT NULL DEFAULT (0), "created_by_id" integer, "created_by" varchar(100) NOT NULL, "result_name" varchar(200), "result_path" varchar(500), "result" text, "created_at" varchar(30) NOT NULL, "finished_at" varchar(30), "heartbeat_at" varchar(30))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_job"("id", "kind", "status", "percent", "created_by_id", "created_by", "result_name", "result_path", "result", "created_at", "finished_at") SELECT "id", "kind", "status", "percent", "created_by_id", "created_by", "result_name", "result_path", "result", "created_at", "finished_at" FROM "job"`,
    );
    await queryRunner.query(`DROP TABLE "job"`);
    await queryRunner.query(`ALTER TABLE "temporary_job" RENAME TO "job"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "job" RENAME TO "temporary_job"`);
    await queryRunner.query(
      `CREATE TABLE "job" ("id" varchar(36) PRIMARY KEY NOT NULL, "kind" varchar(30) NOT NULL, "status" varchar(10) NOT NULL, "percent" integer NOT NULL DEFAULT (0), "created_by_id" integer, "created_by" varchar(100) NOT NULL, "result_name" varchar(200), "result_path" varchar(500), "result" text, "created_at" varchar(30) NOT NULL, "finished_at" varchar(30))`,
    );
    await queryRunner.query(
      `INSERT INTO "job"("id", "kind", "status", "percent", "created_by_id", "created_by", "result_name", "result_path", "result", "created_at", "finished_at") SELECT "id", "kind", "status", "percent", "created_by_id", "created_by", "result_name", "result_path", "result", "created_at", "finished_at" FROM "temporary_job"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_job"`);
  }
}
