/**
 * The one vocabulary: every word staff read for a value or a field, defined once. The server
 * (error messages, alert messages, import messages), the workbook writers and the web front end
 * (web/src imports this file as '../../src/common/vocabulary') all take their labels from here.
 * No imports, so the web bundle takes only the words. src/common/vocabulary.spec.ts fails when a
 * screen or sheet source states one of these labels itself, or when an enum value has no label.
 *
 * Chosen words (issue 29): 高中阶段 (the import still reads the plan's header 高中（中职）), 未开工
 * (a plan's third bucket: planned, preparing and suspended projects — not the status 谋划储备),
 * 完成率, 按当前进度预计, 滞后, 资金测算, 未确认 (an open alert), 管理员, 进度填报 (docs/web.md's tab),
 * and 数据来源 (a project's) vs 资金来源 (a funding line's).
 */

/** Project statuses (docs/domain.md). */
export const STATUS_LABELS = {
  planned: '谋划储备',
  preparing: '前期工作',
  under_construction: '在建',
  completed: '已竣工',
  in_use: '已交付使用',
  suspended: '暂停',
  cancelled: '取消',
} as const;

/** Project kinds. */
export const PROJECT_KIND_LABELS = {
  new_build: '新建',
  expansion: '改扩建',
  relocation: '迁建',
  renovation: '修缮改造',
} as const;

/** School stages (seats by stage). 高中阶段 = 普高 and 中职 together. */
export const STAGE_LABELS = {
  kindergarten: '幼儿园',
  primary: '小学',
  juniorMiddle: '初中',
  seniorSecondary: '高中阶段',
  specialEducation: '特殊教育',
} as const;
/** Seats by stage, with their sum. */
export const SEAT_LABELS = { ...STAGE_LABELS, total: '合计' } as const;

/**
 * 项目台账's 单位 line (its export and its print): the units of the columns shown, in this order —
 * `shown` says which of the ledger's columns are.
 */
export function ledgerUnits(shown: (column: string) => boolean): string {
  return (
    [
      ['budget', '万元'],
      ['seats', '个'],
      ['floorArea', '平方米'],
      ['land', '亩'],
    ] as const
  )
    .filter(([column]) => shown(column))
    .map(([, unit]) => unit)
    .join('、');
}

/** User roles. */
export const ROLE_LABELS = {
  admin: '管理员',
  finance: '计财股',
  infrastructure: '基建股',
  viewer: '只读用户',
} as const;

/** Alert kinds (docs/alerts.md). */
export const ALERT_KIND_LABELS = {
  project_overdue: '项目逾期',
  milestone_overdue: '里程碑逾期',
  milestone_due_soon: '里程碑即将到期',
  stale_report: '进度未按时填报',
  no_progress: '连续两月无进展',
  funding_gap: '临近完工资金缺口',
} as const;

/** Alert severities in full (红色预警) … */
export const SEVERITY_LABELS = { red: '红色', yellow: '黄色', blue: '蓝色' } as const;
/** … and as one character (红/黄/蓝), in counts and legends. */
export const SEVERITY_SHORT = { red: '红', yellow: '黄', blue: '蓝' } as const;

/** Alert states. An open alert is 未确认 (awaiting its 确认). */
export const ALERT_STATE_LABELS = {
  open: '未确认',
  acknowledged: '已确认',
  resolved: '已解除',
} as const;
/** Open or acknowledged: an alert that stands until its condition clears (预警中心's default view). */
export const ALERT_STANDING_LABEL = '未解除';

/** Funding sources. */
export const SOURCE_LABELS = {
  county_budget: '县级财政',
  city_budget: '市级财政',
  provincial_subsidy: '省级补助',
  central_budget: '中央预算内',
  special_bond: '地方政府专项债券',
  general_bond: '一般债券',
  donation: '捐赠及社会资金',
  other: '其他',
} as const;

/** Plan target measures. */
export const MEASURE_LABELS = {
  kindergarten: '公办幼儿园学位',
  primary: '公办小学学位',
  juniorMiddle: '公办初中学位',
  compulsory: '公办义务教育学位（小学+初中）',
  seniorSecondary: '高中阶段学位',
  boardingBeds: '寄宿床位',
  compulsorySchools: '新建、改扩建义务教育学校（所）',
} as const;

