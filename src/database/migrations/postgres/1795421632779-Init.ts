import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1795421632779 implements MigrationInterface {
  name = 'Init1795421632779';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_log" ("id" SERIAL NOT NULL, "at" character varying(30) NOT NULL, "actor_id" integer, "actor_name" character varying(100) NOT NULL, "action" character varying(30) NOT NULL, "entity" character varying(40) NOT NULL, "entity_id" integer NOT NULL, "project_id" integer, "changes" text NOT NULL, CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_ba27cef5b8b2b1a756e06ebcc5" ON "audit_log"  ("at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_864ed8d64b3b1897b6cee09982" ON "audit_log"  ("project_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_40c0e9a60edcd0f680b0e94b60" ON "audit_log"  ("entity", "entity_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "milestone" ("id" SERIAL NOT NULL, "project_id" integer NOT NULL, "key" character varying(40) NOT NULL, "name" character varying(100) NOT NULL, "sort_order" integer NOT NULL DEFAULT '0', "planned_date" character varying(10), "planned_due" character varying(10), "actual_date" character varying(10), "owner" character varying(50), "note" character varying(500), "version" integer NOT NULL DEFAULT '1', "created_at" character varying(30) NOT NULL, "updated_at" character varying(30) NOT NULL, CONSTRAINT "PK_f8372abce331f60ba7b33fe23a7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_bdbc7b170e5ca2f557bf5645ce" ON "milestone"  ("planned_due") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_3be569e3b69c443bdf221fe2dd" ON "milestone"  ("project_id", "key") `,
    );
    await queryRunner.query(
      `CREATE TABLE "plan" ("id" SERIAL NOT NULL, "name" character varying(200) NOT NULL, "region_id" integer NOT NULL, "period_start" integer NOT NULL, "period_end" integer NOT NULL, "issued_by" character varying(100), "doc_no" character varying(100), "issued_on" character varying(10), "note" text, "named_projects" text, "version" integer NOT NULL DEFAULT '1', CONSTRAINT "PK_54a2b686aed3b637654bf7ddbb3" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_8c1cd6d3e28174a5eefb15c68b" ON "plan"  ("region_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "plan_target" ("id" SERIAL NOT NULL, "plan_id" integer NOT NULL, "measure" character varying(30) NOT NULL, "value" integer NOT NULL, "qualifier" character varying(10), "from_year" integer NOT NULL, "deadline" character varying(10) NOT NULL, "quote" text, CONSTRAINT "PK_96774c6cff4f084f665ca902616" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_7a8cea69ae4e59c9d9e8f03f71" ON "plan_target"  ("plan_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "progress_report" ("id" SERIAL NOT NULL, "project_id" integer NOT NULL, "reported_on" character varying(10) NOT NULL, "status" character varying(24) NOT NULL, "progress_percent" integer NOT NULL, "investment_completed_fen" bigint, "actual_completion" character varying(10), "note" character varying(1000), "reported_by" character varying(100) NOT NULL, "reported_by_id" integer, "created_at" character varying(30) NOT NULL, CONSTRAINT "PK_de44d4f311d5a0132f49f9f0820" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_c9db2b25af80ff51feba791e6f" ON "progress_report"  ("project_id", "reported_on") `,
    );
    await queryRunner.query(
      `CREATE TABLE "project" ("id" SERIAL NOT NULL, "code" character varying(50), "name" character varying(200) NOT NULL, "region_id" integer NOT NULL, "town" character varying(100), "plan_year" integer, "kind" character varying(20), "plan_id" integer, "source" text, "printed_subtotal" integer, "seats_kindergarten" integer NOT NULL DEFAULT '0', "seats_primary" integer NOT NULL DEFAULT '0', "seats_junior_middle" integer NOT NULL DEFAULT '0', "seats_senior_secondary" integer NOT NULL DEFAULT '0', "seats_special_education" integer NOT NULL DEFAULT '0', "transitional_seats" boolean NOT NULL DEFAULT false, "boarding_beds" integer NOT NULL DEFAULT '0', "floor_area" bigint, "land" bigint, "budget_fen" bigint NOT NULL DEFAULT '0', "planned_start" character varying(10), "planned_completion" character varying(10), "planned_completion_due" character varying(10), "actual_completion" character varying(10), "status" character varying(24) NOT NULL DEFAULT 'planned', "progress_percent" integer, "investment_completed_fen" bigint, "last_reported_on" character varying(10), "archived_at" character varying(30), "version" integer NOT NULL DEFAULT '1', "created_at" character varying(30) NOT NULL, "updated_at" character varying(30) NOT NULL, CONSTRAINT "PK_4d68b1358bb5b766d3e78f32f57" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_085dca9fa581d5c5ddc7214ddb" ON "project"  ("region_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_730647c0691c4526f74e6fda96" ON "project"  ("planned_completion_due") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_57856cedbec1fbed761154d162" ON "project"  ("status") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_c0312accd3e2ec9b7e56bd9494" ON "project"  ("region_id", "plan_year") `,
    );
    await queryRunner.query(
      `CREATE TABLE "region" ("id" SERIAL NOT NULL, "name" character varying(100) NOT NULL, "level" character varying(12) NOT NULL, "parent_id" integer, "path" character varying(200) NOT NULL, "code" character varying(12), CONSTRAINT "PK_5f48ffc3af96bc486f5f3f3a6da" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_fe5ebce493b47061fe693b660a" ON "region"  ("path") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_d8d6b8b6c89660b42f39c3a40b" ON "region"  ("parent_id", "name") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_d8d6b8b6c89660b42f39c3a40b"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_fe5ebce493b47061fe693b660a"`);
    await queryRunner.query(`DROP TABLE "region"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c0312accd3e2ec9b7e56bd9494"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_57856cedbec1fbed761154d162"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_730647c0691c4526f74e6fda96"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_085dca9fa581d5c5ddc7214ddb"`);
    await queryRunner.query(`DROP TABLE "project"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c9db2b25af80ff51feba791e6f"`);
    await queryRunner.query(`DROP TABLE "progress_report"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7a8cea69ae4e59c9d9e8f03f71"`);
    await queryRunner.query(`DROP TABLE "plan_target"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8c1cd6d3e28174a5eefb15c68b"`);
    await queryRunner.query(`DROP TABLE "plan"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3be569e3b69c443bdf221fe2dd"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_bdbc7b170e5ca2f557bf5645ce"`);
    await queryRunner.query(`DROP TABLE "milestone"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_40c0e9a60edcd0f680b0e94b60"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_864ed8d64b3b1897b6cee09982"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ba27cef5b8b2b1a756e06ebcc5"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
  }
}
