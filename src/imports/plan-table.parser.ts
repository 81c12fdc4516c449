import { CellValue, decimalText, headerKey, headerUnit, parsePlannedDate } from '../excel/cells';
import { CHINA_BOX_TEXT, inChina, parseCoordinate } from '../common/geo';
import type { InputSheet } from '../excel/workbook-reader';
import { fenToWan, formatHundredths, HUNDREDTHS, parseDecimal, WAN } from '../common/money';
import { MAX_COUNT } from '../common/validation';
import { PROJECT_KIND_LABELS, PROJECT_KINDS, ProjectKind } from '../projects/project-rules';
import { STAGE_LABELS } from '../common/vocabulary';
import { Issue } from './dto/import.view';

/** The columns a plan table may have, each with the names staff give it. */
export const FIELDS = {
  planYear: { label: '年度', names: ['年度', '年份', '建设年度', '计划年度'] },
  name: { label: '学校名称', names: ['学校名称', '项目名称', '学校项目名称', '名称', '学校'] },
  subtotal: { label: '小计', names: ['小计', '学位小计', '新增学位小计', '合计学位'] },
  kindergarten: { label: STAGE_LABELS.kindergarten, names: ['幼儿园', '学前', '学前教育'] },
  primary: { label: STAGE_LABELS.primary, names: ['小学'] },
  juniorMiddle: { label: STAGE_LABELS.juniorMiddle, names: ['初中'] },
  seniorSecondary: {
    label: '高中（中职）', // the plan table's own header; the stage is 高中阶段 everywhere else
    names: ['高中', '高中阶段', '普高', '中职', '高中中职'],
  },
  specialEducation: { label: STAGE_LABELS.specialEducation, names: ['特殊教育', '特教'] },
  plannedCompletion: {
    label: '计划完成时间',
    names: ['计划完成时间', '计划竣工时间', '完成时间', '竣工时间', '计划完成', '计划竣工'],
  },
  floorArea: { label: '建筑面积', names: ['建筑面积', '总建筑面积'] },
  land: { label: '用地', names: ['用地', '用地需求', '用地面积', '占地面积', '新增用地'] },
  budget: {
    label: '资金测算',
    names: ['资金测算', '总投资', '投资估算', '估算投资', '计划投资', '投资', '概算', '项目总投资'],
  },
  code: { label: '项目编码', names: ['项目编码', '项目代码', '编码'] },
  town: { label: '镇（街道）', names: ['镇街道', '镇', '所在镇', '镇街', '乡镇'] },
  kind: { label: '项目类型', names: ['项目类型', '建设性质', '建设类型'] },
  plannedStart: { label: '计划开工时间', names: ['计划开工时间', '开工时间', '计划开工'] },
  transitional: { label: '过渡学位', names: ['过渡学位', '是否过渡学位'] },
  boardingBeds: { label: '寄宿床位', names: ['寄宿床位', '床位', '新增床位'] },
  builder: { label: '建设单位', names: ['建设单位', '项目建设单位'] },
  contractor: { label: '施工单位', names: ['施工单位'] },
  manager: { label: '项目负责人', names: ['项目负责人', '负责人'] },
  phone: { label: '联系电话', names: ['联系电话', '电话', '联系方式'] },
  lng: { label: '经度', names: ['经度', '东经'] },
  lat: { label: '纬度', names: ['纬度', '北纬'] },
} as const;
export type Field = keyof typeof FIELDS;
const STAGES = [
  'kindergarten',
  'primary',
  'juniorMiddle',
  'seniorSecondary',
  'specialEducation',
] as const;
const TOTAL_WORDS = /^(合计|总计|总合计)$/;

export { Issue };

export interface ParsedRow {
  sheet: string;
  row: number;
  planYear: number | null;
  name: string;
  printedSubtotal: number | null;
  seats: Record<(typeof STAGES)[number], number>;
  plannedCompletion: string | null;
  plannedStart: string | null;
  floorArea: number | null;
  land: number | null;
  /** null: the 资金测算 cell is blank or the table has no such column (未测算). */
  budgetFen: number | null;
  /** Only when the table has the column (so a re-import without it keeps what is stored). */
  code?: string | null;
  town?: string | null;
  kind?: ProjectKind | null;
  transitionalSeats?: boolean;
  boardingBeds?: number;
  builder?: string | null;
  contractor?: string | null;
  manager?: string | null;
  phone?: string | null;
  /** 纬度 / 经度 in millionths of a degree (common/geo.ts); both or neither. */
  latE6?: number | null;
  lngE6?: number | null;
  hasColumn: Partial<Record<Field, boolean>>;
}

