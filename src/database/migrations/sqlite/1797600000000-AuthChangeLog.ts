import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change log records `auth` when a user or a session changes what the session check reads
 * (the user's name, role, region, disabled flag and token generation; the session's owner and
 * end). The same entries as the PostgreSQL migration of the same name, one per row here (SQLite
 * has no statement triggers). SQLite's session check reads its rows again after any commit — a
 * local read — so only PostgreSQL's consults these (`Database.authChanged`).
 */
const TRIGGERS: [string, string][] = [
  ['change_log_user_insert', 'INSERT ON "user"'],
  ['change_log_user_delete', 'DELETE ON "user"'],
  [
    'change_log_user_update',
    'UPDATE OF username, role, region_id, disabled, token_generation ON "user"',
  ],
  ['change_log_session_delete', 'DELETE ON auth_session'],
  ['change_log_session_update', 'UPDATE OF user_id, ended_at ON auth_session'],
];

export class AuthChangeLog1797600000000 implements MigrationInterface {
  name = 'AuthChangeLog1797600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const [name, on] of TRIGGERS)
      await queryRunner.query(
        `CREATE TRIGGER "${name}" AFTER ${on} BEGIN INSERT INTO change_log (kind) VALUES ('auth'); END`,
      );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [name] of TRIGGERS) await queryRunner.query(`DROP TRIGGER "${name}"`);
  }
}
