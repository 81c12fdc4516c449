import { MigrationInterface, QueryRunner } from 'typeorm';

/** Notification channels per region, shared download links, the outbox as the delivery log: issue 34. */
export class Channels1797450000000 implements MigrationInterface {
  name = 'Channels1797450000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "notification_channel" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "region_id" integer NOT NULL, "kind" varchar(10) NOT NULL, "name" varchar(50), "url" varchar(500), "secret" varchar(200), "recipients" text NOT NULL, "topics" text NOT NULL, "created_at" varchar(30) NOT NULL, "updated_at" varchar(30) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_f546e27190aa00e80715d86327" ON "notification_channel" ("region_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "shared_link" ("token" varchar(64) PRIMARY KEY NOT NULL, "region_id" integer NOT NULL, "submission_id" integer NOT NULL, "file_path" varchar(500) NOT NULL, "file_name" varchar(200) NOT NULL, "created_at" varchar(30) NOT NULL, "expires_at" varchar(30) NOT NULL, "revoked_at" varchar(30), "revoked_by" varchar(100), "downloads" integer NOT NULL DEFAULT (0))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_4310d283dd52f7c1ddd0fd3742" ON "shared_link" ("region_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "shared_link_download" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "token" varchar(64) NOT NULL, "at" varchar(30) NOT NULL, "status" integer NOT NULL, "ip" varchar(60), "user_agent" varchar(300))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_4b5653788c0c73b9a963c05759" ON "shared_link_download" ("token") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_a4f4f582f691f49ec948e36d27"`);
    await queryRunner.query(`DROP INDEX "IDX_60a1844a7dc05668f5c2fa2715"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_alert_delivery" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "alert_id" integer, "target" varchar(500) NOT NULL, "format" varchar(10) NOT NULL, "state_key" varchar(80) NOT NULL, "payload" text NOT NULL, "status" varchar(10) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "next_attempt_at" varchar(30) NOT NULL, "locked_until" varchar(30), "last_error" varchar(500), "created_at" varchar(30) NOT NULL, "sent_at" varchar(30), "channel_id" integer, "region_id" integer, "topic" varchar(15), "title" varchar(200), "progress" text)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_alert_delivery"("id", "alert_id", "target", "format", "state_key", "payload", "status", "attempts", "next_attempt_at", "locked_until", "last_error", "created_at", "sent_at") SELECT "id", "alert_id", "target", "format", "state_key", "payload", "status", "attempts", "next_attempt_at", "locked_until", "last_error", "created_at", "sent_at" FROM "alert_delivery"`,
    );
    await queryRunner.query(`DROP TABLE "alert_delivery"`);
    await queryRunner.query(`ALTER TABLE "temporary_alert_delivery" RENAME TO "alert_delivery"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_a4f4f582f691f49ec948e36d27" ON "alert_delivery" ("target", "state_key") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_60a1844a7dc05668f5c2fa2715" ON "alert_delivery" ("status", "next_attempt_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_bde3c57dc9d6a45267e5744290" ON "alert_delivery" ("region_id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_bde3c57dc9d6a45267e5744290"`);
    await queryRunner.query(`DROP INDEX "IDX_60a1844a7dc05668f5c2fa2715"`);
    await queryRunner.query(`DROP INDEX "IDX_a4f4f582f691f49ec948e36d27"`);
    await queryRunner.query(`ALTER TABLE "alert_delivery" RENAME TO "temporary_alert_delivery"`);
    await queryRunner.query(
      `CREATE TABLE "alert_delivery" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "alert_id" integer, "target" varchar(500) NOT NULL, "format" varchar(10) NOT NULL, "state_key" varchar(80) NOT NULL, "payload" text NOT NULL, "status" varchar(10) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "next_attempt_at" varchar(30) NOT NULL, "locked_until" varchar(30), "last_error" varchar(500), "created_at" varchar(30) NOT NULL, "sent_at" varchar(30))`,
    );
    await queryRunner.query(
      `INSERT INTO "alert_delivery"("id", "alert_id", "target", "format", "state_key", "payload", "status", "attempts", "next_attempt_at", "locked_until", "last_error", "created_at", "sent_at") SELECT "id", "alert_id", "target", "format", "state_key", "payload", "status", "attempts", "next_attempt_at", "locked_until", "last_error", "created_at", "sent_at" FROM "temporary_alert_delivery"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_alert_delivery"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_60a1844a7dc05668f5c2fa2715" ON "alert_delivery" ("status", "next_attempt_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_a4f4f582f691f49ec948e36d27" ON "alert_delivery" ("target", "state_key") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_4b5653788c0c73b9a963c05759"`);
    await queryRunner.query(`DROP TABLE "shared_link_download"`);
    await queryRunner.query(`DROP INDEX "IDX_4310d283dd52f7c1ddd0fd3742"`);
    await queryRunner.query(`DROP TABLE "shared_link"`);
    await queryRunner.query(`DROP INDEX "IDX_f546e27190aa00e80715d86327"`);
    await queryRunner.query(`DROP TABLE "notification_channel"`);
  }
}
