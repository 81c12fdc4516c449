import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ALERT_KINDS, ALERT_STATES, SEVERITIES } from '../alerts/alert-rules';
import { FUNDING_SOURCES } from '../funding/funding.entities';
import { TARGET_MEASURES } from '../plans/plan.entity';
import { PROJECT_KINDS, PROJECT_STATUSES, STAGES } from '../projects/project-rules';
import { ROLES } from './actor';
import * as V from './vocabulary';

const root = path.resolve(__dirname, '..', '..');

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

/** The value labels: the words a screen or a sheet must take from the vocabulary, never restate. */
const VALUE_LABELS = [
  V.STATUS_LABELS,
  V.PROJECT_KIND_LABELS,
  V.STAGE_LABELS,
  V.ROLE_LABELS,
  V.ALERT_KIND_LABELS,
  V.SEVERITY_LABELS,
  V.SEVERITY_SHORT,
  V.ALERT_STATE_LABELS,
  V.SOURCE_LABELS,
  V.MEASURE_LABELS,
  V.PLAN_WORDS,
].flatMap((l) => Object.values(l) as string[]);

/**
 * Where a label's characters are part of something else, by file and the text around it. Each one
 * is a different word that happens to be spelled like a value label.
 */
const EXCEPTIONS: { file: RegExp; text: string; why: string }[] = [
  {
    file: /\.vue$/,
    text: '>取消</el-button>',
    why: 'the dialog button 取消 (cancel), not the status',
  },
  { file: /\.vue$/, text: "cancelButtonText: '取消'", why: 'the confirm box’s cancel button' },
  {
    file: /AdminView\.vue$/,
    text: "'已停用' : '正常'",
    why: 'a user account that is not disabled, not a plan target on track',
  },
  {
    file: /(MilestonesTab\.vue|monthly-report\.writer\.ts)$/,
    text: "'已完成'",
    why: 'a milestone done (its actual date given), not a plan target met',
  },
];

/** Screen sources (web/src) and sheet sources (the workbook writers), the vocabulary excepted. */
function sources(): string[] {
  const web = walk(path.join(root, 'web', 'src')).filter((f) => /\.(vue|ts)$/.test(f));
  const sheets = [
    ...walk(path.join(root, 'src', 'reports')).filter((f) => f.endsWith('.writer.ts')),
    path.join(root, 'src', 'imports', 'problems.workbook.ts'),
    path.join(root, 'src', 'projects', 'plan-table.export.ts'),
    ...walk(path.join(root, 'src', 'excel')).filter((f) => f.endsWith('.ts')),
  ];
  return [...web, ...sheets].filter((f) => !f.endsWith('.spec.ts') && !f.includes('vocabulary'));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every place a source states a label as a whole string literal or a whole template text. */
export function restatedLabels(files: string[]): string[] {
  const hits: string[] = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const label of new Set(VALUE_LABELS)) {
      const re = new RegExp(`(['"\`>])${escape(label)}(['"\`<])`, 'g');
      for (let m = re.exec(text); m; m = re.exec(text)) {
        const around = text.slice(Math.max(0, m.index - 20), m.index + label.length + 30);
        if (EXCEPTIONS.some((e) => e.file.test(file) && around.includes(e.text))) continue;
        const line = text.slice(0, m.index).split('\n').length;
        hits.push(`${path.relative(root, file)}:${line} ${label}`);
      }
    }
  }
  return hits;
}

