import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ACTIONS,
  allowedActions,
  can,
  deniedReason,
  PERMISSIONS,
  PermissionTable,
  permissionsMarkdown,
  projectFieldAction,
  ROLES,
  rolesFor,
  whoMay,
} from './permissions';
import { ROLE_LABELS } from './vocabulary';

describe('the permission table', () => {
  it('says who may edit 资金测算 and project data, field by field', () => {
    expect(rolesFor(PERMISSIONS, 'project.edit.budget')).toEqual(['admin', 'finance']);
    expect(rolesFor(PERMISSIONS, 'project.edit.data')).toEqual(['admin', 'infrastructure']);
    expect(projectFieldAction('budgetWan')).toBe('project.edit.budget');
    expect(projectFieldAction('town')).toBe('project.edit.data');
    expect(projectFieldAction('status')).toBe('project.edit.data');
    // a new project with a budget needs both: today only the admin
    expect(rolesFor(PERMISSIONS, 'project.create', 'project.edit.budget')).toEqual(['admin']);
  });

  it('gives the viewer nothing and the admin everything', () => {
    expect(allowedActions(PERMISSIONS, 'viewer')).toEqual([]);
    expect(allowedActions(PERMISSIONS, 'admin')).toEqual(ACTIONS);
    expect(allowedActions(PERMISSIONS, 'finance')).toEqual([
      'project.edit.budget',
      'budget.revise',
      'funding.write',
      'plan.write',
      'alert.scan',
      'alert.ack',
      'submission.submit',
      'submission.review',
      'submission.remind',
      'attachment.upload',
    ]);
  });

  it('follows a moved rule in a copy, leaving the original alone', () => {
    const copy: PermissionTable = {
      ...PERMISSIONS,
      'project.edit.budget': { ...PERMISSIONS['project.edit.budget'], roles: ['admin'] },
    };
    expect(can(copy, 'finance', 'project.edit.budget')).toBe(false);
    expect(can(PERMISSIONS, 'finance', 'project.edit.budget')).toBe(true);
    expect(deniedReason(copy, 'project.edit.budget', ROLE_LABELS)).toBe('仅管理员可修改资金测算');
  });

  it('gives the reason in words, naming the admin only when no officer may', () => {
    expect(deniedReason(PERMISSIONS, 'project.edit.budget', ROLE_LABELS)).toBe(
      '仅计财股可修改资金测算',
    );
    expect(deniedReason(PERMISSIONS, 'import.run', ROLE_LABELS)).toBe('仅基建股可导入规划表');
    expect(whoMay(PERMISSIONS, 'alert.ack', ROLE_LABELS)).toBe('基建股、计财股');
    expect(deniedReason(PERMISSIONS, 'user.admin', ROLE_LABELS)).toBe('仅管理员可管理用户');
  });

  it('lists only known roles, each once, and a 403 code for every action', () => {
    for (const a of ACTIONS) {
      const roles = PERMISSIONS[a].roles as readonly string[];
      expect(new Set(roles).size).toBe(roles.length);
      expect(roles.every((r) => (ROLES as readonly string[]).includes(r))).toBe(true);
      expect(PERMISSIONS[a].code).toMatch(/^FORBIDDEN/);
    }
  });

  it('is the table README shows under "Who may do what" (npm run permissions:readme)', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const found = /<!-- permissions:begin[^>]*-->\n([\s\S]*?)\n<!-- permissions:end -->/.exec(
      readme,
    );
    expect(found?.[1]).toBe(permissionsMarkdown(PERMISSIONS, ROLE_LABELS));
    expect(found?.[1].split('\n')[4]).toBe(
      '| `project.edit.budget` | 修改资金测算 | ✓ | ✓ | – | – |',
    );
  });

  it('is what the web asks: no web source compares roles by hand (web/src/permissions.ts can())', () => {
    const root = path.join(__dirname, '..', '..', 'web', 'src');
    const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) =>
      /\.(ts|vue)$/.test(f),
    );
    const byHand = files.filter((f) =>
      /\.role\b\s*(===|!==)|role\.value\s*(===|!==)|\.includes\(session\.user\?\.role/.test(
        fs.readFileSync(path.join(root, f), 'utf8'),
      ),
    );
    expect(files.length).toBeGreaterThan(20);
    expect(byHand).toEqual([]);
  });
});
