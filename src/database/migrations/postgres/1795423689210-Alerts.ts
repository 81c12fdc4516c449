import { MigrationInterface, QueryRunner } from 'typeorm';

export class Alerts1795423689210 implements MigrationInterface {
  name = 'Alerts1795423689210';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "alert" ("id" SERIAL NOT NULL, "kind" character varying(30) NOT NULL, "subject_key" character varying(40) NOT NULL, "project_id" integer NOT NULL, "milestone_id" integer, "region_id" integer NOT NULL, "severity" character varying(10) NOT NULL, "days_overdue" integer NOT NULL, "state" character varying(15) NOT NULL, "message" character varying(1000) NOT NULL, "owner" character varying(50), "state_version" integer NOT NULL DEFAULT '1', "last_scanned_on" character varying(10) NOT NULL, "opened_at" character varying(30) NOT NULL, "updated_at" character varying(30) NOT NULL, "resolved_at" character varying(30), "acknowledged_at" character varying(30), "acknowledged_by" character varying(100), "version" integer NOT NULL DEFAULT '1', CONSTRAINT "PK_ad91cad659a3536465d564a4b2f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_644d636ac256be78c1ca802f88" ON "alert"  ("project_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_5727fffc926971dc17fcdb2521" ON "alert"  ("state", "region_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_e9d0aa7ffac34bc5e1c7046678" ON "alert"  ("kind", "subject_key") `,
    );
    await queryRunner.query(
      `CREATE TABLE "alert_delivery" ("id" SERIAL NOT NULL, "alert_id" integer, "target" character varying(500) NOT NULL, "format" character varying(10) NOT NULL, "state_key" character varying(80) NOT NULL, "payload" text NOT NULL, "status" character varying(10) NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" character varying(30) NOT NULL, "locked_until" character varying(30), "last_error" character varying(500), "created_at" character varying(30) NOT NULL, "sent_at" character varying(30), CONSTRAINT "PK_c525535867340bf8eef9ac9721d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_60a1844a7dc05668f5c2fa2715" ON "alert_delivery"  ("status", "next_attempt_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_a4f4f582f691f49ec948e36d27" ON "alert_delivery"  ("target", "state_key") `,
    );
    await queryRunner.query(
      `CREATE TABLE "alert_delivery_attempt" ("id" SERIAL NOT NULL, "delivery_id" integer NOT NULL, "at" character varying(30) NOT NULL, "ok" boolean NOT NULL, "http_status" integer, "error" character varying(500), "duration_ms" integer NOT NULL, CONSTRAINT "PK_d4f2fac507bd214058e733a03b3" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_b787694b0e2c26e69336eab91b" ON "alert_delivery_attempt"  ("delivery_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "job_lease" ("name" character varying(50) NOT NULL, "holder" character varying(100), "leased_until" character varying(30), "last_run_on" character varying(10), CONSTRAINT "PK_4ba41bcbd31fa652feaf93252ca" PRIMARY KEY ("name"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "scan_run" ("id" SERIAL NOT NULL, "as_of" character varying(10) NOT NULL, "trigger" character varying(10) NOT NULL, "instance" character varying(100) NOT NULL, "started_at" character varying(30) NOT NULL, "finished_at" character varying(30) NOT NULL, "counts" text NOT NULL, CONSTRAINT "PK_660aca559c48627274a4ba546b1" PRIMARY KEY ("id"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "scan_run"`);
    await queryRunner.query(`DROP TABLE "job_lease"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b787694b0e2c26e69336eab91b"`);
    await queryRunner.query(`DROP TABLE "alert_delivery_attempt"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a4f4f582f691f49ec948e36d27"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_60a1844a7dc05668f5c2fa2715"`);
    await queryRunner.query(`DROP TABLE "alert_delivery"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e9d0aa7ffac34bc5e1c7046678"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5727fffc926971dc17fcdb2521"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_644d636ac256be78c1ca802f88"`);
    await queryRunner.query(`DROP TABLE "alert"`);
  }
}
