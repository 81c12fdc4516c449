import { PageView } from '../../common/page.view';
import type { Role } from '../../common/actor';

/** A user account as the admin sees it. */
export class UserView {
  id: number;
  username: string;
  /** 姓名 */
  displayName: string | null;
  /** 手机号 */
  phone: string | null;
  role: Role;
  regionId: number | null;
  disabled: boolean;
  /** The password was set by an admin: the user must change it at the next web sign-in. */
  mustChangePassword: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export class UserPageView extends PageView {
  items: UserView[];
}
