import { MigrationInterface, QueryRunner } from 'typeorm';

export class LatestReportIndex1795433532211 implements MigrationInterface {
  name = 'LatestReportIndex1795433532211';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_c9db2b25af80ff51feba791e6f"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_b49237af676cb5c08d34759238" ON "progress_report"  ("project_id", "reported_on", "id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_b49237af676cb5c08d34759238"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_c9db2b25af80ff51feba791e6f" ON "progress_report" USING btree ("project_id", "reported_on") `,
    );
  }
}