describe('the one vocabulary', () => {
  it('is a module without imports, so the web bundle can take it', () => {
    const text = fs.readFileSync(path.join(__dirname, 'vocabulary.ts'), 'utf8');
    expect(text).not.toMatch(/^import\b/m);
    expect(text).not.toMatch(/\brequire\(/);
  });

  it('is the only place a screen or a sheet source states a value label', () => {
    expect(sources().length).toBeGreaterThan(20);
    expect(restatedLabels(sources())).toEqual([]);
  });

  it('catches a label stated in a screen source', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vocab-'));
    const file = path.join(tmp, 'Fake.vue');
    fs.writeFileSync(file, `<td>在建</td>\n<el-tag>{{ '县级财政' }}</el-tag>\nconst c = \`红色\`;`);
    expect(restatedLabels([file]).map((h) => h.replace(/^.*:/, ''))).toEqual([
      '1 在建',
      '3 红色',
      '2 县级财政',
    ]);
    fs.rmSync(tmp, { recursive: true });
  });

  it('has a label for every value of every enum', () => {
    const missing = (name: string, values: readonly string[], labels: Record<string, string>) =>
      values.filter((v) => !labels[v]).map((v) => `${name}.${v}`);
    expect([
      ...missing('status', PROJECT_STATUSES, V.STATUS_LABELS),
      ...missing('kind', PROJECT_KINDS, V.PROJECT_KIND_LABELS),
      ...missing('stage', STAGES, V.STAGE_LABELS),
      ...missing('source', FUNDING_SOURCES, V.SOURCE_LABELS),
      ...missing('role', ROLES, V.ROLE_LABELS),
      ...missing('alertKind', ALERT_KINDS, V.ALERT_KIND_LABELS),
      ...missing('severity', SEVERITIES, V.SEVERITY_LABELS),
      ...missing('severityShort', SEVERITIES, V.SEVERITY_SHORT),
      ...missing('alertState', ALERT_STATES, V.ALERT_STATE_LABELS),
      ...missing('measure', TARGET_MEASURES, V.MEASURE_LABELS),
    ]).toEqual([]);
  });

  it('has a label for every audit action and entity the server writes', () => {
    const actions = new Set<string>();
    const entities = new Set<string>();
    for (const f of walk(path.join(root, 'src')).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'),
    )) {
      const text = fs.readFileSync(f, 'utf8');
      // each audit.record({ action, entity … }) and the bulk "project created" rows
      for (const m of text.matchAll(/audit\.record\([^;]*?\{([^;]*?)\}\)/g)) {
        const body = m[1];
        for (const a of /action:\s*([^\n]*)/.exec(body)?.[1].matchAll(/'([a-z_]+)'/g) ?? [])
          actions.add(a[1]);
        for (const e of /entity:\s*([^\n]*)/.exec(body)?.[1].matchAll(/'([a-z_]+)'/g) ?? [])
          entities.add(e[1]);
      }
      for (const m of text.matchAll(/action: ('[a-z_]+'(?: \| '[a-z_]+')*); budgetReason/g))
        for (const a of m[1].matchAll(/'([a-z_]+)'/g)) actions.add(a[1]);
    }
    expect(actions.size).toBeGreaterThan(8);
    expect(entities.size).toBeGreaterThan(8);
    const actionLabels: Record<string, string> = V.ACTION_LABELS;
    const entityLabels: Record<string, string> = V.ENTITY_LABELS;
    expect([...actions].filter((a) => !actionLabels[a])).toEqual([]);
    expect([...entities].filter((e) => !entityLabels[e])).toEqual([]);
  });

  it('names one word for each pair issue 29 found', () => {
    expect(V.STAGE_LABELS.seniorSecondary).toBe('高中阶段');
    expect(V.PLAN_WORDS).toMatchObject({
      notStarted: '未开工',
      percent: '完成率',
      projected: '按当前进度预计',
      atRisk: '滞后',
      met: '已完成',
      missed: '未完成',
    });
    expect(V.planStanding({ atRisk: true, outcome: null })).toBe('滞后');
    expect(V.planStanding({ atRisk: false, outcome: null })).toBe('正常');
    expect(V.planStanding({ atRisk: true, outcome: 'missed' })).toBe('未完成');
    expect(V.planStanding({ atRisk: false, outcome: 'met' })).toBe('已完成');
    expect(Object.values(V.STATUS_LABELS)).not.toContain(V.PLAN_WORDS.notStarted);
    expect(V.FIELD_LABELS.budgetWan).toBe('资金测算');
    expect(V.ALERT_STATE_LABELS.open).toBe('未确认');
    expect(V.ROLE_LABELS.admin).toBe('管理员');
    expect(V.ACTION_LABELS.progress).toBe('进度填报');
    expect(V.ENTITY_LABELS.progress_report).toBe('进度填报');
    expect([V.fieldLabel('source', 'project'), V.fieldLabel('source', 'funding_line')]).toEqual([
      '数据来源',
      '资金来源',
    ]);
  });

  it('describes a change in words, never with an identifier', () => {
    const ctx: V.ChangeContext = {
      money: (w) => w,
      regionName: (id) => (id === 3 ? '连南瑶族自治县' : undefined),
    };
    expect(
      V.changeLines(
        'project',
        {
          regionId: { old: 3, new: 99 },
          boardingBeds: { old: 0, new: 120 },
          printedSubtotal: { old: null, new: 360 },
          seats: {
            old: { primary: 0, juniorMiddle: 0, total: 0 },
            new: { primary: 360, juniorMiddle: 0, total: 360 },
          },
          archived: { old: false, new: true },
          version: { old: 1, new: 2 },
        },
        ctx,
      ),
    ).toEqual([
      '地区：连南瑶族自治县 → （已删除的地区）',
      '寄宿床位：0 → 120',
      '印刷小计：（空） → 360',
      '学位（小学）：0 → 360',
      '学位（合计）：0 → 360',
      '已归档：否 → 是',
    ]);
    expect(V.changeLines('user', { createdBy: { old: null, new: 'system' } }, ctx)).toEqual([
      '录入人：（空） → 系统',
    ]);
    expect(V.importLine('import', { created: 14, updated: 2 })).toBe(
      '导入规划表：新增14个项目，更新2个',
    );
  });
});