/** A plan's own qualifier words: 约 / 不少于 stand before the figure, 以上 / 左右 after it. */
export const QUALIFIER_BEFORE = ['约', '不少于'] as const;
export const QUALIFIER_AFTER = ['以上', '左右'] as const;

/**
 * Plan-target words: the three buckets of a target's projects, the rate, the projection, the risk
 * (滞后 / 正常 while the period runs, 已完成 / 未完成 once its deadline has passed: planStanding).
 */
export const PLAN_WORDS = {
  delivered: '已交付',
  underConstruction: '在建',
  /** Planned, preparing and suspended projects: not started (not the status 谋划储备). */
  notStarted: '未开工',
  percent: '完成率',
  projected: '按当前进度预计',
  atRisk: '滞后',
  onTrack: '正常',
  /** A target whose deadline has passed: reached, or not. */
  met: '已完成',
  missed: '未完成',
  transitional: '过渡学位（不计入）',
} as const;

/** What a plan target's 风险 column says: 已完成 / 未完成 once its period has ended, else 滞后 / 正常. */
export function planStanding(t: { atRisk: boolean; outcome: 'met' | 'missed' | null }): string {
  if (t.outcome) return PLAN_WORDS[t.outcome];
  return t.atRisk ? PLAN_WORDS.atRisk : PLAN_WORDS.onTrack;
}

/** 月报报送 statuses (docs/domain.md "The monthly reporting cycle"); not_submitted lists only. */
export const SUBMISSION_STATUS_LABELS = {
  not_submitted: '未报送',
  submitted: '已报送（待审核）',
  approved: '已通过',
  returned: '已退回',
  withdrawn: '已撤回',
} as const;

/** What happened to a region's month (its events). */
export const SUBMISSION_ACTION_LABELS = {
  submit: '报送',
  withdraw: '撤回',
  approve: '通过',
  return: '退回',
  reopen: '重新打开',
  remind: '催报',
  auto_remind: '自动催报',
} as const;

/** Kinds of 催报 (a submission event's kind): by hand, or automatic before / after the due day. */
export const REMINDER_KIND_LABELS = {
  manual: '上级催报',
  before_3: '截止前3天自动提醒',
  before_1: '截止前1天自动提醒',
  after_1: '逾期1天自动催报',
} as const;

/** 通知设置: a channel's kind and the topics it subscribes to (as the audit trail names them). */
export const CHANNEL_KIND_WORDS = {
  wecom: '企业微信群机器人',
  dingtalk: '钉钉群机器人',
  email: '邮件',
} as const;
export const CHANNEL_TOPIC_WORDS = {
  alerts: '预警',
  reminders: '催报',
  submissions: '报送/审核结果',
  reports: '月报分发',
  test: '测试消息',
} as const;

/** Audit actions. */
export const ACTION_LABELS = {
  create: '新增',
  update: '修改',
  delete: '删除',
  seed: '首次载入',
  import: '导入',
  archive: '归档',
  unarchive: '取消归档',
  progress: '进度填报',
  budget: '概算调整',
  acknowledge: '确认',
  scan: '预警扫描',
  login: '登录',
  logout: '退出登录',
  reset_password: '重置密码',
  change_password: '修改密码',
  disable: '停用',
  withdraw: '撤回',
  submit: '报送',
  approve: '审核通过',
  return: '退回',
  reopen: '重新打开',
  remind: '催报',
  auto_remind: '自动催报',
  test: '发送测试消息',
  revoke: '作废下载链接',
} as const;

/** 附件的类别 (issue 35). */
export const ATTACHMENT_KIND_LABELS = {
  approval: '批复文件',
  permit: '施工许可证',
  contract: '合同',
  acceptance: '验收资料',
  photo: '进度照片',
  other: '其他',
} as const;

