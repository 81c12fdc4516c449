import { In, Not, IsNull, Repository } from 'typeorm';
import { User } from '../auth/user.entity';

/**
 * The 姓名 of the users with these usernames (those who have one), so a screen can name a person
 * as 姓名（用户名） (vocabulary `actorLabel`) wherever the record keeps only the username.
 */
export async function displayNames(
  users: Repository<User>,
  usernames: Iterable<string>,
): Promise<Map<string, string>> {
  const names = [...new Set(usernames)].filter((n) => n && n !== 'system');
  if (!names.length) return new Map();
  const rows = await users.find({
    select: { username: true, displayName: true },
    where: { username: In(names), displayName: Not(IsNull()) },
  });
  return new Map(rows.map((u) => [u.username, u.displayName!]));
}
