import { MigrationInterface, QueryRunner } from 'typeorm';

export class BudgetUnknown1796177629337 implements MigrationInterface {
  name = 'BudgetUnknown1796177629337';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_63423defa96839e3179f3eab35"`);
    await queryRunner.query(`ALTER TABLE "project" ALTER COLUMN "budget_fen" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "project" ALTER COLUMN "budget_fen" DROP DEFAULT`);
    await queryRunner.query(
      `CREATE INDEX "IDX_63423defa96839e3179f3eab35" ON "project"  ("budget_fen", "id") `,
    );
    // a project created without an estimate has no budget revision: it is 未测算, not 0
    await queryRunner.query(
      `UPDATE "project" SET "budget_fen" = NULL WHERE NOT EXISTS (SELECT 1 FROM "budget_revision" b WHERE b."project_id" = "project"."id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_63423defa96839e3179f3eab35"`);
    await queryRunner.query(`ALTER TABLE "project" ALTER COLUMN "budget_fen" SET DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "project" ALTER COLUMN "budget_fen" SET NOT NULL`);
    await queryRunner.query(
      `CREATE INDEX "IDX_63423defa96839e3179f3eab35" ON "project" USING btree ("id", "budget_fen") `,
    );
  }
}
