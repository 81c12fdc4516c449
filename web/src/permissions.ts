import {
  deniedReason,
  PERMISSIONS,
  whoMay as whoMayIn,
  type Action,
} from '../../src/common/permissions';
import { ROLE_LABELS } from '../../src/common/vocabulary';
import { useSession } from './stores/session';

export type { Action };

/**
 * Whether the signed-in user may take an action of the permission table (src/common/permissions.ts):
 * the server's answer (`GET /api/auth/me`'s `can`), so the web hides or disables exactly what the API
 * would refuse. Reactive inside a computed or a template.
 */
export function can(action: Action): boolean {
  return useSession().user?.can?.includes(action) ?? false;
}

/** The roles that may, in words (ROLE_LABELS): for a hint under a field that another role fills in. */
export function whoMay(action: Action): string {
  return whoMayIn(PERMISSIONS, action, ROLE_LABELS);
}

/** Why a control is disabled, in words ("仅计财股、管理员可修改资金测算"); '' when the user may. */
export function whyNot(action: Action): string {
  return can(action) ? '' : deniedReason(PERMISSIONS, action, ROLE_LABELS);
}
