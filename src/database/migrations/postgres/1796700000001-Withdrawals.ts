import { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['progress_report', 'budget_revision'];

/** 更正: a progress report or a budget revision withdrawn (已撤回) stays, with who, when and why. */
export class Withdrawals1796700000001 implements MigrationInterface {
  name = 'Withdrawals1796700000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // plain ADD COLUMNs: a rebuilt table would drop the tables' change-log triggers
    for (const t of TABLES) {
      await queryRunner.query(`ALTER TABLE "${t}" ADD "withdrawn_at" character varying(30)`);
      await queryRunner.query(`ALTER TABLE "${t}" ADD "withdrawn_by" character varying(100)`);
      await queryRunner.query(`ALTER TABLE "${t}" ADD "withdrawn_by_id" integer`);
      await queryRunner.query(`ALTER TABLE "${t}" ADD "withdraw_reason" character varying(500)`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const t of TABLES)
      for (const c of ['withdraw_reason', 'withdrawn_by_id', 'withdrawn_by', 'withdrawn_at'])
        await queryRunner.query(`ALTER TABLE "${t}" DROP COLUMN "${c}"`);
  }
}
