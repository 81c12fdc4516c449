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
