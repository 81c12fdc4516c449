/**
 * `npm run backup -- DIR`: a consistent copy of the configured installation (the same variables
 * the app reads: SQLITE_PATH or DATABASE_URL, JOBS_DIR) into DIR, new or empty, while the app runs:
 * the database (SQLite's online backup API / `pg_dump -Fc`), the job files and every other file of
 * the data folder, and manifest.json with the SHA-256 of each. Exit code 0 on success, 2 when
 * refused (the message says why), 1 on any other failure.
 */
import { backup, OpsError } from '../src/backup/backup';
import { loadConfig } from '../src/config/app-config';

async function main(): Promise<void> {
  const [dir] = process.argv.slice(2);
  if (!dir) throw new OpsError('用法：npm run backup -- 备份文件夹（新建或空的文件夹）');
  const manifest = await backup(loadConfig(), dir, (s) => console.log(s));
  console.log(
    `备份完成：${manifest.database.kind}，${manifest.files.length} 个文件，${manifest.createdAt}`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(e instanceof OpsError ? 2 : 1);
});