/** Audited entities. */
export const ENTITY_LABELS = {
  project: '项目',
  progress_report: '进度填报',
  milestone: '里程碑',
  funding_line: '资金',
  payment: '支付',
  budget_revision: '概算调整',
  user: '用户',
  alert: '预警',
  alert_scan: '预警扫描',
  plan: '规划',
  plan_target: '规划目标',
  reported_gap: '规划所列缺口',
  region: '地区',
  session: '会话',
  submission: '月报报送',
  submission_event: '催报记录',
  work_calendar: '节假日与调休日历',
  map_boundary: '地图边界',
  notification_channel: '通知渠道',
  shared_link: '报表下载链接',
  attachment: '附件',
} as const;

/** Field names, as an audit entry (or an error) names them. Per entity overrides below. */
export const FIELD_LABELS: Record<string, string> = {
  name: '项目名称',
  regionId: '地区',
  planYear: '年度',
  status: '状态',
  seats: '学位',
  ...SEAT_LABELS,
  floorAreaM2: '建筑面积（㎡）',
  landMu: '用地（亩）',
  budgetWan: '资金测算',
  plannedStart: '计划开工',
  plannedCompletion: '计划完成时间',
  plannedCompletionDue: '计划完成日',
  actualCompletion: '实际竣工日期',
  progressPercent: '形象进度',
  investmentCompletedWan: '累计完成投资',
  lastReportedOn: '最近填报日期',
  transitionalSeats: '过渡学位',
  boardingBeds: '寄宿床位',
  town: '镇（街道）',
  kind: '项目类型',
  code: '项目编码',
  builder: '建设单位',
  contractor: '施工单位',
  manager: '项目负责人',
  phone: '联系电话',
  lat: '纬度',
  lng: '经度',
  approvalNo: '审图号',
  features: '要素数',
  displayName: '姓名',
  reportedOn: '填报日期',
  reportedBy: '填报人',
  note: '备注',
  plannedDate: '计划时间',
  plannedDue: '计划完成日',
  actualDate: '实际完成',
  owner: '责任人',
  version: '版本',
  printedSubtotal: '印刷小计',
  planId: '所属规划',
  source: '数据来源',
  archived: '已归档',
  archivedAt: '归档时间',
  amountWan: '金额',
  reason: '原因',
  effectiveOn: '生效日期',
  withdrawnAt: '撤回时间',
  withdrawnBy: '撤回人',
  withdrawReason: '撤回原因',
  sourceLabel: '资金来源',
  createdBy: '录入人',
  createdAt: '录入时间',
  updatedAt: '更新时间',
  projectId: '项目',
  periodStart: '规划起始年',
  periodEnd: '规划终止年',
  issuedBy: '发文单位',
  docNo: '文号',
  issuedOn: '印发日期',
  namedProjects: '列名项目',
  targets: '目标',
  regionName: '地区',
  level: '层级',
  key: '节点代码',
  sortOrder: '顺序',
  document: '文件',
  quote: '原文',
  totalWan: '合计',
  completedWan: '已竣工项目缺口',
  underConstructionWan: '在建项目缺口',
  fromYear: '起始年度',
  label: '名称',
  committedWan: '已落实',
  committedOn: '落实日期',
  receivedWan: '已到位',
  receivedOn: '到位日期',
  paidOn: '支付日期',
  payee: '收款单位',
  reference: '凭证号',
  username: '用户名',
  role: '角色',
  disabled: '停用',
  state: '状态',
  severity: '预警等级',
  acknowledgedBy: '确认人',
  acknowledgedAt: '确认时间',
  ackNote: '确认说明',
  asOf: '截至日期',
  /** An alert refresh: how many projects it brought up to date, how many messages it queued. */
  projects: '涉及项目数',
  queued: '待发送消息数',
  opened: '新增',
  reopened: '重新打开',
  escalated: '升级',
  updated: '更新',
  resolved: '解除',
  unchanged: '未变',
  open: '未确认',
  value: '目标值',
  measure: '指标',
  qualifier: '限定词',
  deadline: '期限',
  password: '密码',
  mustChangePassword: '须修改密码',
  month: '月份',
  seq: '报送次数',
  sha256: '文件校验值',
  forced: '强制报送',
  comment: '内容',
  reviewerOpenedAt: '审核人打开时间',
  revokedAt: '作废时间',
  fileName: '文件名',
  channelId: '通知渠道',
  channels: '通知渠道',
  recipients: '收件人',
  topics: '订阅',
  url: '机器人地址',
  hasSecret: '加签密钥',
};

