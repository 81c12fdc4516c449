import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 搜索 looks in 建设单位, 施工单位, 项目负责人 and 联系电话 too (issue 30), so a change of one of them
 * can move a project into or out of a search's matches: the project function of the change log
 * (ChangeLog1796233273636) counts them as list columns (`row`), not as what a page shows (`item`).
 * The same change as the SQLite migration of the same name.
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

const projectFunction = (columns: string[]) => {
  const cols = (row: string) => columns.map((c) => `${row}.${c}`).join(', ');
  const path = (regionId: string) => `(SELECT path FROM region WHERE id = ${regionId})`;
  return `CREATE OR REPLACE FUNCTION change_log_project() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO change_log (project_id, kind, new_path) VALUES (NEW.id, 'row', ${path('NEW.region_id')});
        ELSIF TG_OP = 'DELETE' THEN
          INSERT INTO change_log (project_id, kind, old_path) VALUES (OLD.id, 'row', ${path('OLD.region_id')});
        ELSE
          INSERT INTO change_log (project_id, kind, old_path, new_path) VALUES (NEW.id,
            CASE WHEN (${cols('NEW')}) IS NOT DISTINCT FROM (${cols('OLD')}) THEN 'item' ELSE 'row' END,
            ${path('OLD.region_id')}, ${path('NEW.region_id')});
        END IF;
        RETURN NULL;
      END $$`;
};

export class SearchChangeLog1797350000001 implements MigrationInterface {
  name = 'SearchChangeLog1797350000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(projectFunction([...LIST_COLUMNS, ...SEARCHED]));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(projectFunction(LIST_COLUMNS));
  }
}
