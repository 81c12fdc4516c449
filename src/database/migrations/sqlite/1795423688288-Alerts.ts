import { MigrationInterface, QueryRunner } from 'typeorm';

export class Alerts1795423688288 implements MigrationInterface {
  name = 'Alerts1795423688288';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "alert" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "kind" varchar(30) NOT NULL, "subject_key" varchar(40) NOT NULL, "project_id" integer NOT NULL, "milestone_id" integer, "region_id" integer NOT NULL, "severity" varchar(10) NOT NULL, "days_overdue" integer NOT NULL, "state" varchar(15) NOT NULL, "message" varchar(1000) NOT NULL, "owner" varchar(50), "state_version" integer NOT NULL DEFAULT (1), "last_scanned_on" varchar(10) NOT NULL, "opened_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL, "resolved_at" varchar(30), "acknowledged_at" varchar(30), "acknowledged_by" varchar(100), "version" integer NOT NULL DEFAULT (1))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_644d636ac256be78c1ca802f88" ON "alert" ("project_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_5727fffc926971dc17fcdb2521" ON "alert" ("state", "region_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_e9d0aa7ffac34bc5e1c7046678" ON "alert" ("kind", "subject_key") `,
    );
    await queryRunner.query(
      `CREATE TABLE "alert_delivery" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "alert_id" integer, "target" varchar(500) NOT NULL, "format" varchar(10) NOT NULL, "state_key" varchar(80) NOT NULL, "payload" text NOT NULL, "status" varchar(10) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "next_attempt_at" varchar(30) NOT NULL, "locked_until" varchar(30), "last_error" varchar(500), "created_at" varchar(30) NOT NULL, "sent_at" varchar(30))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_60a1844a7dc05668f5c2fa2715" ON "alert_delivery" ("status", "next_attempt_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_a4f4f582f691f49ec948e36d27" ON "alert_delivery" ("target", "state_key") `,
    );
    await queryRunner.query(
      `CREATE TABLE "alert_delivery_attempt" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "delivery_id" integer NOT NULL, "at" varchar(30) NOT NULL, "ok" boolean NOT NULL, "http_status" integer, "error" varchar(500), "duration_ms" integer NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_b787694b0e2c26e69336eab91b" ON "alert_delivery_attempt" ("delivery_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "job_lease" ("name" varchar(50) PRIMARY KEY NOT NULL, "holder" varchar(100), "leased_until" varchar(30), "last_run_on" varchar(10))`,
    );
    await queryRunner.query(
      `CREATE TABLE "scan_run" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "as_of" varchar(10) NOT NULL, "trigger" varchar(10) NOT NULL, "instance" varchar(100) NOT NULL, "started_at" varchar(30) NOT NULL, "finished_at" varchar(30) NOT NULL, "counts" text NOT NULL)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "scan_run"`);
    await queryRunner.query(`DROP TABLE "job_lease"`);
    await queryRunner.query(`DROP INDEX "IDX_b787694b0e2c26e69336eab91b"`);
    await queryRunner.query(`DROP TABLE "alert_delivery_attempt"`);
    await queryRunner.query(`DROP INDEX "IDX_a4f4f582f691f49ec948e36d27"`);
    await queryRunner.query(`DROP INDEX "IDX_60a1844a7dc05668f5c2fa2715"`);
    await queryRunner.query(`DROP TABLE "alert_delivery"`);
    await queryRunner.query(`DROP INDEX "IDX_e9d0aa7ffac34bc5e1c7046678"`);
    await queryRunner.query(`DROP INDEX "IDX_5727fffc926971dc17fcdb2521"`);
    await queryRunner.query(`DROP INDEX "IDX_644d636ac256be78c1ca802f88"`);
    await queryRunner.query(`DROP TABLE "alert"`);
  }
}