describe('the audit trail in words (审计日志, walk-through 43 item 6)', () => {
  const ctx: V.ChangeContext = {
    money: (w) => w,
    regionName: (id) => (id === 3 ? '连南瑶族自治县' : undefined),
    dateTime: (iso) => `local(${iso})`,
  };

  it('says a submission’s state, month, checksum and times in words', () => {
    expect(
      V.changeLines(
        'submission',
        {
          status: { old: 'submitted', new: 'approved' },
          month: { old: null, new: '2026-11' },
          sha256: {
            old: null,
            new: '3f5a9c0e1b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a',
          },
          forced: { old: null, new: true },
          reviewerOpenedAt: { old: null, new: '2026-12-06T07:44:37.094Z' },
        },
        ctx,
      ),
    ).toEqual([
      '报送状态：已报送（待审核） → 已通过',
      '月份：（空） → 2026年11月',
      '文件校验值：（空） → 3f5a9c0e…',
      '强制报送：（空） → 是',
      '审核人打开时间：（空） → local(2026-12-06T07:44:37.094Z)',
    ]);
  });

  it('says an automatic reminder’s kind, never a code or 项目类型', () => {
    expect(
      V.changeLines(
        'submission_event',
        { kind: { old: null, new: 'before_1' }, month: { old: null, new: '2026-12' } },
        ctx,
      ),
    ).toEqual(['催报类型：（空） → 截止前1天自动提醒', '月份：（空） → 2026年12月']);
  });

  it('shows an unknown field’s ISO instant as local time', () => {
    expect(
      V.changeLines('submission', { at: { old: null, new: '2026-12-06T07:44:37Z' } }, ctx),
    ).toEqual(['其他：（空） → local(2026-12-06T07:44:37Z)']);
  });

  it('says what changed in 通知设置: a rename, a topic, a new and a deleted channel', () => {
    const a = {
      id: 1,
      kind: 'wecom',
      name: '值班群',
      url: 'x',
      hasSecret: false,
      recipients: [],
      topics: ['alerts'],
    };
    const b = {
      id: 2,
      kind: 'email',
      name: null,
      url: null,
      hasSecret: false,
      recipients: ['a@b.cn'],
      topics: ['reports'],
    };
    const c = {
      id: 3,
      kind: 'dingtalk',
      name: '局长群',
      url: 'y',
      hasSecret: true,
      recipients: [],
      topics: ['submissions'],
    };
    expect(
      V.changeLines(
        'notification_channel',
        {
          channels: {
            old: [a, b],
            new: [{ ...a, name: '基建群', topics: ['alerts', 'reminders'] }, c],
          },
        },
        ctx,
      ),
    ).toEqual([
      '企业微信群机器人「值班群」：渠道名称：值班群 → 基建群',
      '企业微信群机器人「值班群」：订阅：预警 → 预警、催报',
      '新增渠道：钉钉群机器人「局长群」（订阅：报送/审核结果）',
      '删除渠道：邮件',
    ]);
  });

  it('names 通知设置’s region in the 对象 column, never its id', () => {
    expect(V.entityText('notification_channel', 3, ctx)).toBe('通知渠道（连南瑶族自治县）');
    expect(V.entityText('submission', 12, ctx)).toBe('月报报送 12');
    expect(V.entityText('alert_scan', null, ctx)).toBe('预警扫描');
  });
});
