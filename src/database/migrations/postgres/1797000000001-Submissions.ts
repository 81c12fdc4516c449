import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 月报报送 (issue 33): a region's month, its frozen files, its events, and the state machine's table
 * (seeded with SUBMISSION_TRANSITIONS of src/submissions/submission-types.ts; a spec checks they agree).
 */
export class Submissions1797000000001 implements MigrationInterface {
  name = 'Submissions1797000000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "submission" ("id" SERIAL NOT NULL, "region_id" integer NOT NULL, "month" character varying(7) NOT NULL, "status" character varying(16) NOT NULL, "version" integer NOT NULL DEFAULT '1', "due_on" character varying(10) NOT NULL, "late_days" integer NOT NULL DEFAULT '0', "first_submitted_at" character varying(30) NOT NULL, "submitted_at" character varying(30), "submitted_by" character varying(100), "submitted_by_id" integer, "approved_at" character varying(30), "approved_by" character varying(100), "approved_by_id" integer, "approved_by_region_id" integer, "returned_at" character varying(30), "returned_by" character varying(100), "return_reason" character varying(500), "return_count" integer NOT NULL DEFAULT '0', "forced" boolean NOT NULL DEFAULT false, "force_note" character varying(1000), "note" character varying(1000), "reviewer_opened_at" character varying(30), "seq" integer NOT NULL DEFAULT '1', "file_sha256" character varying(64) NOT NULL, "file_path" character varying(500) NOT NULL, "snapshot" text NOT NULL, "checks" text NOT NULL, "created_at" character varying(30) NOT NULL, "updated_at" character varying(30) NOT NULL, CONSTRAINT "PK_7faa571d0e4a7076e85890c9bd0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_c6428b5a7af44fa328d68b4b9f" ON "submission"  ("month", "status") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_1735c411cc37b1428d56da41a4" ON "submission"  ("region_id", "month") `,
    );
    await queryRunner.query(
      `CREATE TABLE "submission_file" ("id" SERIAL NOT NULL, "submission_id" integer NOT NULL, "seq" integer NOT NULL, "sha256" character varying(64) NOT NULL, "file_path" character varying(500) NOT NULL, "size_bytes" integer NOT NULL, "submitted_at" character varying(30) NOT NULL, "submitted_by" character varying(100) NOT NULL, "forced" boolean NOT NULL DEFAULT false, "force_note" character varying(1000), "note" character varying(1000), "snapshot" text NOT NULL, "checks" text NOT NULL, CONSTRAINT "PK_2485391fedde321359e3e048088" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_9e9ea378a7cff15ce6f8457ac3" ON "submission_file"  ("submission_id", "seq") `,
    );
    await queryRunner.query(
      `CREATE TABLE "submission_event" ("id" SERIAL NOT NULL, "submission_id" integer, "region_id" integer NOT NULL, "month" character varying(7) NOT NULL, "action" character varying(16) NOT NULL, "from_status" character varying(16), "to_status" character varying(16), "actor_id" integer, "actor_name" character varying(100) NOT NULL, "at" character varying(30) NOT NULL, "comment" character varying(1000), "version" integer, CONSTRAINT "PK_b70003d9d5fc33271446a460fd8" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_94b0a8af6cd75028516edb87c8" ON "submission_event"  ("submission_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_28cf3347c5cecc7e2c5cf08fd1" ON "submission_event"  ("region_id", "month") `,
    );
    await queryRunner.query(
      `CREATE TABLE "submission_transition" ("action" character varying(16) NOT NULL, "from_status" character varying(16) NOT NULL, "to_status" character varying(16) NOT NULL, CONSTRAINT "PK_5186763530337c5907666eaf19d" PRIMARY KEY ("action", "from_status"))`,
    );
    await queryRunner.query(
      `INSERT INTO "submission_transition" ("action", "from_status", "to_status") VALUES ('submit','not_submitted','submitted'),('submit','returned','submitted'),('submit','withdrawn','submitted'),('withdraw','submitted','withdrawn'),('approve','submitted','approved'),('return','submitted','returned'),('reopen','approved','returned')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "submission_transition"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_28cf3347c5cecc7e2c5cf08fd1"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_94b0a8af6cd75028516edb87c8"`);
    await queryRunner.query(`DROP TABLE "submission_event"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9e9ea378a7cff15ce6f8457ac3"`);
    await queryRunner.query(`DROP TABLE "submission_file"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1735c411cc37b1428d56da41a4"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c6428b5a7af44fa328d68b4b9f"`);
    await queryRunner.query(`DROP TABLE "submission"`);
  }
}
