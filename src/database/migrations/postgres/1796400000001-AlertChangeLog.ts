import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The list shows and filters by each project's highest open alert (预警等级), so an alert that
 * opens, closes or changes severity is a `row` change of its project in the change log (the
 * ChangeLog migration's `change_log_child`); a scan that only re-stamps an alert logs nothing.
 * The same as the SQLite migration of the same name.
 */
export class AlertChangeLog1796400000001 implements MigrationInterface {
  name = 'AlertChangeLog1796400000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TRIGGER change_log_alert AFTER INSERT OR DELETE ON alert
        FOR EACH ROW EXECUTE FUNCTION change_log_child('row')`,
    );
    await queryRunner.query(
      `CREATE TRIGGER change_log_alert_update AFTER UPDATE ON alert FOR EACH ROW
        WHEN (NEW.severity IS DISTINCT FROM OLD.severity OR NEW.state IS DISTINCT FROM OLD.state
          OR NEW.project_id IS DISTINCT FROM OLD.project_id)
        EXECUTE FUNCTION change_log_child('row')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER change_log_alert_update ON alert`);
    await queryRunner.query(`DROP TRIGGER change_log_alert ON alert`);
  }
}
