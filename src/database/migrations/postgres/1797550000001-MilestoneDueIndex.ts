import { MigrationInterface, QueryRunner } from 'typeorm';

export class MilestoneDueIndex1797550000001 implements MigrationInterface {
  name = 'MilestoneDueIndex1797550000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_71d1331cf76191941bd02d6b55" ON "milestone"  ("project_id", "planned_due", "actual_date") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_71d1331cf76191941bd02d6b55"`);
  }
}
