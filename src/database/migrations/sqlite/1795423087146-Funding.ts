import { MigrationInterface, QueryRunner } from 'typeorm';

export class Funding1795423087146 implements MigrationInterface {
  name = 'Funding1795423087146';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "budget_revision" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "project_id" integer NOT NULL, "effective_on" varchar(10), "budget_fen" bigint NOT NULL, "reason" varchar(500) NOT NULL, "created_by" varchar(100) NOT NULL, "created_at" varchar(30) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_8b975c6b38adb84b729fbb9254" ON "budget_revision" ("project_id", "effective_on") `,
    );
    await queryRunner.query(
      `CREATE TABLE "funding_line" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "project_id" integer NOT NULL, "source" varchar(30) NOT NULL, "committed_fen" bigint NOT NULL DEFAULT (0), "committed_on" varchar(10), "received_fen" bigint NOT NULL DEFAULT (0), "received_on" varchar(10), "note" varchar(500), "version" integer NOT NULL DEFAULT (1), "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_05b35503751b2db62106d27f8d" ON "funding_line" ("project_id", "source") `,
    );
    await queryRunner.query(
      `CREATE TABLE "payment" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "project_id" integer NOT NULL, "paid_on" varchar(10) NOT NULL, "payee" varchar(200) NOT NULL, "amount_fen" bigint NOT NULL, "reference" varchar(100), "version" integer NOT NULL DEFAULT (1), "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_6acb162470412b143e5927f748" ON "payment" ("project_id", "paid_on") `,
    );
    await queryRunner.query(
      `CREATE TABLE "reported_gap" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "region_id" integer NOT NULL, "plan_id" integer, "document" varchar(300) NOT NULL, "total_fen" bigint NOT NULL, "completed_fen" bigint NOT NULL, "under_construction_fen" bigint NOT NULL, "quote" text NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_82ad943ca454d3680e2fbeb8d8" ON "reported_gap" ("region_id") `,
    );
    // existing projects: their budget becomes the original revision, in force from the start
    await queryRunner.query(
      `INSERT INTO "budget_revision" ("project_id", "effective_on", "budget_fen", "reason", "created_by", "created_at") SELECT "id", NULL, "budget_fen", '原始资金测算', 'system', "created_at" FROM "project" WHERE "budget_fen" > 0`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_82ad943ca454d3680e2fbeb8d8"`);
    await queryRunner.query(`DROP TABLE "reported_gap"`);
    await queryRunner.query(`DROP INDEX "IDX_6acb162470412b143e5927f748"`);
    await queryRunner.query(`DROP TABLE "payment"`);
    await queryRunner.query(`DROP INDEX "IDX_05b35503751b2db62106d27f8d"`);
    await queryRunner.query(`DROP TABLE "funding_line"`);
    await queryRunner.query(`DROP INDEX "IDX_8b975c6b38adb84b729fbb9254"`);
    await queryRunner.query(`DROP TABLE "budget_revision"`);
  }
}
