import { formatHundredths } from '../common/money';
import { formatCoordinate } from '../common/geo';
import { printedPlannedDate } from '../excel/cells';
import {
  addSheet,
  FMT,
  hundredthsCell,
  streamingWorkbook,
  styleBody,
  styleHeader,
  sumFormula,
  wanCell,
} from '../excel/sheet-writer';
import { Project } from './project.entity';
import { PROJECT_KIND_LABELS } from './project-rules';
import { FIELD_LABELS, STAGE_LABELS } from '../common/vocabulary';

/**
 * The plan-table layout the import reads (two header rows under 计划新增学位数, 合计 last), with
 * every field a project has, so an export re-imported changes nothing.
 */
const COLUMNS = [
  { key: 'planYear', header: '年度', group: '年度', numFmt: FMT.int },
  { key: 'name', header: '学校名称', group: '学校名称', min: 24 },
  { key: 'subtotal', header: '小计', group: '计划新增学位数（个）', numFmt: FMT.seats },
  {
    key: 'kindergarten',
    header: STAGE_LABELS.kindergarten,
    group: '计划新增学位数（个）',
    numFmt: FMT.seats,
  },
  {
    key: 'primary',
    header: STAGE_LABELS.primary,
    group: '计划新增学位数（个）',
    numFmt: FMT.seats,
  },
  {
    key: 'juniorMiddle',
    header: STAGE_LABELS.juniorMiddle,
    group: '计划新增学位数（个）',
    numFmt: FMT.seats,
  },
  {
    key: 'seniorSecondary',
    header: '高中（中职）', // the plan table's own header (docs/excel-layouts.md), kept on export
    group: '计划新增学位数（个）',
    numFmt: FMT.seats,
  },
  {
    key: 'specialEducation',
    header: STAGE_LABELS.specialEducation,
    group: '计划新增学位数（个）',
    numFmt: FMT.seats,
  },
  { key: 'plannedCompletion', header: '计划完成时间', group: '计划完成时间', min: 12 },
  { key: 'floorArea', header: '建筑面积（平方米）', group: '建筑面积（平方米）', numFmt: FMT.area },
  { key: 'land', header: '用地需求（亩）', group: '用地需求（亩）', numFmt: FMT.area },
  { key: 'budget', header: '资金测算（万元）', group: '资金测算（万元）', numFmt: FMT.wan },
  { key: 'code', header: '项目编码', group: '项目编码' },
  { key: 'town', header: '镇（街道）', group: '镇（街道）' },
  { key: 'kind', header: '项目类型', group: '项目类型' },
  { key: 'plannedStart', header: '计划开工时间', group: '计划开工时间', min: 12 },
  { key: 'transitional', header: '过渡学位', group: '过渡学位' },
  {
    key: 'boardingBeds',
    header: FIELD_LABELS.boardingBeds,
    group: FIELD_LABELS.boardingBeds,
    numFmt: FMT.seats,
  },
  // after the plan's own columns: who builds it and whom to call
  { key: 'builder', header: FIELD_LABELS.builder, group: FIELD_LABELS.builder, min: 16 },
  { key: 'contractor', header: FIELD_LABELS.contractor, group: FIELD_LABELS.contractor, min: 16 },
  { key: 'manager', header: FIELD_LABELS.manager, group: FIELD_LABELS.manager },
  { key: 'phone', header: FIELD_LABELS.phone, group: FIELD_LABELS.phone, min: 14 },
  // the location as text with six places, so it comes back exact on import
  { key: 'lng', header: FIELD_LABELS.lng, group: FIELD_LABELS.lng, min: 12 },
  { key: 'lat', header: FIELD_LABELS.lat, group: FIELD_LABELS.lat, min: 12 },
] as const;

const SUMMED = [
  'subtotal',
  'kindergarten',
  'primary',
  'juniorMiddle',
  'seniorSecondary',
  'specialEducation',
  'floorArea',
  'land',
  'budget',
  'boardingBeds',
];

