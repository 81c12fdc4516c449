import { ApiProperty } from '@nestjs/swagger';
import type { Role } from '../../common/actor';
import { ACTIONS, type Action } from '../../common/permissions';

/**
 * The answer of a sign-in, refresh or password change. For a web client (`X-Tracker-Client: web`)
 * the token is only in the HttpOnly cookie and `accessToken` is left out.
 */
export class SessionView {
  /** The bearer token; absent for a web client (it is in the cookie). */
  accessToken?: string;
  tokenType: 'Bearer';
  /** Seconds until it expires unless renewed with POST /api/auth/refresh. */
  expiresIn: number;
  /** The password was set by an admin: the web sends the user to 修改密码 first. */
  mustChangePassword: boolean;
}

/** `POST /api/auth/logout`. */
export class LogoutView {
  loggedOut: boolean;
}

/** `GET /api/auth/me`: the signed-in user. */
export class MeView {
  id: number | null;
  username: string;
  /** 姓名 (what the top bar shows, the username beside it); null when none was given. */
  displayName: string | null;
  role: Role;
  /** The region the user is scoped to (with everything below it); null = everything. */
  regionId: number | null;
  /** The sign-in this session belongs to. */
  sessionId?: string;
  /** A password set by an admin, to be changed in the web first. */
  mustChangePassword: boolean;
  /** What the permission table allows the user's role, in the table's order: the web's controls follow it. */
  @ApiProperty({ enum: ACTIONS, isArray: true, enumName: 'Action' })
  can: Action[];
}
