/**
 * Writes a migration for one dialect from the difference between the entities and a database
 * migrated to the latest checked-in migration. Usage:
 *   npm run migration:generate -- sqlite Init
 *   DATABASE_URL=postgres://… npm run migration:generate -- postgres Init
 * Then add the class to src/database/migrations/index.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source';
import { ENTITIES } from '../src/entities';

async function main(): Promise<void> {
  const [dialect, name] = process.argv.slice(2);
  if ((dialect !== 'sqlite' && dialect !== 'postgres') || !name)
    throw new Error('usage: generate-migration sqlite|postgres Name');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-'));
  const ds = new DataSource(
    dataSourceOptions(
      {
        dialect,
        sqlitePath: path.join(tmp, 'g.sqlite'),
        databaseUrl: process.env.DATABASE_URL ?? null,
      },
      ENTITIES,
    ),
  );
  await ds.initialize();
  await ds.runMigrations();
  const sql = await ds.driver.createSchemaBuilder().log();
  await ds.destroy();
  if (!sql.upQueries.length) {
    console.log('no changes');
    return;
  }
  const ts = Date.now();
  const className = `${name}${ts}`;
  const q = (s: string) => '`' + s.replace(/`/g, '\\`') + '`';
  const up = sql.upQueries.map(
    (x) =>
      `    await queryRunner.query(${q(x.query)}${x.parameters?.length ? ', ' + JSON.stringify(x.parameters) : ''});`,
  );
  const down = sql.downQueries
    .reverse()
    .map(
      (x) =>
        `    await queryRunner.query(${q(x.query)}${x.parameters?.length ? ', ' + JSON.stringify(x.parameters) : ''});`,
    );
  const file = path.join(
    __dirname,
    '..',
    'src',
    'database',
    'migrations',
    dialect,
    `${ts}-${name}.ts`,
  );
  fs.writeFileSync(
    file,
    `import { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${className} implements MigrationInterface {\n  name = '${className}';\n\n  public async up(queryRunner: QueryRunner): Promise<void> {\n${up.join('\n')}\n  }\n\n  public async down(queryRunner: QueryRunner): Promise<void> {\n${down.join('\n')}\n  }\n}\n`,
  );
  console.log(`wrote ${file} (${className})`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