/** Where the same key means two things: a funding line's `source` is where the money comes from. */
const ENTITY_FIELD_LABELS: Record<string, Record<string, string>> = {
  funding_line: { source: '资金来源' },
  project: { name: '项目名称' },
  plan: { name: '规划名称' },
  plan_target: { name: '名称' },
  milestone: { name: '节点名称' },
  region: { name: '地区名称' },
  user: { name: '姓名', phone: '手机号' },
  submission: { status: '报送状态', note: '说明' },
  submission_event: { kind: '催报类型' },
  notification_channel: { name: '渠道名称', kind: '渠道类型' },
};

/**
 * 填报单位: a region's education bureau — the province's is 教育厅 (广东省教育厅), a city's or a
 * county's 教育局 (连南瑶族自治县教育局).
 */
export function bureauName(region: { name: string; level: string | null }): string {
  return `${region.name}${region.level === 'province' ? '教育厅' : '教育局'}`;
}

/** Region levels. */
const REGION_LEVEL_LABELS = { province: '省', city: '市', county: '县（区）' } as const;

/** Other words every surface shares. */
export const WORDS = {
  yes: '是',
  no: '否',
  empty: '（空）',
  /** Who the seed, the scheduler and migrations act as. */
  system: '系统',
  wan: '万元',
  /** A budget not yet estimated. */
  unestimated: '未测算',
  /** A progress report or budget revision taken back: it stays in the history, counted nowhere. */
  withdrawn: '已撤回',
  /** 本月变动's 事项 for a withdrawal. */
  correction: '更正',
  /** A project whose type (项目类型) was never given. */
  unclassified: '未分类',
} as const;

/** A field's label for an entity: the entity's own word where the key means something else there. */
export function fieldLabel(field: string, entity?: string): string | undefined {
  return (entity ? ENTITY_FIELD_LABELS[entity]?.[field] : undefined) ?? FIELD_LABELS[field];
}

/**
 * Who did it, the same way on every surface: 姓名（用户名） when the user has a 姓名, else the
 * username; the system as 系统.
 */
export function actorLabel(username: string, displayName?: string | null): string {
  if (username === 'system') return WORDS.system;
  const name = displayName?.trim();
  return name ? `${name}（${username}）` : username;
}

/** An import (or the first load) as one line: 导入规划表：新增14个项目，更新2个. */
export function importLine(
  action: 'import' | 'seed',
  counts: { created: number; updated: number },
): string {
  const head = action === 'seed' ? '首次载入规划表' : '导入规划表';
  const parts = [`新增${counts.created}个项目`];
  if (counts.updated) parts.push(`更新${counts.updated}个`);
  return `${head}：${parts.join('，')}`;
}

/** What describing a change needs from its surface: the one money formatter and the names of ids. */
export interface ChangeContext {
  /** A 万元 decimal string → 1,234.57 (the one money formatter of the surface). */
  money(wan: string): string;
  regionName(id: number): string | undefined;
  planName?(id: number): string | undefined;
  /** An ISO instant → local 2026-11-05 10:22. */
  dateTime?(iso: string): string;
}

/** Fields an audit entry carries for bookkeeping, not for people. */
const HIDDEN_FIELDS = new Set([
  'id',
  'version',
  'createdAt',
  'updatedAt',
  'projectId',
  'warnings',
  'plannedCompletionDue',
  'key',
  'sortOrder',
]);
const INSTANT_FIELDS = new Set([
  'archivedAt',
  'acknowledgedAt',
  'createdAt',
  'updatedAt',
  'withdrawnAt',
  'reviewerOpenedAt',
  'revokedAt',
]);
/** An ISO instant as the server writes it (2026-12-06T07:44:37.094Z): shown as local time. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
/** A file's checksum shortened: the first 8 hex digits and an ellipsis (the whole is in the API). */
const shortHash = (v: string) => (v.length > 12 ? `${v.slice(0, 8)}…` : v);

