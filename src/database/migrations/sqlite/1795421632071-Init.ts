import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1795421632071 implements MigrationInterface {
  name = 'Init1795421632071';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_log" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "at" varchar(30) NOT NULL, "actor_id" integer, "actor_name" varchar(100) NOT NULL, "action" varchar(30) NOT NULL, "entity" varchar(40) NOT NULL, "entity_id" integer NOT NULL, "project_id" integer, "changes" text NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_ba27cef5b8b2b1a756e06ebcc5" ON "audit_log" ("at") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_864ed8d64b3b1897b6cee09982" ON "audit_log" ("project_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_40c0e9a60edcd0f680b0e94b60" ON "audit_log" ("entity", "entity_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "milestone" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "project_id" integer NOT NULL, "key" varchar(40) NOT NULL, "name" varchar(100) NOT NULL, "sort_order" integer NOT NULL DEFAULT (0), "planned_date" varchar(10), "planned_due" varchar(10), "actual_date" varchar(10), "owner" varchar(50), "note" varchar(500), "version" integer NOT NULL DEFAULT (1), "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_bdbc7b170e5ca2f557bf5645ce" ON "milestone" ("planned_due") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_3be569e3b69c443bdf221fe2dd" ON "milestone" ("project_id", "key") `,
    );
    await queryRunner.query(
      `CREATE TABLE "plan" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(200) NOT NULL, "region_id" integer NOT NULL, "period_start" integer NOT NULL, "period_end" integer NOT NULL, "issued_by" varchar(100), "doc_no" varchar(100), "issued_on" varchar(10), "note" text, "named_projects" text, "version" integer NOT NULL DEFAULT (1))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_8c1cd6d3e28174a5eefb15c68b" ON "plan" ("region_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "plan_target" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "plan_id" integer NOT NULL, "measure" varchar(30) NOT NULL, "value" integer NOT NULL, "qualifier" varchar(10), "from_year" integer NOT NULL, "deadline" varchar(10) NOT NULL, "quote" text)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_7a8cea69ae4e59c9d9e8f03f71" ON "plan_target" ("plan_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "progress_report" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "project_id" integer NOT NULL, "reported_on" varchar(10) NOT NULL, "status" varchar(24) NOT NULL, "progress_percent" integer NOT NULL, "investment_completed_fen" bigint, "actual_completion" varchar(10), "note" varchar(1000), "reported_by" varchar(100) NOT NULL, "reported_by_id" integer, "created_at" varchar(30) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_c9db2b25af80ff51feba791e6f" ON "progress_report" ("project_id", "reported_on") `,
    );
    await queryRunner.query(
      `CREATE TABLE "project" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(50), "name" varchar(200) NOT NULL, "region_id" integer NOT NULL, "town" varchar(100), "plan_year" integer, "kind" varchar(20), "plan_id" integer, "source" text, "printed_subtotal" integer, "seats_kindergarten" integer NOT NULL DEFAULT (0), "seats_primary" integer NOT NULL DEFAULT (0), "seats_junior_middle" integer NOT NULL DEFAULT (0), "seats_senior_secondary" integer NOT NULL DEFAULT (0), "seats_special_education" integer NOT NULL DEFAULT (0), "transitional_seats" boolean NOT NULL DEFAULT (0), "boarding_beds" integer NOT NULL DEFAULT (0), "floor_area" bigint, "land" bigint, "budget_fen" bigint NOT NULL DEFAULT (0), "planned_start" varchar(10), "planned_completion" varchar(10), "planned_completion_due" varchar(10), "actual_completion" varchar(10), "status" varchar(24) NOT NULL DEFAULT ('planned'), "progress_percent" integer, "investment_completed_fen" bigint, "last_reported_on" varchar(10), "archived_at" varchar(30), "version" integer NOT NULL DEFAULT (1), "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_085dca9fa581d5c5ddc7214ddb" ON "project" ("region_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_730647c0691c4526f74e6fda96" ON "project" ("planned_completion_due") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_57856cedbec1fbed761154d162" ON "project" ("status") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_c0312accd3e2ec9b7e56bd9494" ON "project" ("region_id", "plan_year") `,
    );
    await queryRunner.query(
      `CREATE TABLE "region" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(100) NOT NULL, "level" varchar(12) NOT NULL, "parent_id" integer, "path" varchar(200) NOT NULL, "code" varchar(12))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_fe5ebce493b47061fe693b660a" ON "region" ("path") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_d8d6b8b6c89660b42f39c3a40b" ON "region" ("parent_id", "name") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_d8d6b8b6c89660b42f39c3a40b"`);
    await queryRunner.query(`DROP INDEX "IDX_fe5ebce493b47061fe693b660a"`);
    await queryRunner.query(`DROP TABLE "region"`);
    await queryRunner.query(`DROP INDEX "IDX_c0312accd3e2ec9b7e56bd9494"`);
    await queryRunner.query(`DROP INDEX "IDX_57856cedbec1fbed761154d162"`);
    await queryRunner.query(`DROP INDEX "IDX_730647c0691c4526f74e6fda96"`);
    await queryRunner.query(`DROP INDEX "IDX_085dca9fa581d5c5ddc7214ddb"`);
    await queryRunner.query(`DROP TABLE "project"`);
    await queryRunner.query(`DROP INDEX "IDX_c9db2b25af80ff51feba791e6f"`);
    await queryRunner.query(`DROP TABLE "progress_report"`);
    await queryRunner.query(`DROP INDEX "IDX_7a8cea69ae4e59c9d9e8f03f71"`);
    await queryRunner.query(`DROP TABLE "plan_target"`);
    await queryRunner.query(`DROP INDEX "IDX_8c1cd6d3e28174a5eefb15c68b"`);
    await queryRunner.query(`DROP TABLE "plan"`);
    await queryRunner.query(`DROP INDEX "IDX_3be569e3b69c443bdf221fe2dd"`);
    await queryRunner.query(`DROP INDEX "IDX_bdbc7b170e5ca2f557bf5645ce"`);
    await queryRunner.query(`DROP TABLE "milestone"`);
    await queryRunner.query(`DROP INDEX "IDX_40c0e9a60edcd0f680b0e94b60"`);
    await queryRunner.query(`DROP INDEX "IDX_864ed8d64b3b1897b6cee09982"`);
    await queryRunner.query(`DROP INDEX "IDX_ba27cef5b8b2b1a756e06ebcc5"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
  }
}