interface ParsedSheet {
  sheet: string;
  headerRows: number[];
  rows: ParsedRow[];
  skipped: boolean;
}

export function columnLetter(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function matchField(text: string): Field | null {
  const key = headerKey(text);
  if (!key) return null;
  for (const [f, def] of Object.entries(FIELDS) as [Field, (typeof FIELDS)[Field]][]) {
    if ((def.names as readonly string[]).includes(key)) return f;
  }
  return null;
}

/** A cell's text as quoted in a message: long texts clipped, so a result of many problems stays small. */
const q = (s: string): string => (s.length > 50 ? `${s.slice(0, 50)}…` : s);

const textOf = (v: CellValue): string =>
  v.kind === 'text' ? v.value : v.kind === 'number' ? String(v.value) : '';

/**
 * Reads a plan table as staff have it: the header rows are found by their Chinese names wherever
 * they stand (one row, or two rows under merged group titles), merged 年度 cells are carried down,
 * a 合计 row is checked against the rows and not imported. Every problem is an Issue with sheet,
 * row, column and a Chinese message; errors stop the import, warnings travel with the project.
 */
/**
 * Reads one sheet. Async only to yield to the event loop every few hundred rows: a 10,000-row table
 * takes about a second to check, which must not stall every other request (/api/health waited 1.4 s).
 */
export async function parsePlanSheet(sheet: InputSheet, issues: Issue[]): Promise<ParsedSheet> {
  const issue = (
    severity: Issue['severity'],
    row: number,
    col: number,
    field: string,
    code: string,
    message: string,
  ) =>
    issues.push({
      severity,
      sheet: sheet.name,
      row,
      column: col ? columnLetter(col) : '',
      field,
      code,
      message: `工作表“${sheet.name}”第${row}行${col ? `${columnLetter(col)}列` : ''}${field ? `（${field}）` : ''}：${message}`,
    });

  // 1. the header: the first row (of the first 30) naming the school/project and two more known columns
  let headerIdx = -1;
  let columns = new Map<number, Field>();
  const units = new Map<Field, string | null>();
  for (let i = 0; i < Math.min(sheet.rows.length, 30); i++) {
    const found = new Map<number, Field>();
    sheet.rows[i].cells.forEach((c, j) => {
      const f = matchField(textOf(c.value));
      if (f && ![...found.values()].includes(f)) found.set(j + 1, f);
    });
    if ([...found.values()].includes('name') && found.size >= 3) {
      headerIdx = i;
      columns = found;
      for (const [j, f] of found)
        units.set(f, headerUnit(textOf(sheet.rows[i].cells[j - 1].value)));
      // a second header row under merged group titles (计划新增学位数 → 小计 幼儿园 小学 …)
      const next = sheet.rows[i + 1];
      if (next) {
        const sub = new Map<number, Field>();
        next.cells.forEach((c, j) => {
          const f = matchField(textOf(c.value));
          if (f && f !== 'name' && f !== 'planYear') sub.set(j + 1, f);
        });
        if (sub.size >= 2) {
          for (const [j, f] of sub) {
            for (const [k, g] of columns) if (g === f) columns.delete(k);
            columns.set(j, f);
            units.set(f, headerUnit(textOf(next.cells[j - 1].value)) ?? units.get(f) ?? null);
          }
          headerIdx = i + 1;
        }
      }
      break;
    }
  }
  if (headerIdx < 0) return { sheet: sheet.name, headerRows: [], rows: [], skipped: true };
  const headerRowNo = sheet.rows[headerIdx].number;
  const colOf = new Map<Field, number>([...columns].map(([j, f]) => [f, j]));
  const has = Object.fromEntries([...colOf.keys()].map((f) => [f, true])) as Partial<
    Record<Field, boolean>
  >;

  // units: money in 万元, land in 亩
  const budgetUnit = units.get('budget');
  if (budgetUnit && budgetUnit !== '万元')
    issue(
      'error',
      headerRowNo,
      colOf.get('budget')!,
      FIELDS.budget.label,
      'UNIT_MONEY',
      `金额单位须为万元（表头为“${q(budgetUnit)}”）`,
    );
  const landUnit = units.get('land');
  if (landUnit && landUnit !== '亩')
    issue(
      'error',
      headerRowNo,
      colOf.get('land')!,
      FIELDS.land.label,
      'UNIT_LAND',
      `用地单位须为亩（表头为“${q(landUnit)}”）`,
    );

  const rows: ParsedRow[] = [];
  let carriedYear: number | null = null;
  const totals: InputSheet['rows'] = [];
  let seen = 0;
  for (const r of sheet.rows.slice(headerIdx + 1)) {
    if (++seen % 250 === 0) await new Promise((resolve) => setImmediate(resolve));
    const cell = (f: Field): CellValue => {
      const j = colOf.get(f);
      return j ? (r.cells[j - 1]?.value ?? { kind: 'empty' }) : { kind: 'empty' };
    };
    const fmt = (f: Field) => {
      const j = colOf.get(f);
      return j ? r.cells[j - 1]?.numFmt : undefined;
    };
    if (r.cells.every((c) => c.value.kind === 'empty')) continue;
    const nameText = textOf(cell('name')).replace(/\s+/g, '');
    const yearText = textOf(cell('planYear')).replace(/\s+/g, '');
    // the 合计 row: its label may stand in any leading column (序号, 年度, 学校名称)
    if (
      TOTAL_WORDS.test(nameText) ||
      TOTAL_WORDS.test(yearText) ||
      r.cells.slice(0, 3).some((c) => TOTAL_WORDS.test(textOf(c.value).replace(/\s+/g, '')))
    ) {
      totals.push(r);
      continue;
    }
    const errorsBefore = issues.filter((x) => x.severity === 'error').length;
    const fail = (f: Field, code: string, message: string) =>
      issue('error', r.number, colOf.get(f) ?? 0, FIELDS[f].label, code, message);

    // 年度: merged cells arrive blank below the first row of a group: carry the year down
    let planYear = carriedYear;
    const y = cell('planYear');
    if (y.kind !== 'empty') {
      const m = /^(\d{4})(年度?)?$/.exec(textOf(y).replace(/\s+/g, ''));
      if (m && Number(m[1]) >= 1990 && Number(m[1]) <= 2100) planYear = carriedYear = Number(m[1]);
      else fail('planYear', 'BAD_YEAR', `年度须为四位年份，实际为“${q(textOf(y) || y.kind)}”`);
    }
    const nv = cell('name');
    const name =
      nv.kind === 'text' || nv.kind === 'number' ? textOf(nv).replace(/\s+/g, ' ').trim() : '';
    if (!name) fail('name', 'NAME_REQUIRED', '学校（项目）名称不能为空');
    else if (name.length > 200) fail('name', 'NAME_TOO_LONG', '名称过长（最多200字）');

    const count = (f: Field): number | null => {
      const v = cell(f);
      if (v.kind === 'empty') return null;
      const t = decimalText(v) ?? '';
      if (!/^-?\d+(\.\d+)?$/.test(t)) {
        fail(f, 'NOT_A_NUMBER', `须为数字，实际为“${q(textOf(v) || t)}”`);
        return null;
      }
      if (t.startsWith('-')) {
        fail(f, 'NEGATIVE', `不能为负数（${q(t)}）`);
        return null;
      }
      if (!/^\d+$/.test(t.replace(/\.0+$/, ''))) {
        fail(f, 'NOT_INTEGER', `须为整数（${q(t)}）`);
        return null;
      }
      const n = Number(t.replace(/\.0+$/, ''));
      if (n > MAX_COUNT) {
        fail(f, 'TOO_LARGE', `数量不能超过${MAX_COUNT}（${q(t)}）`);
        return null;
      }
      return n;
    };
    const seats = {
      kindergarten: 0,
      primary: 0,
      juniorMiddle: 0,
      seniorSecondary: 0,
      specialEducation: 0,
    };
    for (const s of STAGES) seats[s] = count(s) ?? 0;
    const printedSubtotal = count('subtotal');

    const decimal = (f: Field, scale: typeof WAN, places: number): number | null => {
      const v = cell(f);
      if (v.kind === 'empty') return null;
      const t = decimalText(v) ?? '';
      const p = parseDecimal(t, scale);
      if (p.ok) return p.value;
      const reason = {
        not_decimal: `须为数字，实际为“${q(textOf(v) || t)}”`,
        negative: `不能为负数（${q(t)}）`,
        too_precise:
          places === 6
            ? `金额最多精确到分（6位小数），实际为${q(t)}`
            : `最多保留2位小数，实际为${q(t)}`,
        too_large:
          places === 6
            ? `金额不能超过100000000万元（${q(t)}）`
            : `数值不能超过100000000（${q(t)}）`,
      }[p.reason];
      fail(f, p.reason.toUpperCase(), reason);
      return null;
    };
    const floorArea = decimal('floorArea', HUNDREDTHS, 2);
    const land = decimal('land', HUNDREDTHS, 2);
    const budgetFen = decimal('budget', WAN, 6);

    const date = (f: 'plannedCompletion' | 'plannedStart'): string | null => {
      const v = cell(f);
      if (v.kind === 'empty') return null;
      const d = parsePlannedDate(v, fmt(f));
      if (d.ok) return d.value;
      fail(
        f,
        d.reason === 'bad_month' ? 'BAD_MONTH' : d.reason === 'bad_day' ? 'BAD_DAY' : 'BAD_DATE',
        d.reason === 'bad_month'
          ? `月份无效（“${q(textOf(v))}”）`
          : d.reason === 'bad_day'
            ? `日期无效（“${q(textOf(v))}”）`
            : `无法识别的日期“${q(textOf(v) || v.kind)}”，应写作2021年8月、2021.8或2021-08`,
      );
      return null;
    };
    const plannedCompletion = date('plannedCompletion');
    const plannedStart = date('plannedStart');

    const parsed: ParsedRow = {
      sheet: sheet.name,
      row: r.number,
      planYear,
      name,
      printedSubtotal,
      seats,
      plannedCompletion,
      plannedStart,
      floorArea,
      land,
      budgetFen,
      hasColumn: has,
    };
    if (has.code) parsed.code = textOf(cell('code')) || null;
    if (has.town) parsed.town = textOf(cell('town')) || null;
    if (has.kind) {
      const k = textOf(cell('kind')).replace(/\s+/g, '');
      const found = PROJECT_KINDS.find(
        (x) =>
          x === k ||
          PROJECT_KIND_LABELS[x] === k ||
          (x === 'relocation' && k === '异地迁建') ||
          (x === 'expansion' && k === '扩建'),
      );
      if (k && !found)
        fail(
          'kind',
          'BAD_KIND',
          `项目类型须为${PROJECT_KINDS.map((x) => PROJECT_KIND_LABELS[x]).join('、')}之一，实际为“${q(k)}”`,
        );
      parsed.kind = found ?? null;
    }
    if (has.transitional) {
      const t = textOf(cell('transitional')).replace(/\s+/g, '');
      if (t && !['是', '否', 'Y', 'N', '√'].includes(t))
        fail('transitional', 'BAD_FLAG', `须填“是”或“否”，实际为“${q(t)}”`);
      parsed.transitionalSeats = t === '是' || t === 'Y' || t === '√';
    }
    if (has.boardingBeds) parsed.boardingBeds = count('boardingBeds') ?? 0;
    if (has.builder) parsed.builder = textOf(cell('builder')) || null;
    if (has.contractor) parsed.contractor = textOf(cell('contractor')) || null;
    if (has.manager) parsed.manager = textOf(cell('manager')) || null;
    if (has.phone) {
      const ph = textOf(cell('phone'));
      if (ph && !(/^[0-9\- ]{7,20}$/.test(ph) && ph.replace(/\D/g, '').length >= 7))
        fail('phone', 'BAD_PHONE', `电话号码只能包含数字、“-”和空格，共7–20位，实际为“${q(ph)}”`);
      parsed.phone = ph || null;
    }
    // 经度/纬度: optional columns; a location is both or neither, within China's extent
    if (has.lat || has.lng) {
      const coord = (f: 'lat' | 'lng'): number | null | undefined => {
        const t = has[f] ? textOf(cell(f)).trim() : '';
        if (!t) return null;
        const micro = parseCoordinate(t);
        const word = FIELDS[f].label;
        if (micro === null) {
          fail(f, 'BAD_COORDINATE', `${word}须为小数（度），最多6位小数，实际为“${q(t)}”`);
          return undefined;
        }
        if (!inChina(f, micro)) {
          fail(
            f,
            'COORDINATE_OUT_OF_RANGE',
            `${word}超出中国范围（${CHINA_BOX_TEXT}），实际为“${q(t)}”`,
          );
          return undefined;
        }
        return micro;
      };
      const lat = coord('lat');
      const lng = coord('lng');
      if (lat !== undefined && lng !== undefined) {
        if ((lat === null) !== (lng === null))
          fail(
            lat === null ? 'lat' : 'lng',
            'LOCATION_INCOMPLETE',
            '经度和纬度须同时填写或同时留空',
          );
        else {
          parsed.latE6 = lat;
          parsed.lngE6 = lng;
        }
      }
    }

    const total = STAGES.reduce((s, k) => s + seats[k], 0);
    if (
      printedSubtotal !== null &&
      printedSubtotal !== total &&
      issues.filter((x) => x.severity === 'error').length === errorsBefore
    ) {
      issue(
        'warning',
        r.number,
        colOf.get('subtotal') ?? 0,
        FIELDS.subtotal.label,
        'SUBTOTAL_MISMATCH',
        `小计${printedSubtotal}与各学段之和${total}不一致（按各学段导入，保留印刷小计）`,
      );
    }
    if (planYear === null && name)
      fail('planYear', 'YEAR_REQUIRED', '缺少年度（上方也没有可沿用的年度）');
    rows.push(parsed);
  }

  // 2. the 合计 row: checked against the rows, never imported
  for (const t of totals) {
    const printed = (f: Field): CellValue => {
      const j = colOf.get(f);
      return j ? (t.cells[j - 1]?.value ?? { kind: 'empty' }) : { kind: 'empty' };
    };
    const compare = (
      f: Field,
      actual: bigint,
      format: (v: bigint) => string,
      scale: typeof WAN | null,
    ) => {
      const v = printed(f);
      if (v.kind === 'empty') return;
      const text = decimalText(v) ?? '';
      const p = scale
        ? parseDecimal(text, scale)
        : /^\d+$/.test(text)
          ? { ok: true as const, value: Number(text) }
          : { ok: false as const };
      if (!p.ok)
        return issue(
          'warning',
          t.number,
          colOf.get(f)!,
          FIELDS[f].label,
          'TOTAL_UNREADABLE',
          `合计值“${q(text)}”无法识别`,
        );
      if (BigInt(p.value) !== actual) {
        issue(
          'warning',
          t.number,
          colOf.get(f)!,
          FIELDS[f].label,
          'TOTAL_MISMATCH',
          `合计行${FIELDS[f].label}${format(BigInt(p.value))}与各行合计${format(actual)}不一致（合计行不导入）`,
        );
      }
    };
    const int = (v: bigint) => v.toString();
    const sum = (get: (r: ParsedRow) => number | null) =>
      rows.reduce((s, r) => s + BigInt(get(r) ?? 0), 0n);
    compare(
      'subtotal',
      sum((r) => STAGES.reduce((s, k) => s + r.seats[k], 0)),
      int,
      null,
    );
    for (const s of STAGES)
      compare(
        s,
        sum((r) => r.seats[s]),
        int,
        null,
      );
    const hundredths = (v: bigint) => formatHundredths(v);
    compare(
      'floorArea',
      sum((r) => r.floorArea),
      hundredths,
      HUNDREDTHS,
    );
    compare(
      'land',
      sum((r) => r.land),
      hundredths,
      HUNDREDTHS,
    );
    compare(
      'budget',
      sum((r) => r.budgetFen),
      fenToWan,
      WAN,
    );
  }
  return { sheet: sheet.name, headerRows: [headerRowNo], rows, skipped: false };
}
