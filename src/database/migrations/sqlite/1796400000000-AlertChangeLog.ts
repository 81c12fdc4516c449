import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The list shows and filters by each project's highest open alert (预警等级), so an alert that
 * opens, closes or changes severity is a `row` change of its project in the change log (see the
 * ChangeLog migration); a scan that only re-stamps an alert logs nothing.
 */
const projectPath = (row: string) =>
  `(SELECT r.path FROM project p JOIN region r ON r.id = p.region_id WHERE p.id = ${row}.project_id)`;
const log = (values: string) =>
  `INSERT INTO change_log (project_id, kind, old_path, new_path) VALUES (${values});`;

export class AlertChangeLog1796400000000 implements MigrationInterface {
  name = 'AlertChangeLog1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const triggers: [string, string][] = [
      [
        'alert_insert',
        `AFTER INSERT ON alert BEGIN ${log(`NEW.project_id, 'row', NULL, ${projectPath('NEW')}`)}`,
      ],
      [
        'alert_delete',
        `AFTER DELETE ON alert BEGIN ${log(`OLD.project_id, 'row', ${projectPath('OLD')}, NULL`)}`,
      ],
      [
        'alert_update',
        `AFTER UPDATE ON alert WHEN NEW.severity IS NOT OLD.severity OR NEW.state IS NOT OLD.state
          OR NEW.project_id IS NOT OLD.project_id BEGIN
          ${log(`NEW.project_id, 'row', ${projectPath('OLD')}, ${projectPath('NEW')}`)}`,
      ],
    ];
    for (const [name, body] of triggers)
      await queryRunner.query(`CREATE TRIGGER "change_log_${name}" ${body} END`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['alert_insert', 'alert_delete', 'alert_update'])
      await queryRunner.query(`DROP TRIGGER "change_log_${name}"`);
  }
}
