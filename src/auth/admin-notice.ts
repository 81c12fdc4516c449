import { textWidth } from '../excel/cells';

/**
 * A block framed in box-drawing characters (CJK counted two columns wide), so a password printed at
 * start-up stands out from the log around it.
 */
export function framed(lines: string[]): string {
  const width = Math.max(...lines.map((l) => textWidth(l)));
  const pad = (l: string) => l + ' '.repeat(width - textWidth(l));
  return [
    `╔${'═'.repeat(width + 4)}╗`,
    ...lines.map((l) => `║  ${pad(l)}  ║`),
    `╚${'═'.repeat(width + 4)}╝`,
  ].join('\n');
}

/**
 * The sign-in address the first start prints: PUBLIC_URL when it is set (the address staff open,
 * e.g. behind a proxy), else this machine's port.
 */
export function signInAddress(
  publicUrlEnv: string | undefined,
  publicUrl: string,
  port: number,
): string {
  return publicUrlEnv?.trim() ? `${publicUrl.replace(/\/+$/, '')}/` : `http://localhost:${port}/`;
}

/** What the first start prints last, after the server listens: the first admin's generated password. */
export function firstAdminNotice(username: string, password: string, url: string): string {
  return framed([
    '首个管理员账号已创建（密码只显示这一次，请立即记下）',
    '',
    `用户名：${username}`,
    `初始密码：${password}`,
    '',
    `登录地址：${url}`,
    '首次登录后须修改密码（登录后会自动转到「修改密码」）。',
    '忘记密码：在服务器上运行 npm run admin:reset-password -- admin',
    '也可在首次启动前设置环境变量 ADMIN_PASSWORD 自选初始密码。',
  ]);
}
