import { MigrationInterface, QueryRunner } from 'typeorm';

export class BudgetUnknown1796177625039 implements MigrationInterface {
  name = 'BudgetUnknown1796177625039';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_09b93783da79c7b439a3c5a554"`);
    await queryRunner.query(`DROP INDEX "IDX_63423defa96839e3179f3eab35"`);
    await queryRunner.query(`DROP INDEX "IDX_bd3d04fb0d78103f212a1dc0e2"`);
    await queryRunner.query(`DROP INDEX "IDX_3ef169ad1d2c2b2fb6ece41010"`);
    await queryRunner.query(`DROP INDEX "IDX_a6bd668605515fade3fb05b135"`);
    await queryRunner.query(`DROP INDEX "IDX_ac5a9d04767cfc1d419889c0fd"`);
    await queryRunner.query(`DROP INDEX "IDX_999bc5f544aa74f2f2cde8c109"`);
    await queryRunner.query(`DROP INDEX "IDX_c0312accd3e2ec9b7e56bd9494"`);
    await queryRunner.query(`DROP INDEX "IDX_57856cedbec1fbed761154d162"`);
    await queryRunner.query(`DROP INDEX "IDX_085dca9fa581d5c5ddc7214ddb"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_project" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(50), "name" varchar(200) NOT NULL, "region_id" integer NOT NULL, "town" varchar(100), "plan_year" integer, "kind" varchar(20), "plan_id" integer, "source" text, "printed_subtotal" integer, "seats_kindergarten" integer NOT NULL DEFAULT (0), "seats_primary" integer NOT NULL DEFAULT (0), "seats_junior_middle" integer NOT NULL DEFAULT (0), "seats_senior_secondary" integer NOT NULL DEFAULT (0), "seats_special_education" integer NOT NULL DEFAULT (0), "transitional_seats" boolean NOT NULL DEFAULT (0), "boarding_beds" integer NOT NULL DEFAULT (0), "floor_area" bigint, "land" bigint, "budget_fen" bigint NOT NULL DEFAULT (0), "planned_start" varchar(10), "planned_completion" varchar(10), "planned_completion_due" varchar(10), "actual_completion" varchar(10), "status" varchar(24) NOT NULL DEFAULT ('planned'), "progress_percent" integer, "investment_completed_fen" bigint, "last_reported_on" varchar(10), "archived_at" varchar(30), "version" integer NOT NULL DEFAULT (1), "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_project"("id", "code", "name", "region_id", "town", "plan_year", "kind", "plan_id", "source", "printed_subtotal", "seats_kindergarten", "seats_primary", "seats_junior_middle", "seats_senior_secondary", "seats_special_education", "transitional_seats", "boarding_beds", "floor_area", "land", "budget_fen", "planned_start", "planned_completion", "planned_completion_due", "actual_completion", "status", "progress_percent", "investment_completed_fen", "last_reported_on", "archived_at", "version", "created_at", "updated_at") SELECT "id", "code", "name", "region_id", "town", "plan_year", "kind", "plan_id", "source", "printed_subtotal", "seats_kindergarten", "seats_primary", "seats_junior_middle", "seats_senior_secondary", "seats_special_education", "transitional_seats", "boarding_beds", "floor_area", "land", "budget_fen", "planned_start", "planned_completion", "planned_completion_due", "actual_completion", "status", "progress_percent", "investment_completed_fen", "last_reported_on", "archived_at", "version", "created_at", "updated_at" FROM "project"`,
    );
    await queryRunner.query(`DROP TABLE "project"`);
    await queryRunner.query(`ALTER TABLE "temporary_project" RENAME TO "project"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_09b93783da79c7b439a3c5a554" ON "project" ("plan_year", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_63423defa96839e3179f3eab35" ON "project" ("budget_fen", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_bd3d04fb0d78103f212a1dc0e2" ON "project" ("name", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_3ef169ad1d2c2b2fb6ece41010" ON "project" ("floor_area", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_a6bd668605515fade3fb05b135" ON "project" ("planned_completion_due", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_ac5a9d04767cfc1d419889c0fd" ON "project" ("last_reported_on", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_999bc5f544aa74f2f2cde8c109" ON "project" ("progress_percent", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_c0312accd3e2ec9b7e56bd9494" ON "project" ("region_id", "plan_year") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_57856cedbec1fbed761154d162" ON "project" ("status") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_085dca9fa581d5c5ddc7214ddb" ON "project" ("region_id") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_63423defa96839e3179f3eab35"`);
    await queryRunner.query(`DROP INDEX "IDX_09b93783da79c7b439a3c5a554"`);
    await queryRunner.query(`DROP INDEX "IDX_bd3d04fb0d78103f212a1dc0e2"`);
    await queryRunner.query(`DROP INDEX "IDX_3ef169ad1d2c2b2fb6ece41010"`);
    await queryRunner.query(`DROP INDEX "IDX_a6bd668605515fade3fb05b135"`);
    await queryRunner.query(`DROP INDEX "IDX_ac5a9d04767cfc1d419889c0fd"`);
    await queryRunner.query(`DROP INDEX "IDX_999bc5f544aa74f2f2cde8c109"`);
    await queryRunner.query(`DROP INDEX "IDX_c0312accd3e2ec9b7e56bd9494"`);
    await queryRunner.query(`DROP INDEX "IDX_57856cedbec1fbed761154d162"`);
    await queryRunner.query(`DROP INDEX "IDX_085dca9fa581d5c5ddc7214ddb"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_project" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(50), "name" varchar(200) NOT NULL, "region_id" integer NOT NULL, "town" varchar(100), "plan_year" integer, "kind" varchar(20), "plan_id" integer, "source" text, "printed_subtotal" integer, "seats_kindergarten" integer NOT NULL DEFAULT (0), "seats_primary" integer NOT NULL DEFAULT (0), "seats_junior_middle" integer NOT NULL DEFAULT (0), "seats_senior_secondary" integer NOT NULL DEFAULT (0), "seats_special_education" integer NOT NULL DEFAULT (0), "transitional_seats" boolean NOT NULL DEFAULT (0), "boarding_beds" integer NOT NULL DEFAULT (0), "floor_area" bigint, "land" bigint, "budget_fen" bigint, "planned_start" varchar(10), "planned_completion" varchar(10), "planned_completion_due" varchar(10), "actual_completion" varchar(10), "status" varchar(24) NOT NULL DEFAULT ('planned'), "progress_percent" integer, "investment_completed_fen" bigint, "last_reported_on" varchar(10), "archived_at" varchar(30), "version" integer NOT NULL DEFAULT (1), "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_project"("id", "code", "name", "region_id", "town", "plan_year", "kind", "plan_id", "source", "printed_subtotal", "seats_kindergarten", "seats_primary", "seats_junior_middle", "seats_senior_secondary", "seats_special_education", "transitional_seats", "boarding_beds", "floor_area", "land", "budget_fen", "planned_start", "planned_completion", "planned_completion_due", "actual_completion", "status", "progress_percent", "investment_completed_fen", "last_reported_on", "archived_at", "version", "created_at", "updated_at") SELECT "id", "code", "name", "region_id", "town", "plan_year", "kind", "plan_id", "source", "printed_subtotal", "seats_kindergarten", "seats_primary", "seats_junior_middle", "seats_senior_secondary", "seats_special_education", "transitional_seats", "boarding_beds", "floor_area", "land", "budget_fen", "planned_start", "planned_completion", "planned_completion_due", "actual_completion", "status", "progress_percent", "investment_completed_fen", "last_reported_on", "archived_at", "version", "created_at", "updated_at" FROM "project"`,
    );
    await queryRunner.query(`DROP TABLE "project"`);
    await queryRunner.query(`ALTER TABLE "temporary_project" RENAME TO "project"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_09b93783da79c7b439a3c5a554" ON "project" ("plan_year", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_bd3d04fb0d78103f212a1dc0e2" ON "project" ("name", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_3ef169ad1d2c2b2fb6ece41010" ON "project" ("floor_area", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_a6bd668605515fade3fb05b135" ON "project" ("planned_completion_due", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_ac5a9d04767cfc1d419889c0fd" ON "project" ("last_reported_on", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_999bc5f544aa74f2f2cde8c109" ON "project" ("progress_percent", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_c0312accd3e2ec9b7e56bd9494" ON "project" ("region_id", "plan_year") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_57856cedbec1fbed761154d162" ON "project" ("status") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_085dca9fa581d5c5ddc7214ddb" ON "project" ("region_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_63423defa96839e3179f3eab35" ON "project" ("budget_fen", "id") `,
    );
    // a project created without an estimate has no budget revision: it is 未测算, not 0
    await queryRunner.query(
      `UPDATE "project" SET "budget_fen" = NULL WHERE NOT EXISTS (SELECT 1 FROM "budget_revision" b WHERE b."project_id" = "project"."id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_63423defa96839e3179f3eab35"`);
    await queryRunner.query(`DROP INDEX "IDX_085dca9fa581d5c5ddc7214ddb"`);
    await queryRunner.query(`DROP INDEX "IDX_57856cedbec1fbed761154d162"`);
    await queryRunner.query(`DROP INDEX "IDX_c0312accd3e2ec9b7e56bd9494"`);
    await queryRunner.query(`DROP INDEX "IDX_999bc5f544aa74f2f2cde8c109"`);
    await queryRunner.query(`DROP INDEX "IDX_ac5a9d04767cfc1d419889c0fd"`);
    await queryRunner.query(`DROP INDEX "IDX_a6bd668605515fade3fb05b135"`);
    await queryRunner.query(`DROP INDEX "IDX_3ef169ad1d2c2b2fb6ece41010"`);
    await queryRunner.query(`DROP INDEX "IDX_bd3d04fb0d78103f212a1dc0e2"`);
    await queryRunner.query(`DROP INDEX "IDX_09b93783da79c7b439a3c5a554"`);
    await queryRunner.query(`ALTER TABLE "project" RENAME TO "temporary_project"`);
    await queryRunner.query(
      `CREATE TABLE "project" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(50), "name" varchar(200) NOT NULL, "region_id" integer NOT NULL, "town" varchar(100), "plan_year" integer, "kind" varchar(20), "plan_id" integer, "source" text, "printed_subtotal" integer, "seats_kindergarten" integer NOT NULL DEFAULT (0), "seats_primary" integer NOT NULL DEFAULT (0), "seats_junior_middle" integer NOT NULL DEFAULT (0), "seats_senior_secondary" integer NOT NULL DEFAULT (0), "seats_special_education" integer NOT NULL DEFAULT (0), "transitional_seats" boolean NOT NULL DEFAULT (0), "boarding_beds" integer NOT NULL DEFAULT (0), "floor_area" bigint, "land" bigint, "budget_fen" bigint NOT NULL DEFAULT (0), "planned_start" varchar(10), "planned_completion" varchar(10), "planned_completion_due" varchar(10), "actual_completion" varchar(10), "status" varchar(24) NOT NULL DEFAULT ('planned'), "progress_percent" integer, "investment_completed_fen" bigint, "last_reported_on" varchar(10), "archived_at" varchar(30), "version" integer NOT NULL DEFAULT (1), "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "project"("id", "code", "name", "region_id", "town", "plan_year", "kind", "plan_id", "source", "printed_subtotal", "seats_kindergarten", "seats_primary", "seats_junior_middle", "seats_senior_secondary", "seats_special_education", "transitional_seats", "boarding_beds", "floor_area", "land", "budget_fen", "planned_start", "planned_completion", "planned_completion_due", "actual_completion", "status", "progress_percent", "investment_completed_fen", "last_reported_on", "archived_at", "version", "created_at", "updated_at") SELECT "id", "code", "name", "region_id", "town", "plan_year", "kind", "plan_id", "source", "printed_subtotal", "seats_kindergarten", "seats_primary", "seats_junior_middle", "seats_senior_secondary", "seats_special_education", "transitional_seats", "boarding_beds", "floor_area", "land", "budget_fen", "planned_start", "planned_completion", "planned_completion_due", "actual_completion", "status", "progress_percent", "investment_completed_fen", "last_reported_on", "archived_at", "version", "created_at", "updated_at" FROM "temporary_project"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_project"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_085dca9fa581d5c5ddc7214ddb" ON "project" ("region_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_57856cedbec1fbed761154d162" ON "project" ("status") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_c0312accd3e2ec9b7e56bd9494" ON "project" ("region_id", "plan_year") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_999bc5f544aa74f2f2cde8c109" ON "project" ("progress_percent", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_ac5a9d04767cfc1d419889c0fd" ON "project" ("last_reported_on", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_a6bd668605515fade3fb05b135" ON "project" ("planned_completion_due", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_3ef169ad1d2c2b2fb6ece41010" ON "project" ("floor_area", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_bd3d04fb0d78103f212a1dc0e2" ON "project" ("name", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_09b93783da79c7b439a3c5a554" ON "project" ("plan_year", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_63423defa96839e3179f3eab35" ON "project" ("budget_fen", "id") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_085dca9fa581d5c5ddc7214ddb"`);
    await queryRunner.query(`DROP INDEX "IDX_57856cedbec1fbed761154d162"`);
    await queryRunner.query(`DROP INDEX "IDX_c0312accd3e2ec9b7e56bd9494"`);
    await queryRunner.query(`DROP INDEX "IDX_999bc5f544aa74f2f2cde8c109"`);
    await queryRunner.query(`DROP INDEX "IDX_ac5a9d04767cfc1d419889c0fd"`);
    await queryRunner.query(`DROP INDEX "IDX_a6bd668605515fade3fb05b135"`);
    await queryRunner.query(`DROP INDEX "IDX_3ef169ad1d2c2b2fb6ece41010"`);
    await queryRunner.query(`DROP INDEX "IDX_bd3d04fb0d78103f212a1dc0e2"`);
    await queryRunner.query(`DROP INDEX "IDX_63423defa96839e3179f3eab35"`);
    await queryRunner.query(`DROP INDEX "IDX_09b93783da79c7b439a3c5a554"`);
    await queryRunner.query(`ALTER TABLE "project" RENAME TO "temporary_project"`);
    await queryRunner.query(
      `CREATE TABLE "project" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" varchar(50), "name" varchar(200) NOT NULL, "region_id" integer NOT NULL, "town" varchar(100), "plan_year" integer, "kind" varchar(20), "plan_id" integer, "source" text, "printed_subtotal" integer, "seats_kindergarten" integer NOT NULL DEFAULT (0), "seats_primary" integer NOT NULL DEFAULT (0), "seats_junior_middle" integer NOT NULL DEFAULT (0), "seats_senior_secondary" integer NOT NULL DEFAULT (0), "seats_special_education" integer NOT NULL DEFAULT (0), "transitional_seats" boolean NOT NULL DEFAULT (0), "boarding_beds" integer NOT NULL DEFAULT (0), "floor_area" bigint, "land" bigint, "budget_fen" bigint NOT NULL DEFAULT (0), "planned_start" varchar(10), "planned_completion" varchar(10), "planned_completion_due" varchar(10), "actual_completion" varchar(10), "status" varchar(24) NOT NULL DEFAULT ('planned'), "progress_percent" integer, "investment_completed_fen" bigint, "last_reported_on" varchar(10), "archived_at" varchar(30), "version" integer NOT NULL DEFAULT (1), "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "project"("id", "code", "name", "region_id", "town", "plan_year", "kind", "plan_id", "source", "printed_subtotal", "seats_kindergarten", "seats_primary", "seats_junior_middle", "seats_senior_secondary", "seats_special_education", "transitional_seats", "boarding_beds", "floor_area", "land", "budget_fen", "planned_start", "planned_completion", "planned_completion_due", "actual_completion", "status", "progress_percent", "investment_completed_fen", "last_reported_on", "archived_at", "version", "created_at", "updated_at") SELECT "id", "code", "name", "region_id", "town", "plan_year", "kind", "plan_id", "source", "printed_subtotal", "seats_kindergarten", "seats_primary", "seats_junior_middle", "seats_senior_secondary", "seats_special_education", "transitional_seats", "boarding_beds", "floor_area", "land", "budget_fen", "planned_start", "planned_completion", "planned_completion_due", "actual_completion", "status", "progress_percent", "investment_completed_fen", "last_reported_on", "archived_at", "version", "created_at", "updated_at" FROM "temporary_project"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_project"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_085dca9fa581d5c5ddc7214ddb" ON "project" ("region_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_57856cedbec1fbed761154d162" ON "project" ("status") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_c0312accd3e2ec9b7e56bd9494" ON "project" ("region_id", "plan_year") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_999bc5f544aa74f2f2cde8c109" ON "project" ("progress_percent", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_ac5a9d04767cfc1d419889c0fd" ON "project" ("last_reported_on", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_a6bd668605515fade3fb05b135" ON "project" ("planned_completion_due", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_3ef169ad1d2c2b2fb6ece41010" ON "project" ("floor_area", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_bd3d04fb0d78103f212a1dc0e2" ON "project" ("name", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_63423defa96839e3179f3eab35" ON "project" ("budget_fen", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_09b93783da79c7b439a3c5a554" ON "project" ("plan_year", "id") `,
    );
  }
}
