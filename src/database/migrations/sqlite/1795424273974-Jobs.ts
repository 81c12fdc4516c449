import { MigrationInterface, QueryRunner } from 'typeorm';

export class Jobs1795424273974 implements MigrationInterface {
  name = 'Jobs1795424273974';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "job" ("id" varchar(36) PRIMARY KEY NOT NULL, "kind" varchar(30) NOT NULL, "status" varchar(10) NOT NULL, "percent" integer NOT NULL DEFAULT (0), "created_by_id" integer, "created_by" varchar(100) NOT NULL, "result_name" varchar(200), "result_path" varchar(500), "result" text, "created_at" varchar(30) NOT NULL, "finished_at" varchar(30))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "job"`);
  }
}
