import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change log (see `Database.changesSince`): triggers record which project each commit touched,
 * with the transaction's id, so the list's page cache drops only the pages a change can alter —
 * the commits between two snapshots are the rows visible in the second and not in the first.
 * `row`: a column the list filters or sorts on, or a progress report (the as-of status); `item`:
 * only what a page shows of the project; `all`: a region. Rows older than an hour are pruned on
 * every 1,000th entry. The same kinds as the SQLite migration of the same name.
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
const CHILD_TABLES: [string, 'row' | 'item'][] = [
  ['progress_report', 'row'],
  ['budget_revision', 'item'],
  ['funding_line', 'item'],
  ['payment', 'item'],
];

export class ChangeLog1796233273636 implements MigrationInterface {
  name = 'ChangeLog1796233273636';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_04b2220b9ce5a60c0319a68b9e" ON "project"  ("region_id", "status", "archived_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "change_log" ("seq" BIGSERIAL NOT NULL PRIMARY KEY,
        "xid" xid8 NOT NULL DEFAULT pg_current_xact_id(), "project_id" integer,
        "kind" varchar(4) NOT NULL, "old_path" varchar(255), "new_path" varchar(255),
        "at" timestamptz NOT NULL DEFAULT clock_timestamp())`,
    );
    await queryRunner.query(`CREATE INDEX "change_log_xid" ON "change_log" ("xid")`);
    await queryRunner.query(`CREATE INDEX "change_log_at" ON "change_log" ("at")`);
    const cols = (row: string) => LIST_COLUMNS.map((c) => `${row}.${c}`).join(', ');
    const path = (regionId: string) => `(SELECT path FROM region WHERE id = ${regionId})`;
    const projectPath = (projectId: string) =>
      `(SELECT r.path FROM project p JOIN region r ON r.id = p.region_id WHERE p.id = ${projectId})`;
    await queryRunner.query(`CREATE FUNCTION change_log_project() RETURNS trigger LANGUAGE plpgsql AS $$
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
      END $$`);
    await queryRunner.query(`CREATE FUNCTION change_log_child() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          INSERT INTO change_log (project_id, kind, old_path) VALUES (OLD.project_id, TG_ARGV[0], ${projectPath('OLD.project_id')});
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
          INSERT INTO change_log (project_id, kind, new_path) VALUES (NEW.project_id, TG_ARGV[0], ${projectPath('NEW.project_id')});
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE FUNCTION change_log_region() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO change_log (kind) VALUES ('all'); RETURN NULL; END $$`);
    await queryRunner.query(`CREATE FUNCTION change_log_prune() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN DELETE FROM change_log WHERE at < clock_timestamp() - interval '1 hour'; RETURN NULL; END $$`);
    await queryRunner.query(
      `CREATE TRIGGER change_log_project AFTER INSERT OR UPDATE OR DELETE ON project
        FOR EACH ROW EXECUTE FUNCTION change_log_project()`,
    );
    for (const [table, kind] of CHILD_TABLES)
      await queryRunner.query(
        `CREATE TRIGGER change_log_${table} AFTER INSERT OR UPDATE OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION change_log_child('${kind}')`,
      );
    await queryRunner.query(
      `CREATE TRIGGER change_log_region AFTER UPDATE OR DELETE ON region
        FOR EACH ROW EXECUTE FUNCTION change_log_region()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER change_log_prune AFTER INSERT ON change_log
        FOR EACH ROW WHEN (NEW.seq % 1000 = 0) EXECUTE FUNCTION change_log_prune()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER change_log_region ON region`);
    for (const [table] of CHILD_TABLES)
      await queryRunner.query(`DROP TRIGGER change_log_${table} ON ${table}`);
    await queryRunner.query(`DROP TRIGGER change_log_project ON project`);
    await queryRunner.query(`DROP TABLE "change_log"`);
    for (const f of ['project', 'child', 'region', 'prune'])
      await queryRunner.query(`DROP FUNCTION change_log_${f}()`);
    await queryRunner.query(`DROP INDEX "public"."IDX_04b2220b9ce5a60c0319a68b9e"`);
  }
}
