import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change log (see `Database.changesSince`): triggers record which project each commit touched,
 * so the list's page cache drops only the pages a change can alter. `row`: a column the list
 * filters or sorts on, or a progress report (the as-of status); `item`: only what a page shows of
 * the project (its other columns, budget revisions, funding lines, payments); `all`: a region.
 * Rows older than an hour are pruned on every 1,000th entry.
 *
 * SQLite drops a table's triggers with it: a later migration that rebuilds `project` (TypeORM's
 * `temporary_project` copy) must create them again — test/e2e/database.e2e-spec.ts checks them.
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
const pathOf = (row: string) => `(SELECT path FROM region WHERE id = ${row}.region_id)`;
const projectPath = (row: string) =>
  `(SELECT r.path FROM project p JOIN region r ON r.id = p.region_id WHERE p.id = ${row}.project_id)`;

export class ChangeLog1796233251411 implements MigrationInterface {
  name = 'ChangeLog1796233251411';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_04b2220b9ce5a60c0319a68b9e" ON "project" ("region_id", "status", "archived_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "change_log" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "project_id" integer,
        "kind" varchar(4) NOT NULL, "old_path" varchar(255), "new_path" varchar(255),
        "at" integer NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS integer)))`,
    );
    const unchanged = LIST_COLUMNS.map((c) => `NEW.${c} IS OLD.${c}`).join(' AND ');
    const log = (values: string) =>
      `INSERT INTO change_log (project_id, kind, old_path, new_path) VALUES (${values});`;
    const triggers: [string, string, string][] = [
      ['project_insert', 'INSERT ON project', log(`NEW.id, 'row', NULL, ${pathOf('NEW')}`)],
      ['project_delete', 'DELETE ON project', log(`OLD.id, 'row', ${pathOf('OLD')}, NULL`)],
      [
        'project_update',
        'UPDATE ON project',
        log(
          `NEW.id, CASE WHEN ${unchanged} THEN 'item' ELSE 'row' END, ${pathOf('OLD')}, ${pathOf('NEW')}`,
        ),
      ],
    ];
    for (const [table, kind] of [
      ['progress_report', 'row'],
      ['budget_revision', 'item'],
      ['funding_line', 'item'],
      ['payment', 'item'],
    ]) {
      triggers.push(
        [
          `${table}_insert`,
          `INSERT ON ${table}`,
          log(`NEW.project_id, '${kind}', NULL, ${projectPath('NEW')}`),
        ],
        [
          `${table}_delete`,
          `DELETE ON ${table}`,
          log(`OLD.project_id, '${kind}', ${projectPath('OLD')}, NULL`),
        ],
        [
          `${table}_update`,
          `UPDATE ON ${table}`,
          log(`NEW.project_id, '${kind}', ${projectPath('OLD')}, ${projectPath('NEW')}`) +
            ` INSERT INTO change_log (project_id, kind, old_path) SELECT OLD.project_id, '${kind}', ${projectPath('OLD')}` +
            ` WHERE OLD.project_id IS NOT NEW.project_id;`,
        ],
      );
    }
    // a region renamed, moved or removed: every page may change
    triggers.push(
      ['region_update', 'UPDATE ON region', log(`NULL, 'all', NULL, NULL`)],
      ['region_delete', 'DELETE ON region', log(`NULL, 'all', NULL, NULL`)],
    );
    for (const [name, on, body] of triggers)
      await queryRunner.query(`CREATE TRIGGER "change_log_${name}" AFTER ${on} BEGIN ${body} END`);
    await queryRunner.query(
      `CREATE TRIGGER "change_log_prune" AFTER INSERT ON change_log WHEN NEW.seq % 1000 = 0
        BEGIN DELETE FROM change_log WHERE at < NEW.at - 3600; END`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const triggers = (await queryRunner.query(
      `SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'change_log_%'`,
    )) as { name: string }[];
    for (const t of triggers) await queryRunner.query(`DROP TRIGGER "${t.name}"`);
    await queryRunner.query(`DROP TABLE "change_log"`);
    await queryRunner.query(`DROP INDEX "IDX_04b2220b9ce5a60c0319a68b9e"`);
  }
}
