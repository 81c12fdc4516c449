/**
 * `npm run restore -- DIR`: checks the backup in DIR against its manifest (size and SHA-256 of
 * every file), then restores it into the configured installation, which must be empty: no file in
 * the data folder (SQLITE_PATH's folder) or JOBS_DIR and, with DATABASE_URL, an empty database
 * (`pg_restore`). Refuses anything else and restores nothing: exit code 2 with the reason.
 * Stop the app first when restoring over a folder it used; start it on the restored data after.
 */
import { OpsError, restore } from '../src/backup/backup';
import { loadConfig } from '../src/config/app-config';

async function main(): Promise<void> {
  const [dir] = process.argv.slice(2);
  if (!dir) throw new OpsError('用法：npm run restore -- 备份文件夹');
  await restore(loadConfig(), dir, (s) => console.log(s));
  console.log('恢复完成，可以启动应用');
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(e instanceof OpsError ? 2 : 1);
});
