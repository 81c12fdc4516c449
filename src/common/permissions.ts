/**
 * Who may do what, said once: every role × action (× project field) rule of the tracker. The server's
 * guard (`@Can(action)`), the services and the import ask `can(table, role, action)` through the
 * `Permissions` provider; `GET /api/auth/me` answers the caller's allowed actions (`can`), which the
 * web uses to hide or disable controls (web/src/permissions.ts, with the reason in words); README's
 * "Who may do what" table is written from it (`npm run permissions:readme`) and checked by its spec;
 * the role × endpoint matrix test (test/e2e/roles-scope.e2e-spec.ts) reads it. No imports, so the web
 * bundle takes only the table.
 *
 * Moving a rule is one line here: e.g. `'project.edit.budget': { roles: ['admin', 'finance'] … }`.
 * An action's roles are complete (admin is listed like any other role, nothing is implied).
 *
 * Coming next (the reporting cycle, attachments): add their actions here in the same shape, e.g.
 *   'report.submit': { roles: ['admin', 'infrastructure'], what: '提交月度填报', code: 'FORBIDDEN' },
 *   'report.review': { roles: ['admin', 'finance'], what: '审核月度填报', code: 'FORBIDDEN' },
 *   'attachment.upload': { roles: ['admin', 'infrastructure', 'finance'], what: '上传附件', code: 'FORBIDDEN' },
 * then guard the routes with `@Can('report.submit')` and let the web ask `can('report.submit')`.
 */
