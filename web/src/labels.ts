/** The Chinese words of the API's values (SPEC §2, §5), as the report and the import use them. */
export const STATUS_LABELS: Record<string, string> = {
  planned: '谋划储备',
  preparing: '前期工作',
  under_construction: '在建',
  completed: '已竣工',
  in_use: '已交付使用',
  suspended: '暂停',
  cancelled: '取消',
};
export const STATUS_TAG: Record<string, 'info' | 'warning' | 'primary' | 'success' | 'danger'> = {
  planned: 'info',
  preparing: 'warning',
  under_construction: 'primary',
  completed: 'success',
  in_use: 'success',
  suspended: 'danger',
  cancelled: 'info',
};
export const KIND_LABELS: Record<string, string> = {
  new_build: '新建',
  expansion: '改扩建',
  relocation: '迁建',
  renovation: '修缮改造',
};
export const STAGE_LABELS: Record<string, string> = {
  kindergarten: '幼儿园',
  primary: '小学',
  juniorMiddle: '初中',
  seniorSecondary: '高中阶段',
  specialEducation: '特殊教育',
};
export const SEVERITY_LABELS: Record<string, string> = { red: '红色', yellow: '黄色', blue: '蓝色' };
/** 红/黄/蓝 tags: always with their word, the colour only repeats it. */
export const ALERT_TAG: Record<string, 'danger' | 'warning' | 'primary'> = { red: 'danger', yellow: 'warning', blue: 'primary' };
export const ALERT_KIND_LABELS: Record<string, string> = {
  project_overdue: '项目逾期',
  milestone_overdue: '里程碑逾期',
  milestone_due_soon: '里程碑即将到期',
  stale_report: '进展未按时填报',
  no_progress: '连续两月无进展',
  funding_gap: '临近完工资金缺口',
};
export const SOURCE_LABELS: Record<string, string> = {
  county_budget: '县级财政',
  city_budget: '市级财政',
  provincial_subsidy: '省级补助',
  central_budget: '中央预算内',
  special_bond: '地方政府专项债券',
  general_bond: '一般债券',
  donation: '捐赠及社会资金',
  other: '其他',
};
