import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change log records `auth` when a user or a session changes what the session check reads
 * (`AuthService.actorFromToken`: the user's name, role, region, disabled flag and token
 * generation; the session's owner and end), so that check reads the rows again only after such a
 * commit instead of after every commit (`Database.authChanged`). One entry per statement, with no
 * project. The same triggers as the SQLite migration of the same name.
 */
export class AuthChangeLog1797600000001 implements MigrationInterface {
  name = 'AuthChangeLog1797600000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION change_log_auth() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO change_log (kind) VALUES ('auth'); RETURN NULL; END $$`);
    await queryRunner.query(`CREATE TRIGGER change_log_user
      AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF username, role, region_id, disabled, token_generation
      ON "user" FOR EACH STATEMENT EXECUTE FUNCTION change_log_auth()`);
    await queryRunner.query(`CREATE TRIGGER change_log_session
      AFTER DELETE OR TRUNCATE OR UPDATE OF user_id, ended_at
      ON auth_session FOR EACH STATEMENT EXECUTE FUNCTION change_log_auth()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER change_log_session ON auth_session`);
    await queryRunner.query(`DROP TRIGGER change_log_user ON "user"`);
    await queryRunner.query(`DROP FUNCTION change_log_auth()`);
  }
}
