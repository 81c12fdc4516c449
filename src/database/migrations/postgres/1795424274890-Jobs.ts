import { MigrationInterface, QueryRunner } from 'typeorm';

export class Jobs1795424274890 implements MigrationInterface {
  name = 'Jobs1795424274890';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "job" ("id" character varying(36) NOT NULL, "kind" character varying(30) NOT NULL, "status" character varying(10) NOT NULL, "percent" integer NOT NULL DEFAULT '0', "created_by_id" integer, "created_by" character varying(100) NOT NULL, "result_name" character varying(200), "result_path" character varying(500), "result" text, "created_at" character varying(30) NOT NULL, "finished_at" character varying(30), CONSTRAINT "PK_98ab1c14ff8d1cf80d18703b92f" PRIMARY KEY ("id"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "job"`);
  }
}