interface RecordSource {
  type?: string;
  document?: string;
  table?: string;
  sheet?: string;
  row?: number;
}
/** Where a project came from, in words: 规划表：《…》第 n 行, 表格导入：…, 接口录入. */
function sourceText(src: RecordSource): string {
  const where = [
    src.document,
    src.table && `《${src.table}》`,
    src.sheet && `工作表“${src.sheet}”`,
    src.row && `第${src.row}行`,
  ]
    .filter(Boolean)
    .join('');
  const kind = src.type === 'plan' ? '规划表' : src.type === 'import' ? '表格导入' : '接口录入';
  return where ? `${kind}：${where}` : kind;
}

const pick = (labels: Record<string, string>, v: unknown) => labels[String(v)] ?? String(v);

/** One value of an audited field, in words. */
function valueText(entity: string, field: string, v: unknown, ctx: ChangeContext): string {
  if (field === 'hasSecret') return v ? '已设置' : '未设置';
  if (v === null || v === undefined || v === '') return WORDS.empty;
  if (typeof v === 'boolean') return v ? WORDS.yes : WORDS.no;
  if (field === 'password') return '（已设置）';
  if (field === 'status')
    return pick(entity === 'submission' ? SUBMISSION_STATUS_LABELS : STATUS_LABELS, v);
  if (field === 'sha256' && typeof v === 'string') return shortHash(v);
  if (field === 'month' && typeof v === 'string' && /^\d{4}-\d{2}$/.test(v))
    return `${v.slice(0, 4)}年${Number(v.slice(5))}月`;
  if (entity === 'submission_event' && field === 'kind') return pick(REMINDER_KIND_LABELS, v);
  if (entity === 'notification_channel' && field === 'kind') return pick(CHANNEL_KIND_WORDS, v);
  if (field === 'topics' && Array.isArray(v))
    return v.map((t) => pick(CHANNEL_TOPIC_WORDS, t)).join('、') || '无';
  if (field === 'recipients' && Array.isArray(v)) return v.join('、') || WORDS.empty;
  if (field === 'channelId') return `编号${String(v)}`;
  if (field === 'state') return pick(ALERT_STATE_LABELS, v);
  if (field === 'kind')
    return pick(entity === 'alert' ? ALERT_KIND_LABELS : PROJECT_KIND_LABELS, v);
  if (field === 'severity') return pick(SEVERITY_LABELS, v);
  if (field === 'role') return pick(ROLE_LABELS, v);
  if (field === 'level') return pick(REGION_LEVEL_LABELS, v);
  if (field === 'measure') return pick(MEASURE_LABELS, v);
  if (field === 'regionId') return ctx.regionName(Number(v)) ?? '（已删除的地区）';
  if (field === 'planId') return ctx.planName?.(Number(v)) ?? '（已关联规划）';
  if (field === 'source')
    return typeof v === 'object' ? sourceText(v as RecordSource) : pick(SOURCE_LABELS, v);
  if (field.endsWith('By')) return actorLabel(String(v));
  if (Array.isArray(v)) return `共${v.length}项`;
  if (field.endsWith('Wan')) return `${ctx.money(String(v))}${WORDS.wan}`;
  if (field === 'progressPercent') return `${String(v)}%`;
  if (typeof v === 'string' && (INSTANT_FIELDS.has(field) || ISO_INSTANT.test(v)))
    return ctx.dateTime ? ctx.dateTime(v) : v.slice(0, 10);
  if (typeof v === 'object')
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${fieldLabel(k) ?? '其他'}${valueText(entity, k, x, ctx)}`)
      .join('、');
  return String(v);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * An audit entry's changes, one line per field in words: 状态：在建 → 已竣工. A by-stage value
 * (seats) gives a line per stage that changed: 学位（小学）：0 → 360.
 */
export function changeLines(
  entity: string,
  changes: Record<string, { old: unknown; new: unknown }> | null,
  ctx: ChangeContext,
): string[] {
  const out: string[] = [];
  for (const [k, d] of Object.entries(changes ?? {})) {
    if (HIDDEN_FIELDS.has(k)) continue;
    if (k === 'channels' && (Array.isArray(d.old) || Array.isArray(d.new))) {
      out.push(...channelLines(d.old, d.new, ctx));
      continue;
    }
    const label = fieldLabel(k, entity) ?? '其他';
    if (k !== 'source' && (isPlainObject(d.old) || isPlainObject(d.new))) {
      const o = isPlainObject(d.old) ? d.old : {};
      const n = isPlainObject(d.new) ? d.new : {};
      for (const s of new Set([...Object.keys(o), ...Object.keys(n)])) {
        if (String(o[s]) === String(n[s])) continue;
        out.push(
          `${label}（${fieldLabel(s) ?? '其他'}）：${valueText(entity, s, o[s], ctx)} → ${valueText(entity, s, n[s], ctx)}`,
        );
      }
      continue;
    }
    const [o, n] = [valueText(entity, k, d.old, ctx), valueText(entity, k, d.new, ctx)];
    if (o !== n) out.push(`${label}：${o} → ${n}`);
  }
  return [...new Set(out)];
}

type ChannelShape = Record<string, unknown> & { id?: number; kind?: string; name?: string | null };

/** A channel named in a line: 企业微信群机器人「值班群」. */
function channelName(c: ChannelShape): string {
  const kind = pick(CHANNEL_KIND_WORDS, c.kind);
  return c.name ? `${kind}「${c.name}」` : kind;
}

/**
 * 通知设置's channels, before and after a save, as what changed: 新增渠道…, 删除渠道…, and per
 * channel kept 渠道名称：值班群 → 基建群, 订阅：预警 → 预警、催报.
 */
function channelLines(before: unknown, after: unknown, ctx: ChangeContext): string[] {
  const list = (v: unknown) => (Array.isArray(v) ? (v as ChannelShape[]) : []);
  const [o, n] = [list(before), list(after)];
  const oldById = new Map(o.map((c) => [c.id, c]));
  const newIds = new Set(n.map((c) => c.id));
  const out: string[] = [];
  for (const c of n) {
    const was = oldById.get(c.id);
    if (!was) {
      const topics = valueText('notification_channel', 'topics', c.topics, ctx);
      out.push(`新增渠道：${channelName(c)}（订阅：${topics}）`);
      continue;
    }
    for (const f of new Set([...Object.keys(was), ...Object.keys(c)])) {
      if (f === 'id' || JSON.stringify(was[f]) === JSON.stringify(c[f])) continue;
      const label = fieldLabel(f, 'notification_channel') ?? '其他';
      const [a, b] = [
        valueText('notification_channel', f, was[f], ctx),
        valueText('notification_channel', f, c[f], ctx),
      ];
      out.push(`${channelName(was)}：${label}：${a} → ${b}`);
    }
  }
  for (const c of o) if (!newIds.has(c.id)) out.push(`删除渠道：${channelName(c)}`);
  return out;
}

/**
 * What an audit entry is about, for the 对象 column: the entity's name, and the id only where it
 * is the entity's own (通知设置 is kept per region: its entries name the region, never its id).
 */
export function entityText(entity: string, entityId: number | null, ctx: ChangeContext): string {
  const e = (ENTITY_LABELS as Record<string, string>)[entity] ?? '其他';
  if (entity === 'notification_channel' && entityId)
    return `${e}（${ctx.regionName(entityId) ?? '已删除的地区'}）`;
  return entityId ? `${e} ${entityId}` : e;
}

/**
 * What a change is about, to head each of its lines: 里程碑「开工」, 资金, 项目 — so a line read on
 * its own (a printed 变更记录) still says which milestone or record changed.
 */
export function changeObject(entity: string, name?: string | null): string {
  const e = (ENTITY_LABELS as Record<string, string>)[entity] ?? '其他';
  return name ? `${e}「${name}」` : e;
}

/** What was done to what, in words: 新增资金, 进度填报项目, 概算调整 (said once when both say it). */
export function actionText(action: string, entity: string): string {
  const a = (ACTION_LABELS as Record<string, string>)[action] ?? '其他操作';
  const e = (ENTITY_LABELS as Record<string, string>)[entity] ?? '';
  return a === e ? a : `${a}${e}`;
}
