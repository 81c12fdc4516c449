import { MigrationInterface, QueryRunner } from 'typeorm';

export class ListSortIndexes1795432737548 implements MigrationInterface {
  name = 'ListSortIndexes1795432737548';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_730647c0691c4526f74e6fda96"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_999bc5f544aa74f2f2cde8c109" ON "project" ("progress_percent", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_ac5a9d04767cfc1d419889c0fd" ON "project" ("last_reported_on", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_a6bd668605515fade3fb05b135" ON "project" ("planned_completion_due", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_3ef169ad1d2c2b2fb6ece41010" ON "project" ("floor_area", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_bd3d04fb0d78103f212a1dc0e2" ON "project" ("name", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_63423defa96839e3179f3eab35" ON "project" ("budget_fen", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_09b93783da79c7b439a3c5a554" ON "project" ("plan_year", "id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_09b93783da79c7b439a3c5a554"`);
    await queryRunner.query(`DROP INDEX "IDX_63423defa96839e3179f3eab35"`);
    await queryRunner.query(`DROP INDEX "IDX_bd3d04fb0d78103f212a1dc0e2"`);
    await queryRunner.query(`DROP INDEX "IDX_3ef169ad1d2c2b2fb6ece41010"`);
    await queryRunner.query(`DROP INDEX "IDX_a6bd668605515fade3fb05b135"`);
    await queryRunner.query(`DROP INDEX "IDX_ac5a9d04767cfc1d419889c0fd"`);
    await queryRunner.query(`DROP INDEX "IDX_999bc5f544aa74f2f2cde8c109"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_730647c0691c4526f74e6fda96" ON "project" ("planned_completion_due") `,
    );
  }
}
