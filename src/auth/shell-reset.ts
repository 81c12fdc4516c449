import { Actor } from '../common/actor';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { MESSAGES } from '../common/messages';
import { Database } from '../database/database';
import { AuthService } from './auth.service';
import { hashPassword } from './password';
import { generateAcceptablePassword, passwordProblem } from './password-policy';
import { User } from './user.entity';

/** Who a password set from the server's shell is recorded as in 操作日志. */
export const SHELL_ACTOR: Actor = {
  id: null,
  username: 'system/shell',
  role: 'admin',
  regionId: null,
};

/** A reset that cannot be done (no such user, a refused password): the message says why. */
export class ShellResetRefused extends Error {}

export interface ShellResetResult {
  username: string;
  /** The new password when it was generated (to print once); null when the caller chose it. */
  generated: string | null;
  /** The account was 停用 and is enabled again. */
  reenabled: boolean;
}

/**
 * `npm run admin:reset-password -- USER`: sets a new password for a user from the server's shell,
 * for whoever lost theirs (the first admin above all). The password is generated (or `chosen`, which
 * must meet the password rule); the user must change it at the next sign-in; a 停用 account is
 * enabled again; every session ends; one audit row records it as `system/shell`. A running server
 * lets the user in at once: the sign-in throttle forgets failures older than the reset (AuthService.login).
 */
export async function resetPasswordFromShell(
  db: Database,
  clock: Clock,
  username: string,
  chosen: string | null,
): Promise<ShellResetResult> {
  const user = await db.write.getRepository(User).findOneBy({ username });
  if (!user) throw new ShellResetRefused(`没有用户名为“${username}”的用户`);
  const password = chosen ?? generateAcceptablePassword(user.username);
  const problem = passwordProblem(password, user.username);
  if (problem) throw new ShellResetRefused(`密码不符合要求：${MESSAGES[problem]}`);
  const passwordHash = await hashPassword(password);
  const audit = new AuditService(clock);
  return db.transaction(async (em) => {
    const u = await em.findOneByOrFail(User, { id: user.id });
    const updatedAt = clock.now().toISOString();
    await em
      .createQueryBuilder()
      .update(User)
      .set({
        passwordHash,
        mustChangePassword: true,
        disabled: false,
        updatedAt,
        version: () => 'version + 1',
      })
      .where('id = :id', { id: u.id })
      .execute();
    await AuthService.revokeAll(em, u.id, updatedAt);
    await audit.record(em, SHELL_ACTOR, {
      action: 'reset_password',
      entity: 'user',
      entityId: u.id,
      changes: {
        password: { old: '（已隐藏）', new: '（已重置）' },
        ...(u.mustChangePassword ? {} : { mustChangePassword: { old: false, new: true } }),
        ...(u.disabled ? { disabled: { old: true, new: false } } : {}),
      },
    });
    return { username: u.username, generated: chosen ? null : password, reenabled: u.disabled };
  });
}
