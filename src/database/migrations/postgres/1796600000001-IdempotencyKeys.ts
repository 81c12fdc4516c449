import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 30 point 3: the Idempotency-Key reservations and their stored answers. */
export class IdempotencyKeys1796600000001 implements MigrationInterface {
  name = 'IdempotencyKeys1796600000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "idempotency_key" ("id" SERIAL NOT NULL, "user_id" integer NOT NULL, "key" character varying(100) NOT NULL, "request_hash" character varying(64) NOT NULL, "owner" character varying(36) NOT NULL, "status_code" integer, "response_body" text, "created_at" character varying(30) NOT NULL, "expires_at" character varying(30) NOT NULL, CONSTRAINT "PK_213f125e14469be304f9ff1d452" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_40aab95c36e58255f7618768f0" ON "idempotency_key"  ("expires_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_de390066dce788f80744a8f662" ON "idempotency_key"  ("user_id", "key") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_de390066dce788f80744a8f662"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_40aab95c36e58255f7618768f0"`);
    await queryRunner.query(`DROP TABLE "idempotency_key"`);
  }
}
