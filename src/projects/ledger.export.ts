import { ledgerUnits, SEVERITY_LABELS, STAGE_LABELS } from '../common/vocabulary';
import { wanTextToFen } from '../common/money';
import {
  addReportSheet,
  bodyRow,
  ColumnSpec,
  FMT,
  hundredthsCell,
  SheetPacer,
  streamingWorkbook,
  sumFormula,
  wanCell,
  writeBodyRow,
} from '../excel/sheet-writer';
import type { LedgerColumn } from './dto/ledger-export.dto';
import type { Project } from './project.entity';
import type { ProjectTotals } from './project.view';
import { STATUS_LABELS } from './project-rules';

/** The five stages under 计划新增学位数（个）, as the screen orders them. */
const STAGES = [
  ['kindergarten', 'seatsKindergarten'],
  ['primary', 'seatsPrimary'],
  ['juniorMiddle', 'seatsJuniorMiddle'],
  ['seniorSecondary', 'seatsSeniorSecondary'],
  ['specialEducation', 'seatsSpecialEducation'],
] as const;

const SEATS_GROUP = '计划新增学位数（个）';

/** One project's row as the ledger shows it: its region's name and its 预警等级 beside it. */
export interface LedgerRow {
  project: Project;
  region: string;
  alert: 'red' | 'yellow' | 'blue' | null;
}

/** `2026-09` → 2026年9月, as the screen writes a planned month; a full date stays as it is. */
export function plannedMonthText(v: string | null): string | null {
  if (!v) return null;
  const m = /^(\d{4})-(\d{2})$/.exec(v);
  return m ? `${m[1]}年${Number(m[2])}月` : v;
}

/** The columns of the sheet (after 序号) for the chosen screen columns, in their order. */
function sheetColumns(
  columns: LedgerColumn[],
): (ColumnSpec & { cell: (r: LedgerRow) => unknown })[] {
  const out: (ColumnSpec & { cell: (r: LedgerRow) => unknown })[] = [];
  for (const c of columns) {
    switch (c) {
      case 'planYear':
        out.push({
          key: c,
          header: '年度',
          numFmt: FMT.int,
          min: 6,
          cell: (r) => r.project.planYear,
        });
        break;
      case 'name':
        out.push({
          key: c,
          header: '项目名称',
          min: 24,
          max: 40,
          wrap: true,
          cell: (r) => r.project.name,
        });
        break;
      case 'region':
        out.push({ key: c, header: '区县', min: 12, max: 20, wrap: true, cell: (r) => r.region });
        break;
      case 'seats':
        for (const [stage, field] of STAGES)
          out.push({
            key: stage,
            header: STAGE_LABELS[stage],
            numFmt: FMT.seats,
            min: 8,
            // no seats of a stage is a blank cell, as the screen shows it
            cell: (r) => r.project[field] || null,
          });
        break;
      case 'floorArea':
        out.push({
          key: c,
          header: '建筑面积（㎡）',
          numFmt: FMT.area,
          min: 12,
          cell: (r) => hundredthsCell(r.project.floorArea),
        });
        break;
      case 'land':
        out.push({
          key: c,
          header: '用地（亩）',
          numFmt: FMT.area,
          min: 10,
          cell: (r) => hundredthsCell(r.project.land),
        });
        break;
      case 'budget':
        out.push({
          key: c,
          header: '资金测算（万元）',
          numFmt: FMT.wan,
          min: 14,
          // 未测算 is not 0.00: the screen says so, and SUM leaves the text out
          cell: (r) => (r.project.budgetFen === null ? '未测算' : wanCell(r.project.budgetFen)),
        });
        break;
      case 'plannedStart':
        out.push({
          key: c,
          header: '计划开工',
          min: 11,
          cell: (r) => plannedMonthText(r.project.plannedStart),
        });
        break;
      case 'planned':
        out.push({
          key: c,
          header: '计划完成',
          min: 11,
          cell: (r) => plannedMonthText(r.project.plannedCompletion),
        });
        break;
      case 'status':
        out.push({ key: c, header: '状态', min: 9, cell: (r) => STATUS_LABELS[r.project.status] });
        break;
      case 'progress':
        out.push({
          key: c,
          header: '形象进度',
          numFmt: FMT.percent,
          min: 9,
          // a whole percentage: divided by 100 exactly as a cell, shown as `45%`
          cell: (r) =>
            r.project.progressPercent === null ? '未填报' : r.project.progressPercent / 100,
        });
        break;
      case 'alert':
        out.push({
          key: c,
          header: '预警',
          min: 7,
          cell: (r) => (r.alert ? SEVERITY_LABELS[r.alert] : '无'),
        });
        break;
    }
  }
  return out;
}

