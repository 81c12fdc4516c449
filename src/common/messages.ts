/**
 * The catalogue of user-facing messages (Simplified Chinese), keyed by a stable code that API
 * clients may branch on. A code without a message does not type-check.
 */
export const MESSAGES = {
  VALIDATION_FAILED: '提交的数据有误，请按字段提示修改',
  MALFORMED_JSON: '请求体不是有效的 JSON',
  BODY_TOO_LARGE: '请求体过大',
  FIELD_UNKNOWN: '不允许的字段',
  FIELD_REQUIRED: '此项必填',
  NOT_A_STRING: '须为文本',
  STRING_EMPTY: '不能为空',
  STRING_TOO_LONG: '文本过长',
  NOT_A_BOOLEAN: '须为 true 或 false',
  NOT_AN_INTEGER: '须为整数',
  NOT_NON_NEGATIVE_INTEGER: '须为非负整数',
  OUT_OF_RANGE: '超出允许范围',
  NOT_A_DECIMAL: '须为非负十进制数（如 "1234.56"），不接受科学计数法、千分位或其他符号',
  NEGATIVE_AMOUNT: '不能为负数',
  TOO_PRECISE_WAN: '金额最多保留6位小数（精确到分）',
  TOO_PRECISE_HUNDREDTHS: '最多保留2位小数',
  AMOUNT_TOO_LARGE: '数值过大',
  NOT_A_DATE: '须为有效日期，格式 YYYY-MM-DD',
  NOT_A_PLANNED_DATE: '须为有效日期，格式 YYYY-MM（按月）或 YYYY-MM-DD',
  NOT_IN_LIST: '取值不在允许范围内',
  NOT_AN_ARRAY: '须为数组',
  NOT_AN_OBJECT: '须为对象',
  INVALID: '取值无效',
  NOT_FOUND: '记录不存在',
  ROUTE_NOT_FOUND: '接口不存在',
  VERSION_CONFLICT: '数据已被他人修改，请刷新后按最新版本重新提交',
  DUPLICATE: '与已有记录重复',
  REGION_NOT_COUNTY: '项目须归属县（区）级行政区',
  REGION_NOT_FOUND: '行政区不存在',
  ILLEGAL_TRANSITION: '不允许的状态变更',
  ACTUAL_COMPLETION_REQUIRED: '变更为已竣工须填写实际竣工日期',
  ACTUAL_COMPLETION_AFTER_REPORT: '实际竣工日期不能晚于填报日期',
  ACTUAL_COMPLETION_IN_FUTURE: '实际竣工日期不能晚于今天',
  REPORT_BEFORE_LATEST: '填报日期不能早于该项目最近一次填报日期',
  REPORT_IN_FUTURE: '填报日期不能晚于今天',
  PROJECT_ARCHIVED: '项目已归档，不能修改',
  PLANNED_START_AFTER_COMPLETION: '计划开工时间不能晚于计划完成时间',
  MILESTONE_KEY_EXISTS: '该项目已有此里程碑',
  UNAUTHENTICATED: '请先登录（缺少或无效的访问令牌）',
  LOGIN_FAILED: '用户名或密码错误',
  TOO_MANY_ATTEMPTS: '登录失败次数过多，请稍后再试',
  FORBIDDEN: '当前角色无权执行此操作',
  FORBIDDEN_BUDGET: '预算、资金与支付只能由计财股（finance）或管理员修改',
  FORBIDDEN_PROJECT_DATA: '项目信息、状态、进展与里程碑只能由基建股（infrastructure）或管理员修改',
  USERNAME_TAKEN: '用户名已存在',
  PASSWORD_TOO_WEAK: '密码至少8位，且须同时包含字母和数字',
  CANNOT_CHANGE_SELF: '不能停用自己或修改自己的角色',
  DATE_IN_FUTURE: '日期不能晚于今天',
  DATE_REQUIRED_FOR_AMOUNT: '填写了金额须同时填写日期',
  AMOUNT_REQUIRED: '已落实或已到位金额至少填写一项且大于0',
  AMOUNT_MUST_BE_POSITIVE: '金额须大于0',
  ALERT_NOT_OPEN: '只能确认处于未处理状态的预警',
  IMPORT_INVALID: '导入文件有错误，未导入任何数据；请按行列提示修改后重新导入',
  IMPORT_NO_FILE: '请上传 .xlsx 文件（表单字段 file）',
  IMPORT_NOT_XLSX: '文件不是有效的 .xlsx 工作簿',
  IMPORT_TOO_LARGE: '导入文件超出限制',
  IMPORT_ARCHIVE_REFUSED: '工作簿压缩包不符合要求，未读取任何内容',
  IMPORT_CELL_TOO_LONG: '单元格内容过长',
  IMPORT_GARBLED_TEXT: '单元格含有乱码字符（\uFFFD），请检查文件编码后重新导入',
  IMPORT_NO_TABLE: '未找到规划表：表头须包含“学校名称/项目名称”等列名',
  MONTH_INVALID: '须为有效月份，格式 YYYY-MM',
  INTERNAL_ERROR: '服务器内部错误，请稍后重试',
  SERVICE_UNAVAILABLE: '数据库不可用',
  // warnings: data problems found in a record; they never block a write
  WARN_SUBTOTAL_MISMATCH: '印刷的学位小计与各学段之和不一致',
  WARN_COMPLETION_BEFORE_PLAN_YEAR: '计划完成时间早于项目所属年度',
  WARN_START_AFTER_COMPLETION: '计划开工时间晚于计划完成时间',
  WARN_COMPLETED_WITHOUT_DATE: '状态为已竣工/已交付使用但无实际竣工日期',
  WARN_RECEIVED_ABOVE_COMMITTED: '已到位资金超过已落实资金',
  WARN_PAID_ABOVE_RECEIVED: '已支付超过已到位资金，存在拖欠风险',
  WARN_BUDGET_BELOW_PAID: '资金测算（概算）低于已支付金额',
} as const;

export type MessageCode = keyof typeof MESSAGES;

export function isMessageCode(v: string): v is MessageCode {
  return Object.prototype.hasOwnProperty.call(MESSAGES, v);
}

export function message(code: MessageCode): string {
  return MESSAGES[code];
}
