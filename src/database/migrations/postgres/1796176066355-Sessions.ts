import { MigrationInterface, QueryRunner } from 'typeorm';

export class Sessions1796176066355 implements MigrationInterface {
  name = 'Sessions1796176066355';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "auth_session" ("id" character varying(36) NOT NULL, "user_id" integer NOT NULL, "created_at" character varying(30) NOT NULL, "refreshed_at" character varying(30) NOT NULL, "ended_at" character varying(30), CONSTRAINT "PK_19354ed146424a728c1112a8cbf" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_b8783d517fab10672700a39cb4" ON "auth_session"  ("user_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "user" ADD "token_generation" integer NOT NULL DEFAULT '0'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "user" DROP COLUMN "token_generation"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b8783d517fab10672700a39cb4"`);
    await queryRunner.query(`DROP TABLE "auth_session"`);
  }
}
