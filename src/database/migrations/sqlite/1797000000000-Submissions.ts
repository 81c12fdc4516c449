import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 月报报送 (issue 33): a region's month, its frozen files, its events, and the state machine's table
 * (seeded with SUBMISSION_TRANSITIONS of src/submissions/submission-types.ts; a spec checks they agree).
 */
export class Submissions1797000000000 implements MigrationInterface {
  name = 'Submissions1797000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "submission" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "region_id" integer NOT NULL, "month" varchar(7) NOT NULL, "status" varchar(16) NOT NULL, "version" integer NOT NULL DEFAULT (1), "due_on" varchar(10) NOT NULL, "late_days" integer NOT NULL DEFAULT (0), "first_submitted_at" varchar(30) NOT NULL, "submitted_at" varchar(30), "submitted_by" varchar(100), "submitted_by_id" integer, "approved_at" varchar(30), "approved_by" varchar(100), "approved_by_id" integer, "approved_by_region_id" integer, "returned_at" varchar(30), "returned_by" varchar(100), "return_reason" varchar(500), "return_count" integer NOT NULL DEFAULT (0), "forced" boolean NOT NULL DEFAULT (0), "force_note" varchar(1000), "note" varchar(1000), "reviewer_opened_at" varchar(30), "seq" integer NOT NULL DEFAULT (1), "file_sha256" varchar(64) NOT NULL, "file_path" varchar(500) NOT NULL, "snapshot" text NOT NULL, "checks" text NOT NULL, "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_c6428b5a7af44fa328d68b4b9f" ON "submission" ("month", "status") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_1735c411cc37b1428d56da41a4" ON "submission" ("region_id", "month") `,
    );
    await queryRunner.query(
      `CREATE TABLE "submission_file" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "submission_id" integer NOT NULL, "seq" integer NOT NULL, "sha256" varchar(64) NOT NULL, "file_path" varchar(500) NOT NULL, "size_bytes" integer NOT NULL, "submitted_at" varchar(30) NOT NULL, "submitted_by" varchar(100) NOT NULL, "forced" boolean NOT NULL DEFAULT (0), "force_note" varchar(1000), "note" varchar(1000), "snapshot" text NOT NULL, "checks" text NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_9e9ea378a7cff15ce6f8457ac3" ON "submission_file" ("submission_id", "seq") `,
    );
    await queryRunner.query(
      `CREATE TABLE "submission_event" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "submission_id" integer, "region_id" integer NOT NULL, "month" varchar(7) NOT NULL, "action" varchar(16) NOT NULL, "from_status" varchar(16), "to_status" varchar(16), "actor_id" integer, "actor_name" varchar(100) NOT NULL, "at" varchar(30) NOT NULL, "comment" varchar(1000), "version" integer)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_94b0a8af6cd75028516edb87c8" ON "submission_event" ("submission_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_28cf3347c5cecc7e2c5cf08fd1" ON "submission_event" ("region_id", "month") `,
    );
    await queryRunner.query(
      `CREATE TABLE "submission_transition" ("action" varchar(16) NOT NULL, "from_status" varchar(16) NOT NULL, "to_status" varchar(16) NOT NULL, PRIMARY KEY ("action", "from_status"))`,
    );
    await queryRunner.query(
      `INSERT INTO "submission_transition" ("action", "from_status", "to_status") VALUES ('submit','not_submitted','submitted'),('submit','returned','submitted'),('submit','withdrawn','submitted'),('withdraw','submitted','withdrawn'),('approve','submitted','approved'),('return','submitted','returned'),('reopen','approved','returned')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "submission_transition"`);
    await queryRunner.query(`DROP INDEX "IDX_28cf3347c5cecc7e2c5cf08fd1"`);
    await queryRunner.query(`DROP INDEX "IDX_94b0a8af6cd75028516edb87c8"`);
    await queryRunner.query(`DROP TABLE "submission_event"`);
    await queryRunner.query(`DROP INDEX "IDX_9e9ea378a7cff15ce6f8457ac3"`);
    await queryRunner.query(`DROP TABLE "submission_file"`);
    await queryRunner.query(`DROP INDEX "IDX_1735c411cc37b1428d56da41a4"`);
    await queryRunner.query(`DROP INDEX "IDX_c6428b5a7af44fa328d68b4b9f"`);
    await queryRunner.query(`DROP TABLE "submission"`);
  }
}