/**
 * A sum of hundredths as the API writes it (`1234.50`, never negative) as a cell's number: read as
 * whole hundredths, then divided once. A province's sum may pass what one project may hold
 * (HUNDREDTHS' limit), so it is not read with toUnits.
 */
function hundredthsOf(text: string): number {
  const [whole, frac = ''] = text.split('.');
  return hundredthsCell(Number(BigInt(`${whole}${frac.padEnd(2, '0').slice(0, 2)}`)))!;
}

export interface LedgerFrame {
  /** The region the ledger covers (the filter's, else the user's), e.g. 连南瑶族自治县. */
  region: string;
  /** 填报单位 for the printed pages' header. */
  unit: string;
  /** 截至日期 (YYYY-MM-DD, the business day) and the 打印日期 written out. */
  asOf: string;
  printedOn: string;
  /** The filters in words (年度：2026年；状态：在建), or '' for none. */
  filters: string;
}

/**
 * 项目台账 as shown (docs/excel-layouts.md): the screen's columns in its order (列设置), a title with
 * the region, an information line with 截至日期 and the filters, one or two header rows, the rows
 * (streamed, `rows` yields them a page at a time) and the 合计 of everything the filters match —
 * the same figures as `GET /api/projects/totals` — printed A4 landscape, fitted to the width, with
 * the title and header on every page.
 */
export async function writeLedger(
  path: string,
  columns: LedgerColumn[],
  frame: LedgerFrame,
  rows: AsyncIterable<LedgerRow[]>,
  totals: ProjectTotals,
): Promise<void> {
  const cols = sheetColumns(columns);
  const specs: ColumnSpec[] = [{ key: 'index', header: '序号', width: 6 }, ...cols];
  const wb = streamingWorkbook(path);
  wb.creator = '学校建设项目管理系统';
  const seats = cols.filter((c) => STAGES.some(([s]) => s === c.key)).map((c) => c.key);
  const units = ledgerUnits((c) => columns.includes(c as LedgerColumn));
  const ws = addReportSheet(wb, '项目台账', specs, {
    title: `${frame.region} · 学校建设项目台账`,
    info: [
      `截至日期：${frame.asOf}`,
      frame.filters ? `筛选条件：${frame.filters}` : '筛选条件：无（全部项目）',
      ...(units ? [`单位：${units}`] : []),
    ].join('\u3000\u3000'),
    page: { unit: frame.unit, printedOn: frame.printedOn },
    groups: seats.length ? [{ label: SEATS_GROUP, keys: seats }] : undefined,
  });
  const first = seats.length ? 5 : 4; // title, information, one or two header rows
  const pacer = new SheetPacer(ws);
  let n = 0;
  for await (const page of rows) {
    for (const r of page) {
      writeBodyRow(ws, [++n, ...cols.map((c) => c.cell(r))]);
      await pacer.row();
    }
  }
  const last = first + n - 1;
  const total = ws.addRow([]);
  total.getCell(1).value = '合计';
  cols.forEach((c, i) => {
    const cell = total.getCell(i + 2);
    const col = ws.getColumn(i + 2).letter;
    const stage = STAGES.find(([s]) => s === c.key);
    if (c.key === 'name') cell.value = `共 ${totals.count} 个项目`;
    // a sum over only blanks is blank, as on screen
    else if (stage && totals.seats[stage[0]])
      cell.value = sumFormula(col, first, last, totals.seats[stage[0]]);
    else if (c.key === 'floorArea' && totals.floorAreaUnknown < totals.count)
      cell.value = sumFormula(col, first, last, hundredthsOf(totals.floorAreaM2));
    else if (c.key === 'land' && totals.landUnknown < totals.count)
      cell.value = sumFormula(col, first, last, hundredthsOf(totals.landMu));
    else if (c.key === 'budget')
      cell.value = sumFormula(col, first, last, wanCell(wanTextToFen(totals.budgetWan))!);
  });
  bodyRow(total, { bold: true, fill: 'total' });
  total.commit();
  if (totals.budgetUnknown && columns.includes('budget')) {
    const note = ws.addRow([
      `注：另有 ${totals.budgetUnknown} 个项目未测算资金，资金测算合计不含这些项目。`,
    ]);
    ws.mergeCells(note.number, 1, note.number, specs.length);
    note.commit();
  }
  ws.commit();
  await wb.commit();
}