export async function writePlanTable(
  path: string,
  title: string,
  projects: Project[],
  template = false,
  /** the sheet's name: an export names its region (连南瑶族自治县学位建设规划表) */
  sheetName = '学位建设规划表',
): Promise<void> {
  const wb = streamingWorkbook(path);
  wb.creator = '学校建设项目管理系统';
  const ws = addSheet(
    wb,
    sheetName.slice(0, 31),
    COLUMNS.map((c) => ({
      header: c.group,
      key: c.key,
      numFmt: 'numFmt' in c ? c.numFmt : undefined,
      min: 'min' in c ? c.min : 8,
      sample: [c.header],
    })),
    3,
  );
  // row 1 title; rows 2–3 the two header rows, merged as staff's tables are
  const titleRow = ws.getRow(1);
  titleRow.getCell(1).value = title;
  titleRow.font = { bold: true, size: 14 };
  titleRow.height = 26;
  ws.mergeCells(1, 1, 1, COLUMNS.length);
  titleRow.commit();
  const g = ws.getRow(2);
  const h = ws.getRow(3);
  COLUMNS.forEach((c, i) => {
    g.getCell(i + 1).value = c.group;
    h.getCell(i + 1).value = c.group === c.header ? null : c.header;
  });
  styleHeader(g);
  styleHeader(h);
  COLUMNS.forEach((c, i) => {
    if (c.group === c.header) ws.mergeCells(2, i + 1, 3, i + 1);
  });
  const first = COLUMNS.findIndex((c) => c.group === '计划新增学位数（个）') + 1;
  ws.mergeCells(2, first, 2, first + 5);
  g.commit();
  h.commit();
  const totals = Object.fromEntries(SUMMED.map((k) => [k, 0n])) as Record<string, bigint>;
  let n = 3;
  for (const p of template ? [] : projects) {
    const total =
      p.seatsKindergarten +
      p.seatsPrimary +
      p.seatsJuniorMiddle +
      p.seatsSeniorSecondary +
      p.seatsSpecialEducation;
    const values: Record<string, unknown> = {
      planYear: p.planYear,
      name: p.name,
      subtotal: p.printedSubtotal ?? total,
      kindergarten: p.seatsKindergarten,
      primary: p.seatsPrimary,
      juniorMiddle: p.seatsJuniorMiddle,
      seniorSecondary: p.seatsSeniorSecondary,
      specialEducation: p.seatsSpecialEducation,
      plannedCompletion: p.plannedCompletion ? printedPlannedDate(p.plannedCompletion) : null,
      floorArea: hundredthsCell(p.floorArea),
      land: hundredthsCell(p.land),
      budget: wanCell(p.budgetFen),
      code: p.code,
      town: p.town,
      kind: p.kind ? PROJECT_KIND_LABELS[p.kind] : null,
      plannedStart: p.plannedStart ? printedPlannedDate(p.plannedStart) : null,
      transitional: p.transitionalSeats ? '是' : '否',
      boardingBeds: p.boardingBeds,
      builder: p.builder,
      contractor: p.contractor,
      manager: p.manager,
      phone: p.phone,
      lng: formatCoordinate(p.lngE6),
      lat: formatCoordinate(p.latE6),
    };
    totals.subtotal += BigInt(p.printedSubtotal ?? total);
    for (const k of [
      'kindergarten',
      'primary',
      'juniorMiddle',
      'seniorSecondary',
      'specialEducation',
      'boardingBeds',
    ] as const)
      totals[k] += BigInt(values[k] as number);
    totals.floorArea += BigInt(p.floorArea ?? 0);
    totals.land += BigInt(p.land ?? 0);
    totals.budget += BigInt(p.budgetFen ?? 0);
    const row = ws.addRow(values);
    styleBody(row);
    row.commit();
    n++;
  }
  if (!template) {
    const t = ws.addRow({ planYear: '合计' });
    COLUMNS.forEach((c, i) => {
      if (!SUMMED.includes(c.key)) return;
      const col = ws.getColumn(i + 1).letter;
      const v = totals[c.key];
      const result =
        c.key === 'budget'
          ? wanCell(v)!
          : c.key === 'floorArea' || c.key === 'land'
            ? Number(formatHundredths(v))
            : Number(v);
      t.getCell(i + 1).value = sumFormula(col, 4, n, result);
    });
    t.font = { bold: true };
    styleBody(t);
    t.commit();
  }
  ws.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3, column: COLUMNS.length } };
  ws.commit();
  await wb.commit();
}