export const ROLES = ['admin', 'finance', 'infrastructure', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

interface PermissionRule {
  /** The roles that may (complete: admin is not implied). */
  readonly roles: readonly Role[];
  /** What the action does, in words (Chinese): the web's "仅…可{what}" reason and README's table. */
  readonly what: string;
  /** The 403 answer's message code when a service refuses it (the guard answers FORBIDDEN). */
  readonly code:
    | 'FORBIDDEN'
    | 'FORBIDDEN_BUDGET'
    | 'FORBIDDEN_PROJECT_DATA'
    | 'FORBIDDEN_WITHDRAW'
    | 'FORBIDDEN_WITHDRAW_ATTACHMENT';
}

const DATA = ['admin', 'infrastructure'] as const satisfies readonly Role[];
const MONEY = ['admin', 'finance'] as const satisfies readonly Role[];
const OFFICERS = ['admin', 'infrastructure', 'finance'] as const satisfies readonly Role[];

export const PERMISSIONS = {
  // projects: 基建股's data, 计财股's 资金测算 (PROJECT_FIELD_ACTIONS says which field is which)
  'project.create': { roles: DATA, what: '新增项目', code: 'FORBIDDEN_PROJECT_DATA' },
  'project.edit.data': { roles: DATA, what: '修改项目信息与状态', code: 'FORBIDDEN_PROJECT_DATA' },
  'project.edit.budget': { roles: MONEY, what: '修改资金测算', code: 'FORBIDDEN_BUDGET' },
  // archive, unarchive and DELETE (which archives: projects are never deleted)
  'project.archive': { roles: DATA, what: '归档或取消归档项目', code: 'FORBIDDEN' },
  // progress and milestones
  'progress.file': { roles: DATA, what: '填报进展', code: 'FORBIDDEN' },
  // a report is withdrawn by its author or an officer of the author's role and region; these by anyone's
  'progress.withdraw': { roles: DATA, what: '撤回进展填报', code: 'FORBIDDEN' },
  'progress.withdraw.any': {
    roles: ['admin'],
    what: '撤回他人的进展填报',
    code: 'FORBIDDEN_WITHDRAW',
  },
  'milestone.edit': { roles: DATA, what: '新增或修改里程碑', code: 'FORBIDDEN' },
  // money
  'budget.revise': { roles: MONEY, what: '调整或撤回概算', code: 'FORBIDDEN_BUDGET' },
  'funding.write': { roles: MONEY, what: '修改资金来源与支付', code: 'FORBIDDEN_BUDGET' },
  'plan.write': { roles: MONEY, what: '新增或修改规划目标', code: 'FORBIDDEN' },
  // the plan table's import (each row also needs the project actions above for what it changes)
  'import.run': { roles: DATA, what: '导入规划表', code: 'FORBIDDEN' },
  // alerts
  'alert.scan': { roles: OFFICERS, what: '重新扫描预警', code: 'FORBIDDEN' },
  'alert.ack': { roles: OFFICERS, what: '确认预警', code: 'FORBIDDEN' },
  // the monthly reporting cycle (月报报送): a region's officers submit its month, the parent's review
  'submission.submit': { roles: OFFICERS, what: '报送或撤回月报', code: 'FORBIDDEN' },
  'submission.review': {
    roles: OFFICERS,
    what: '审核下级月报（通过、退回、重新打开）',
    code: 'FORBIDDEN',
  },
  'submission.remind': { roles: OFFICERS, what: '催报', code: 'FORBIDDEN' },
  // attachments (附件, 进度照片): officers upload; viewers read. An attachment is withdrawn by its
  // uploader (any officer) or, anyone's, by an admin
  'attachment.upload': { roles: OFFICERS, what: '上传或撤回附件', code: 'FORBIDDEN' },
  'attachment.withdraw.any': {
    roles: ['admin'],
    what: '撤回他人上传的附件',
    code: 'FORBIDDEN_WITHDRAW_ATTACHMENT',
  },
  // administration
  'user.admin': { roles: ['admin'], what: '管理用户', code: 'FORBIDDEN' },
  'audit.read': { roles: ['admin'], what: '查看审计日志', code: 'FORBIDDEN' },
  'job.read.any': { roles: ['admin'], what: '查看他人的后台任务', code: 'FORBIDDEN' },
  // the reporting calendar: the holidays and 调休 of a year newer than the package (GET and PUT)
  'calendar.admin': { roles: ['admin'], what: '维护节假日与调休日历', code: 'FORBIDDEN' },
  // 地图边界: the official county boundaries with their 审图号 (upload and delete)
  'map.boundary': { roles: ['admin'], what: '上传或删除地图边界', code: 'FORBIDDEN' },
  // 通知设置 (the channels of a region within the admin's scope), 发送记录, revoking a download link
  'channels.manage': {
    roles: ['admin'],
    what: '管理通知渠道与发送记录',
    code: 'FORBIDDEN',
  },
} as const satisfies Record<string, PermissionRule>;

export type Action = keyof typeof PERMISSIONS;
/** A permission table: the one above, or a modified copy (tests move one rule). */
export type PermissionTable = Readonly<Record<Action, PermissionRule>>;

export const ACTIONS = Object.keys(PERMISSIONS) as Action[];

/**
 * The action that writes a project field: 资金测算 (`budgetWan`) is its own; every other field
 * (name, region, seats, dates, status, people…) is project data.
 */
const PROJECT_FIELD_ACTIONS: Readonly<Record<string, Action>> = {
  budgetWan: 'project.edit.budget',
};

export function projectFieldAction(field: string): Action {
  return PROJECT_FIELD_ACTIONS[field] ?? 'project.edit.data';
}

/** Whether the role may take the action under the table. */
export function can(table: PermissionTable, role: Role, action: Action): boolean {
  return table[action].roles.includes(role);
}

/** The actions the role may take, in the table's order (`GET /api/auth/me`'s `can`). */
export function allowedActions(table: PermissionTable, role: Role): Action[] {
  return ACTIONS.filter((a) => can(table, role, a));
}

/** The roles that may take every one of the actions (the matrix test's expectation). */
export function rolesFor(table: PermissionTable, ...actions: Action[]): Role[] {
  return ROLES.filter((r) => actions.every((a) => can(table, r, a)));
}

/**
 * Who may, in words: the officers' roles ("计财股", "基建股、计财股"); the admin, who may everything,
 * is named only when no other role may ("管理员").
 */
export function whoMay(
  table: PermissionTable,
  action: Action,
  labels: Readonly<Record<Role, string>>,
): string {
  const roles = table[action].roles;
  const officers = roles.filter((r) => r !== 'admin');
  return (officers.length ? officers : roles).map((r) => labels[r]).join('、');
}

/** Why a control is off, in words: "仅计财股可修改资金测算". */
export function deniedReason(
  table: PermissionTable,
  action: Action,
  labels: Readonly<Record<Role, string>>,
): string {
  const who = whoMay(table, action, labels);
  return who ? `仅${who}可${table[action].what}` : `无人可${table[action].what}`;
}

/** README's "Who may do what" table (markdown), written between its markers and checked by a spec. */
export function permissionsMarkdown(
  table: PermissionTable,
  labels: Readonly<Record<Role, string>>,
): string {
  const head = `| action | 说明 | ${ROLES.map((r) => `\`${r}\` (${labels[r]})`).join(' | ')} |`;
  const rule = `|---|---|${ROLES.map(() => ':-:').join('|')}|`;
  const rows = ACTIONS.map(
    (a) =>
      `| \`${a}\` | ${table[a].what} | ${ROLES.map((r) => (can(table, r, a) ? '✓' : '–')).join(' | ')} |`,
  );
  return [head, rule, ...rows].join('\n');
}
