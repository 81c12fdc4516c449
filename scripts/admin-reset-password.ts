/**
 * `npm run admin:reset-password -- USER`: a new password for USER (the first admin: `admin`) set from
 * the server's shell, for whoever lost theirs. Uses the installation the app uses (SQLITE_PATH or
 * DATABASE_URL, as the app reads them); the app may be running. The new password is generated and
 * printed once, or taken from NEW_PASSWORD (it must meet the password rule). The user must change it
 * at the next sign-in; a 停用 account is enabled again; the user's sessions end; 操作日志 records it as
 * `system/shell`. Exit code 0 on success, 2 when refused (the message says why), 1 on any other failure.
 */
import { framed } from '../src/auth/admin-notice';
import { resetPasswordFromShell, ShellResetRefused } from '../src/auth/shell-reset';
import { Clock } from '../src/common/clock';
import { loadConfig } from '../src/config/app-config';
import { Database } from '../src/database/database';
import { ENTITIES } from '../src/entities';
import * as fs from 'node:fs';

async function main(): Promise<void> {
  const [username] = process.argv.slice(2);
  if (!username)
    throw new ShellResetRefused(
      '用法：npm run admin:reset-password -- 用户名（首个管理员为 admin）',
    );
  const config = loadConfig();
  // a wrong SQLITE_PATH must not create (and migrate) a new, empty database
  if (config.dialect === 'sqlite' && !fs.existsSync(config.sqlitePath))
    throw new ShellResetRefused(
      `数据库文件不存在：${config.sqlitePath}（请检查 SQLITE_PATH，应与系统运行时使用的相同；未创建任何文件）`,
    );
  const db = await Database.open(config, ENTITIES);
  try {
    const chosen = process.env.NEW_PASSWORD?.length ? process.env.NEW_PASSWORD : null;
    const where = config.dialect === 'sqlite' ? config.sqlitePath : 'DATABASE_URL 所指的数据库';
    const r = await resetPasswordFromShell(db, new Clock(config), username, chosen).catch(
      (e: unknown) => {
        // say which database was searched: a wrong SQLITE_PATH is the usual cause
        throw e instanceof ShellResetRefused
          ? new ShellResetRefused(`${e.message}（数据库：${where}）`)
          : e;
      },
    );
    const lines = [
      `已重置用户“${r.username}”的密码（已记入操作日志，操作人 system/shell）`,
      ...(r.generated
        ? [`新密码：${r.generated}`]
        : ['新密码：（NEW_PASSWORD 中给定的，不在此显示）']),
      '下次登录后须修改密码；该用户原有的登录会话已全部退出。',
      ...(r.reenabled ? ['该账号原为停用状态，已重新启用。'] : []),
    ];
    console.log(framed(lines));
  } finally {
    await db.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(e instanceof ShellResetRefused ? 2 : 1);
});
