import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 搜索 looks in 建设单位, 施工单位, 项目负责人 and 联系电话 too (issue 30), so a change of one of them
 * can move a project into or out of a search's matches: the project trigger of the change log
 * (ChangeLog1796233251411) counts them as list columns (`row`), not as what a page shows (`item`).
 * Without this a search answered before such a change kept its count and pages for up to a minute.
 */
const LIST_COLUMNS = [
  'region_id',
  'archived_at',
  'status',
  'kind',
  'seats_kindergarten',
  'seats_primary',
  'seats_junior_middle',
  'seats_senior_secondary',
  'seats_special_education',
  'plan_year',
  'name',
  'code',
  'planned_completion_due',
  'budget_fen',
  'floor_area',
  'last_reported_on',
  'progress_percent',
];
const SEARCHED = ['builder', 'contractor', 'manager', 'phone'];
const pathOf = (row: string) => `(SELECT path FROM region WHERE id = ${row}.region_id)`;

const trigger = (columns: string[]) => {
  const unchanged = columns.map((c) => `NEW.${c} IS OLD.${c}`).join(' AND ');
  return `CREATE TRIGGER "change_log_project_update" AFTER UPDATE ON project BEGIN
    INSERT INTO change_log (project_id, kind, old_path, new_path) VALUES (NEW.id,
      CASE WHEN ${unchanged} THEN 'item' ELSE 'row' END, ${pathOf('OLD')}, ${pathOf('NEW')}); END`;
};

export class SearchChangeLog1797350000000 implements MigrationInterface {
  name = 'SearchChangeLog1797350000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER IF EXISTS "change_log_project_update"`);
    await queryRunner.query(trigger([...LIST_COLUMNS, ...SEARCHED]));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER IF EXISTS "change_log_project_update"`);
    await queryRunner.query(trigger(LIST_COLUMNS));
  }
}
