/** The audit trail in words (变更记录, 审计日志): field, action and entity names and values in Chinese. */
import { money } from './format';
import { KIND_LABELS, SEVERITY_LABELS, SOURCE_LABELS, STATUS_LABELS } from './labels';

const ALERT_STATE_LABELS: Record<string, string> = { open: '未确认', acknowledged: '已确认', resolved: '已解除' };
import { ROLE_LABELS, type Role } from './stores/session';

export const FIELD_LABELS: Record<string, string> = {
  name: '项目名称',
  regionId: '区县',
  planYear: '年度',
  status: '状态',
  seats: '计划新增学位数',
  floorAreaM2: '建筑面积（㎡）',
  landMu: '用地（亩）',
  budgetWan: '资金测算（万元）',
  plannedStart: '计划开工',
  plannedCompletion: '计划完成',
  plannedCompletionDue: '计划完成日',
  actualCompletion: '实际竣工日期',
  progressPercent: '形象进度（%）',
  investmentCompletedWan: '累计完成投资（万元）',
  lastReportedOn: '最近填报',
  transitionalSeats: '过渡学位',
  boardingBeds: '寄宿床位',
  town: '乡镇',
  kind: '项目类型',
  code: '项目编号',
  reportedOn: '填报日期',
  note: '备注',
  plannedDate: '计划时间',
  actualDate: '实际完成',
  owner: '责任人',
  version: '版本',
  printedSubtotal: '印刷小计',
  planId: '所属规划',
  source: '数据来源',
  archived: '已归档',
  archivedAt: '归档时间',
  reportedBy: '填报人',
  amountWan: '金额（万元）',
  reason: '原因',
  effectiveOn: '生效日期',
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
  key: '节点代码',
  sortOrder: '顺序',
  document: '文件',
  quote: '原文',
  completedWan: '已竣工项目缺口（万元）',
  underConstructionWan: '在建项目缺口（万元）',
  fromYear: '起始年度',
  label: '名称',
  plannedDue: '计划完成日',
  committedWan: '已落实（万元）',
  committedOn: '落实日期',
  receivedWan: '已到位（万元）',
  receivedOn: '到位日期',
  paidOn: '支付日期',
  payee: '收款单位',
  reference: '凭证号',
  username: '用户名',
  role: '角色',
  disabled: '停用',
  state: '状态',
  acknowledgedBy: '确认人',
  ackNote: '确认说明',
  asOf: '截至日期',
  opened: '新增',
  reopened: '重新打开',
  escalated: '升级',
  updated: '更新',
  resolved: '解除',
  unchanged: '未变',
  open: '未处理',
  totalWan: '合计（万元）',
  value: '目标值',
  measure: '指标',
  qualifier: '限定词',
  deadline: '期限',
  password: '密码',
};
export const ACTION_LABELS: Record<string, string> = {
  create: '新增',
  update: '修改',
  delete: '删除',
  seed: '初始导入',
  import: '导入',
  archive: '归档',
  progress: '进度填报更新',
  budget: '概算调整',
  acknowledge: '确认',
  scan: '预警扫描',
  login: '登录',
  logout: '退出登录',
  reset_password: '重置密码',
  change_password: '修改密码',
};
export const ENTITY_LABELS: Record<string, string> = {
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
  session: '会话',
};
const SEAT_WORDS: Record<string, string> = { kindergarten: '幼儿园', primary: '小学', juniorMiddle: '初中', seniorSecondary: '高中', specialEducation: '特殊教育', total: '合计' };
function show(field: string, v: unknown, regionNames: Map<number, string>): string {
  if (v === null || v === undefined || v === '') return '（空）';
  if (field === 'status') return STATUS_LABELS[String(v)] ?? String(v);
  if (field === 'kind') return KIND_LABELS[String(v)] ?? String(v);
  if (field === 'regionId') return regionNames.get(Number(v)) ?? String(v);
  if (field === 'source') return typeof v === 'string' ? (SOURCE_LABELS[v] ?? v) : sourceText(v as Source);
  if (field === 'state') return ALERT_STATE_LABELS[String(v)] ?? String(v);
  if (field === 'role') return ROLE_LABELS[v as Role] ?? String(v);
  if (field === 'severity') return SEVERITY_LABELS[String(v)] ?? String(v);
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (Array.isArray(v)) return `共${v.length}项`;
  if (field.endsWith('By') || field === 'actorName') return actorText(String(v));
  if (typeof v === 'object')
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${SEAT_WORDS[k] ?? k}${String(x)}`)
      .join('，');
  if (field.endsWith('Wan')) return `${money(String(v))}万元`;
  return String(v);
}
interface Source {
  type?: string;
  document?: string;
  table?: string;
  sheet?: string;
  row?: number;
}
/** Where a record came from, in words: 规划表《…》第 n 行, 导入, 接口录入. */
function sourceText(src: Source): string {
  const where = [src.document, src.table && `《${src.table}》`, src.sheet && `工作表“${src.sheet}”`, src.row && `第${src.row}行`]
    .filter(Boolean)
    .join('');
  const kind = src.type === 'plan' ? '规划表' : src.type === 'import' ? '表格导入' : '接口录入';
  return where ? `${kind}：${where}` : kind;
}
/** An audit entry's changes, one line per field in words: 状态：在建 → 已竣工. */
export function describeChanges(changes: Record<string, { old: unknown; new: unknown }> | null, regionNames: Map<number, string>): string[] {
  return Object.entries(changes ?? {})
    .filter(([k]) => k !== 'version' && k !== 'plannedCompletionDue')
    .map(([k, d]) => `${FIELD_LABELS[k] ?? k}：${show(k, d.old, regionNames)} → ${show(k, d.new, regionNames)}`);
}

/** Who did it: the seed and the scheduler act as 系统. */
export const actorText = (name: string) => (name === 'system' ? '系统' : name);
