import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The figures as of a day (figures.sql.ts) sum each project's funding lines and payments by day:
 * indexes that hold the days and amounts let SQLite sum them without reading each row.
 */
export class FigureIndexes1797650000000 implements MigrationInterface {
  name = 'FigureIndexes1797650000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_6acb162470412b143e5927f748"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_4aff24f3b4559b143c4d2da13f" ON "funding_line" ("project_id", "committed_on", "committed_fen", "received_on", "received_fen") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_59907e369cb028359ef8ab0adb" ON "payment" ("project_id", "paid_on", "amount_fen") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_59907e369cb028359ef8ab0adb"`);
    await queryRunner.query(`DROP INDEX "IDX_4aff24f3b4559b143c4d2da13f"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_6acb162470412b143e5927f748" ON "payment" ("project_id", "paid_on") `,
    );
  }
}
