import { MigrationInterface, QueryRunner } from 'typeorm';

/** Notification channels per region, shared download links, the outbox as the delivery log: issue 34. */
export class Channels1797450000001 implements MigrationInterface {
  name = 'Channels1797450000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "notification_channel" ("id" SERIAL NOT NULL, "region_id" integer NOT NULL, "kind" character varying(10) NOT NULL, "name" character varying(50), "url" character varying(500), "secret" character varying(200), "recipients" text NOT NULL, "topics" text NOT NULL, "created_at" character varying(30) NOT NULL, "updated_at" character varying(30) NOT NULL, CONSTRAINT "PK_50b36f3daa5dd86f7e707740b23" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_f546e27190aa00e80715d86327" ON "notification_channel"  ("region_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "shared_link" ("token" character varying(64) NOT NULL, "region_id" integer NOT NULL, "submission_id" integer NOT NULL, "file_path" character varying(500) NOT NULL, "file_name" character varying(200) NOT NULL, "created_at" character varying(30) NOT NULL, "expires_at" character varying(30) NOT NULL, "revoked_at" character varying(30), "revoked_by" character varying(100), "downloads" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_5a01b1f2b7f14cc4c8b3eb95ef3" PRIMARY KEY ("token"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_4310d283dd52f7c1ddd0fd3742" ON "shared_link"  ("region_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "shared_link_download" ("id" SERIAL NOT NULL, "token" character varying(64) NOT NULL, "at" character varying(30) NOT NULL, "status" integer NOT NULL, "ip" character varying(60), "user_agent" character varying(300), CONSTRAINT "PK_38b064bfd368542b6f2d913d2cb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_4b5653788c0c73b9a963c05759" ON "shared_link_download"  ("token") `,
    );
    await queryRunner.query(`ALTER TABLE "alert_delivery" ADD "channel_id" integer`);
    await queryRunner.query(`ALTER TABLE "alert_delivery" ADD "region_id" integer`);
    await queryRunner.query(`ALTER TABLE "alert_delivery" ADD "topic" character varying(15)`);
    await queryRunner.query(`ALTER TABLE "alert_delivery" ADD "title" character varying(200)`);
    await queryRunner.query(`ALTER TABLE "alert_delivery" ADD "progress" text`);
    await queryRunner.query(
      `CREATE INDEX "IDX_bde3c57dc9d6a45267e5744290" ON "alert_delivery"  ("region_id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_bde3c57dc9d6a45267e5744290"`);
    await queryRunner.query(`ALTER TABLE "alert_delivery" DROP COLUMN "progress"`);
    await queryRunner.query(`ALTER TABLE "alert_delivery" DROP COLUMN "title"`);
    await queryRunner.query(`ALTER TABLE "alert_delivery" DROP COLUMN "topic"`);
    await queryRunner.query(`ALTER TABLE "alert_delivery" DROP COLUMN "region_id"`);
    await queryRunner.query(`ALTER TABLE "alert_delivery" DROP COLUMN "channel_id"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4b5653788c0c73b9a963c05759"`);
    await queryRunner.query(`DROP TABLE "shared_link_download"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4310d283dd52f7c1ddd0fd3742"`);
    await queryRunner.query(`DROP TABLE "shared_link"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f546e27190aa00e80715d86327"`);
    await queryRunner.query(`DROP TABLE "notification_channel"`);
  }
}
