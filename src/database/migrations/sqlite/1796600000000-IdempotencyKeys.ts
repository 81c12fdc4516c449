import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 30 point 3: the Idempotency-Key reservations and their stored answers. */
export class IdempotencyKeys1796600000000 implements MigrationInterface {
  name = 'IdempotencyKeys1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "idempotency_key" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "user_id" integer NOT NULL, "key" varchar(100) NOT NULL, "request_hash" varchar(64) NOT NULL, "owner" varchar(36) NOT NULL, "status_code" integer, "response_body" text, "created_at" varchar(30) NOT NULL, "expires_at" varchar(30) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_40aab95c36e58255f7618768f0" ON "idempotency_key" ("expires_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_de390066dce788f80744a8f662" ON "idempotency_key" ("user_id", "key") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_de390066dce788f80744a8f662"`);
    await queryRunner.query(`DROP INDEX "IDX_40aab95c36e58255f7618768f0"`);
    await queryRunner.query(`DROP TABLE "idempotency_key"`);
  }
}
