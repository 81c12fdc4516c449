import { displayFen } from '../common/money-display';
import ExcelJS from 'exceljs';
import { dayjs, daysBetween, dueDate } from '../common/dates';
import { fenToWan, formatHundredths } from '../common/money';
import {
  bureauName,
  FIELD_LABELS,
  PLAN_WORDS,
  planStanding,
  SUBMISSION_STATUS_LABELS,
} from '../common/vocabulary';
import { printedPlannedDate } from '../excel/cells';
import {
  addReportSheet,
  bodyFont,
  ColumnSpec,
  dateCell,
  ReportFrame,
  signOff,
  SheetPacer,
  FMT,
  hundredthsCell,
  streamingWorkbook,
  bodyRow,
  writeBodyRow,
  headerRow,
  heightFor,
  legend,
  ROW_PT,
  wrappedLines,
  sumFormula,
  wanCell,
} from '../excel/sheet-writer';
import {
  AlertCondition,
  ALERT_KIND_LABELS,
  printedDate,
  SEVERITY_LABELS,
} from '../alerts/alert-rules';
import { SOURCE_LABELS, FUNDING_SOURCES } from '../funding/funding.entities';
import { PROJECT_STATUSES, STAGE_LABELS, STATUS_LABELS } from '../projects/project-rules';
import { changeRows, eventText } from './report-changes';
import { SheetDigest, watchSheets } from './sheet-digest';
import { ReportData, ReportProject } from './report-data.service';
import {
  gapByStatus,
  rankCounties,
  rates,
  seatLines,
  share,
  sumFen,
  vsSchedule,
} from './report-rates';

function monthLabel(month: string): string {
  const [y, m] = month.split('-');
  return `${y}年${Number(m)}月`;
}

/** When the report was generated, in the business time zone: 2026-12-05 09:30. */
function generatedTime(d: ReportData): string {
  return dayjs(d.generatedAt).tz(d.timeZone).format('YYYY-MM-DD HH:mm');
}

/** The day the report was generated, in the business time zone, written out: 2026年12月5日. */
function printedOn(d: ReportData): string {
  const day = dayjs(d.generatedAt).tz(d.timeZone);
  return `${day.year()}年${day.month() + 1}月${day.date()}日`;
}

/** 填报单位: the bureau of the region reported on; a report of everything is filled in by hand. */
function unitOf(d: ReportData): string {
  return d.region.id === null ? '\u3000\u3000\u3000\u3000\u3000\u3000' : bureauName(d.region);
}

/**
 * The document frame of every sheet: region · title · month; the information line states 填报单位,
 * the sheet's one 截至日期 and units; each printed page's header carries 填报单位 and 打印日期.
 */
function frameOf(d: ReportData, extra: Partial<ReportFrame> = {}): ReportFrame {
  return {
    title: `${d.region.name} · 学校建设项目月度进展报表 · ${monthLabel(d.month)}`,
    info: `填报单位：${unitOf(d)}\u3000\u3000${d.monthOpen ? `截至${printedDate(d.asOf)}，本月尚未结束` : `截至日期：${d.asOf}`}\u3000\u3000单位：万元、个、平方米、亩`,
    page: { unit: unitOf(d), printedOn: printedOn(d) },
    ...extra,
  };
}

/** A project's data problems in words, for 备注 (e.g. a printed 小计 its stages do not add up to). */
function remarks(p: ReportProject): string {
  const s = p.seats;
  const total =
    s.kindergarten + s.primary + s.juniorMiddle + s.seniorSecondary + s.specialEducation;
  const out: string[] = [];
  if (p.printedSubtotal !== null && p.printedSubtotal !== total)
    out.push(`印刷小计${p.printedSubtotal}，各学段之和${total}`);
  if (p.transitional) out.push('过渡学位');
  if (p.budget === null) out.push('资金未测算');
  return out.join('；');
}

/**
 * Writes the sheets of docs/excel-layouts.md with the streaming writer. With `digest` it answers
 * each sheet's row count and digest (生成时间 left out), which a submission keeps to tell what
 * changed between versions; without (a report to download) it answers none: hashing every row's
 * values costs a province's report about 0.3 s.
 */
export async function writeMonthlyReport(
  path: string,
  d: ReportData,
  progress?: (p: number) => void,
  /** Between sheets: the job runner's garbage collection (JobContext.betweenPhases). */
  betweenPhases: () => void = () => undefined,
  opts: { digest?: boolean } = {},
): Promise<SheetDigest[] | undefined> {
  const wb = streamingWorkbook(path);
  const digests = opts.digest ? watchSheets(wb, [generatedTime(d)]) : undefined;
  wb.creator = '学校建设项目管理系统';
  wb.created = new Date(d.generatedAt);
  // the data was read up to 60 %; each sheet then reports its share, the biggest the most
  writeSummary(wb, d);
  progress?.(63);
  await writeDetail(wb, d);
  progress?.(75);
  betweenPhases(); // each big sheet's rows and XML buffers are garbage once it is written
  await writeContacts(wb, d);
  progress?.(78);
  betweenPhases();
  await writeProgress(wb, d);
  progress?.(82);
  betweenPhases();
  await writeAlerts(wb, d);
  progress?.(86);
  betweenPhases();
  await writeMilestones(wb, d);
  progress?.(92);
  betweenPhases();
  writeFunding(wb, d);
  progress?.(94);
  writeChanges(wb, d);
  progress?.(96);
  writePlans(wb, d);
  progress?.(97);
  writeSubmissions(wb, d);
  await wb.commit();
  return digests?.();
}

function writeSummary(wb: ExcelJS.stream.xlsx.WorkbookWriter, d: ReportData): void {
  const ws = addReportSheet(
    wb,
    '汇总',
    [
      { header: '项目', key: 'a', width: 38 },
      ...['b', 'c', 'd', 'e', 'f', 'g'].map((key) => ({ header: '', key, width: 16 })),
    ],
    frameOf(d, { noHeader: true }),
  );
  // the sheet is written in blocks (the sections, split by a blank row): a block that would cross
  // a page boundary starts on a new page, unless it is longer than a page
  type Line = { values: unknown[]; opts: LineOpts };
  const blocks: Line[][] = [[]];
  const line = (values: unknown[], opts: LineOpts = {}) => {
    blocks[blocks.length - 1].push({ values, opts });
  };
  const blank = () => blocks.push([]);
  line(['报表月份', monthLabel(d.month), '生成时间', generatedTime(d)]);
  line(['地区', d.region.name]);
  blank();

  // 一、project counts by status
  line(['一、项目数量（按状态）', '项目数'], { header: true });
  for (const s of PROJECT_STATUSES)
    line([STATUS_LABELS[s], d.projects.filter((p) => p.status === s).length], {
      fmt: [undefined, FMT.seats],
    });
  line(['合计', d.projects.length], { bold: true, fmt: [undefined, FMT.seats] });
  blank();

  // 二、seats planned vs delivered, transitional seats apart
  line(
    [
      '二、学位（个）',
      '计划新增（永久）',
      '已交付（永久）',
      '交付率',
      '计划新增（过渡）',
      '已交付（过渡）',
    ],
    { header: true },
  );
  const seats = seatLines(d.projects);
  for (const x of seats.stages)
    line(
      [
        STAGE_LABELS[x.stage],
        x.planned,
        x.delivered,
        share(x.delivered, x.planned),
        x.transitionalPlanned,
        x.transitionalDelivered,
      ],
      { fmt: [undefined, FMT.seats, FMT.seats, FMT.rate, FMT.seats, FMT.seats] },
    );
  const t = seats.total;
  line(
    [
      '合计',
      t.planned,
      t.delivered,
      share(t.delivered, t.planned),
      t.transitionalPlanned,
      t.transitionalDelivered,
    ],
    {
      bold: true,
      fmt: [undefined, FMT.seats, FMT.seats, FMT.rate, FMT.seats, FMT.seats],
    },
  );
  blank();

  // 三、money: the same sums as GET /api/funding/summary for the day
  const sum = sumFen;
  const all = d.projects;
  const { completed: gapCompleted, building: gapBuilding } = gapByStatus(all);
  line(['三、资金（万元）', '金额'], { header: true });
  const money: [string, bigint][] = [
    ['资金测算（概算）', sum(all, (p) => p.budget ?? 0n)],
    ['已落实资金', sum(all, (p) => p.committed)],
    ['已到位资金', sum(all, (p) => p.received)],
    ['已支付', sum(all, (p) => p.paid)],
    ['累计完成投资', sum(all, (p) => p.investmentFen)],
    ['资金缺口（全部项目）', sum(all, (p) => p.gap)],
    ['其中：已竣工项目缺口', gapCompleted],
    ['其中：在建项目缺口', gapBuilding],
    ['已竣工及在建项目缺口合计', gapCompleted + gapBuilding],
  ];
  for (const [label, fen] of money)
    line([label, wanCell(fen)], { fmt: [undefined, FMT.wan], bold: label.endsWith('合计') });

  // the shortfall a plan states, beside what the tracked projects of its region explain
  for (const g of d.reportedGaps) {
    const mine = all.filter((p) => g.regionIds.has(p.regionId));
    const { completed: done, building } = gapByStatus(mine);
    blank();
    line([`规划所列资金缺口（${g.regionName}）`, '规划所列', '台账测算', '差额（台账－规划）'], {
      header: true,
    });
    const rows: [string, bigint, bigint][] = [
      ['已竣工及在建项目缺口合计', g.total, done + building],
      ['其中：已竣工', g.completed, done],
      ['其中：在建', g.underConstruction, building],
    ];
    for (const [label, stated, tracked] of rows)
      line([label, wanCell(stated), wanCell(tracked), wanCell(tracked - stated)], {
        fmt: [undefined, FMT.wan, FMT.wan, FMT.wan],
      });
    line(
      [
        `${g.document}所列：${displayFen(g.total)} = ${displayFen(g.completed)} 已竣工 + ${displayFen(g.underConstruction)} 在建；` +
          `台账测算：${displayFen(done + building)} = ${displayFen(done)} 已竣工 + ${displayFen(building)} 在建`,
      ],
      { wide: true },
    );
  }
  const unbudgeted = all.filter((p) => p.budget === null).length;
  if (unbudgeted)
    line([`未测算资金的项目（不计入资金测算和缺口）：${unbudgeted}个`], { wide: true });
  blank();

  // 四、the rates programmes are judged by, beside 序时进度
  const r = rates(d.projects, d.asOf);
  line(
    [
      '四、考核指标',
      '按项目数',
      '按建筑面积',
      '序时进度（按项目数）',
      '序时进度（按建筑面积）',
      '与序时进度差（按项目数）',
    ],
    { header: true },
  );
  const diff = vsSchedule;
  const pct = [undefined, FMT.rate, FMT.rate, FMT.rate, FMT.rate, FMT.rate];
  line(
    [
      '开工率（已开工÷全部）',
      r.startRateCount,
      r.startRateArea,
      r.scheduleCount,
      r.scheduleArea,
      diff(r.startRateCount, r.scheduleCount),
    ],
    { fmt: pct },
  );
  line(
    [
      '竣工率（已竣工÷全部）',
      r.completionRateCount,
      r.completionRateArea,
      r.scheduleCount,
      r.scheduleArea,
      diff(r.completionRateCount, r.scheduleCount),
    ],
    { fmt: pct },
  );
  line(
    [
      '投资完成率（完成投资÷概算）',
      r.investmentRate,
      null,
      r.scheduleCount,
      r.scheduleArea,
      diff(r.investmentRate, r.scheduleCount),
    ],
    { fmt: pct },
  );
  line(
    [
      '资金到位率（已到位÷概算）',
      r.fundsArrivalRate,
      null,
      r.scheduleCount,
      r.scheduleArea,
      diff(r.fundsArrivalRate, r.scheduleCount),
    ],
    { fmt: pct },
  );
  line(['资金支出率（已支付÷已到位）', r.spendingRate, null, null, null, null], { fmt: pct });

  // 五、for a city or province: the counties ranked (the monthly 通报)
  if (d.counties.length > 1) {
    blank();
    line(
      [
        '五、各县（区）排名',
        '项目数',
        '开工率',
        '竣工率',
        '投资完成率',
        '资金到位率',
        '资金支出率',
      ],
      { header: true },
    );
    const ranked = rankCounties(d.counties, d.projects, d.asOf);
    ranked.forEach(({ c, r: x }, i) =>
      line(
        [
          `${i + 1}. ${c.name}`,
          x.projects,
          x.startRateCount,
          x.completionRateCount,
          x.investmentRate,
          x.fundsArrivalRate,
          x.spendingRate,
        ],
        { fmt: [undefined, FMT.seats, FMT.rate, FMT.rate, FMT.rate, FMT.rate, FMT.rate] },
      ),
    );
  }
  writeBlocks(ws, blocks, SUMMARY_WIDTHS);
  legend(ws, { header: '表头' });
  signOff(ws, 7, d.asOf);
  ws.commit();
}

/** How a line of 汇总 is printed: a header row, bold (合计), number formats by column, one text across the table. */
interface LineOpts {
  header?: boolean;
  fmt?: (string | undefined)[];
  bold?: boolean;
  wide?: boolean;
}

/** 汇总's columns: 项目 and six of figures. */
const SUMMARY_WIDTHS = [38, 16, 16, 16, 16, 16, 16];

/**
 * The height a page of 汇总 has for its body, in points: A4 landscape (595 pt high) less the top and
 * bottom margins (0.6 in each) and the repeated title and information rows (30 + 20 pt), with a
 * tenth to spare for LibreOffice's rounding.
 */
const SUMMARY_PAGE_PT = Math.floor((595 - 2 * 0.6 * 72 - 50) * 0.9);

/** Writes 汇总's blocks, each row of a known height, a block that would split starting a new page. */
function writeBlocks(
  ws: ExcelJS.Worksheet,
  blocks: { values: unknown[]; opts: LineOpts }[][],
  widths: number[],
): void {
  const all = widths.reduce((s, w) => s + w, 0);
  const heightOf = (l: { values: unknown[]; opts: LineOpts }) => {
    if (l.opts.header) return 30;
    let lines = 1;
    l.values.forEach((v, i) => {
      if (typeof v === 'string')
        lines = Math.max(lines, wrappedLines(v, l.opts.wide ? all : widths[i]));
    });
    return Math.max(ROW_PT + 3, heightFor(lines) ?? 0);
  };
  let used = 0;
  let last: ExcelJS.Row | null = null;
  for (const [i, block] of blocks.entries()) {
    if (!block.length) continue;
    const height = block.reduce((s, l) => s + heightOf(l), 0);
    if (i > 0 && last) {
      if (used + ROW_PT + height > SUMMARY_PAGE_PT && height <= SUMMARY_PAGE_PT) {
        last.addPageBreak(); // the block starts the next page
        used = 0;
      } else {
        const gap = ws.addRow([]);
        gap.height = ROW_PT;
        gap.commit();
        used += ROW_PT;
      }
    }
    for (const l of block) {
      const row = ws.addRow(l.values);
      if (l.opts.header) headerRow(row);
      else if (l.opts.wide) {
        row.getCell(1).alignment = { vertical: 'middle', wrapText: true };
        ws.mergeCells(row.number, 1, row.number, widths.length);
      } else bodyRow(row, { bold: l.opts.bold, formats: l.opts.fmt });
      row.height = heightOf(l);
      row.commit();
      used += row.height;
      last = row;
    }
  }
}

const seatOrBlank = (n: number) => (n === 0 ? null : n);

/** 项目名称 as wide as the longest name (up to 28), wrapping beyond. */
const projectColumn = (d: ReportData): ColumnSpec => ({
  header: '项目名称',
  key: 'project',
  sample: [...new Set(d.projects.map((p) => p.name))],
  min: 20,
  max: 28,
  wrap: true,
});

/** A heading inside a sheet (录入更正, 未排期的里程碑): bold, on one line over the empty cells beside. */
function sectionHeading(row: ExcelJS.Row): void {
  row.getCell(1).font = bodyFont({ bold: true });
  row.getCell(1).alignment = { vertical: 'middle', wrapText: false };
}

/** 地区 as wide as the longest region name reported on (连南瑶族自治县 on one line), wrapping beyond. */
const regionColumn = (d: ReportData): ColumnSpec => ({
  header: '地区',
  key: 'region',
  sample: [...new Set(d.projects.map((p) => p.regionName))],
  min: 8,
  max: 16,
  wrap: true,
});

/**
 * 项目明细 as the bureau's plan table (`liannan-2021-2025.xlsx`): 年度, 学校名称, 计划新增学位数（个）
 * over 小计 and the stages, 计划完成时间, 建筑面积, 用地, 资金测算, then 备注; blank where the source
 * is blank. Progress and money follow on 进度与资金, as one page width cannot hold both at 9 pt.
 */
async function writeDetail(wb: ExcelJS.stream.xlsx.WorkbookWriter, d: ReportData): Promise<void> {
  const stages = ['total', 'kg', 'pr', 'jm', 'ss', 'se'];
  const ws = addReportSheet(
    wb,
    '项目明细',
    [
      { header: '序号', key: 'no', numFmt: FMT.int, width: 5 },
      regionColumn(d),
      { header: '年度', key: 'planYear', numFmt: FMT.int, width: 6 },
      { header: '学校名称', key: 'name', width: 26, wrap: true },
      { header: '小计', key: 'total', numFmt: FMT.seats, width: 7 },
      { header: STAGE_LABELS.kindergarten, key: 'kg', numFmt: FMT.seats, width: 7 },
      { header: STAGE_LABELS.primary, key: 'pr', numFmt: FMT.seats, width: 7 },
      { header: STAGE_LABELS.juniorMiddle, key: 'jm', numFmt: FMT.seats, width: 7 },
      { header: STAGE_LABELS.seniorSecondary, key: 'ss', numFmt: FMT.seats, width: 8 },
      { header: STAGE_LABELS.specialEducation, key: 'se', numFmt: FMT.seats, width: 6 },
      { header: '计划完成时间', key: 'planned', width: 10 },
      { header: '建筑面积（平方米）', key: 'area', numFmt: FMT.area, width: 11 },
      { header: '用地需求（亩）', key: 'land', numFmt: FMT.area, width: 9 },
      { header: '资金测算（万元）', key: 'budget', numFmt: FMT.wan, width: 11 },
      { header: '备注', key: 'remark', width: 16, wrap: true },
    ],
    frameOf(d, { groups: [{ label: '计划新增学位数（个）', keys: stages }] }),
  );
  const first = 5;
  const pace = new SheetPacer(ws);
  const totals = { total: 0, kg: 0, pr: 0, jm: 0, ss: 0, se: 0, area: 0n, land: 0n, budget: 0n };
  for (const [i, p] of d.projects.entries()) {
    await pace.row();
    const s = p.seats;
    const total =
      s.kindergarten + s.primary + s.juniorMiddle + s.seniorSecondary + s.specialEducation;
    totals.total += total;
    totals.kg += s.kindergarten;
    totals.pr += s.primary;
    totals.jm += s.juniorMiddle;
    totals.ss += s.seniorSecondary;
    totals.se += s.specialEducation;
    totals.area += BigInt(p.floorArea ?? 0);
    totals.land += BigInt(p.land ?? 0);
    totals.budget += p.budget ?? 0n;
    // the columns' order (no … remark): an array, not an object exceljs maps key by key per row
    writeBodyRow(
      ws,
      [
        i + 1,
        p.regionName,
        p.planYear,
        p.name,
        seatOrBlank(total),
        seatOrBlank(s.kindergarten),
        seatOrBlank(s.primary),
        seatOrBlank(s.juniorMiddle),
        seatOrBlank(s.seniorSecondary),
        seatOrBlank(s.specialEducation),
        p.plannedCompletion ? printedPlannedDate(p.plannedCompletion) : null,
        hundredthsCell(p.floorArea),
        hundredthsCell(p.land),
        wanCell(p.budget),
        remarks(p) || null,
      ],
      p.daysOverdue !== null ? { fill: 'overdue', columns: [1, 4] } : {},
    );
  }
  const last = first + d.projects.length - 1;
  const t = ws.addRow({ name: '合计' });
  const put = (key: string, result: number) => {
    const col = ws.getColumn(key);
    t.getCell(col.number).value = sumFormula(col.letter, first, last, result);
  };
  put('total', totals.total);
  put('kg', totals.kg);
  put('pr', totals.pr);
  put('jm', totals.jm);
  put('ss', totals.ss);
  put('se', totals.se);
  put('area', Number(formatHundredths(totals.area)));
  put('land', Number(formatHundredths(totals.land)));
  put('budget', Number(fenToWan(totals.budget)));
  bodyRow(t, { fill: 'total', bold: true });
  t.commit();
  legend(ws, { overdue: '已逾期项目', total: '合计行', header: '表头' });
  signOff(ws, 15, d.asOf);
  ws.commit();
}

/**
 * 项目联系人: who builds each project and whom to call (建设单位, 施工单位, 项目负责人, 联系电话). A sheet
 * of its own after 项目明细 — docs/excel-layouts.md: a table too wide for one page at 9 pt is split over two sheets
 * rather than shrunk — in 项目明细's order, so 序号 is the same project on both.
 */
async function writeContacts(wb: ExcelJS.stream.xlsx.WorkbookWriter, d: ReportData): Promise<void> {
  const ws = addReportSheet(
    wb,
    '项目联系人',
    [
      { header: '序号', key: 'no', numFmt: FMT.int, width: 5 },
      regionColumn(d),
      { header: '学校名称', key: 'name', width: 30, wrap: true },
      { header: FIELD_LABELS.builder, key: 'builder', width: 26, wrap: true },
      { header: FIELD_LABELS.contractor, key: 'contractor', width: 26, wrap: true },
      { header: FIELD_LABELS.manager, key: 'manager', width: 12, wrap: true },
      { header: FIELD_LABELS.phone, key: 'phone', width: 16 },
    ],
    frameOf(d),
  );
  const pace = new SheetPacer(ws);
  for (const [i, p] of d.projects.entries()) {
    await pace.row();
    writeBodyRow(ws, [i + 1, p.regionName, p.name, p.builder, p.contractor, p.manager, p.phone]);
  }
  legend(ws, { header: '表头' });
  ws.commit();
}

/** 进度与资金: each project's status, progress, investment and money as of the month end. */
async function writeProgress(wb: ExcelJS.stream.xlsx.WorkbookWriter, d: ReportData): Promise<void> {
  const money = ['budget', 'committed', 'received', 'paid', 'gap'];
  const ws = addReportSheet(
    wb,
    '进度与资金',
    [
      { header: '序号', key: 'no', numFmt: FMT.int, width: 5 },
      regionColumn(d),
      { header: '学校名称', key: 'name', width: 22, wrap: true },
      { header: '状态', key: 'status', width: 8 },
      { header: '形象进度', key: 'progress', numFmt: FMT.percent, width: 7 },
      { header: '累计完成投资（万元）', key: 'investment', numFmt: FMT.wan, width: 11 },
      { header: '资金测算', key: 'budget', numFmt: FMT.wan, width: 11 },
      { header: '已落实', key: 'committed', numFmt: FMT.wan, width: 11 },
      { header: '已到位', key: 'received', numFmt: FMT.wan, width: 11 },
      { header: '已支付', key: 'paid', numFmt: FMT.wan, width: 11 },
      { header: '资金缺口', key: 'gap', numFmt: FMT.wan, width: 11 },
      { header: '实际竣工日期', key: 'actual', numFmt: 'yyyy-mm-dd', width: 11 },
      { header: '最近填报', key: 'reported', numFmt: 'yyyy-mm-dd', width: 11 },
      { header: '逾期天数', key: 'overdue', numFmt: FMT.seats, width: 7 },
    ],
    frameOf(d, { groups: [{ label: '资金（万元）', keys: money }] }),
  );
  const first = 5;
  const pace = new SheetPacer(ws);
  const totals = { budget: 0n, committed: 0n, received: 0n, paid: 0n, gap: 0n, investment: 0n };
  for (const [i, p] of d.projects.entries()) {
    await pace.row();
    totals.budget += p.budget ?? 0n;
    totals.committed += p.committed;
    totals.received += p.received;
    totals.paid += p.paid;
    totals.gap += p.gap;
    totals.investment += p.investmentFen;
    // the columns' order (no … overdue)
    writeBodyRow(
      ws,
      [
        i + 1,
        p.regionName,
        p.name,
        STATUS_LABELS[p.status],
        p.progressPercent === null ? null : p.progressPercent / 100,
        wanCell(p.investmentFen),
        wanCell(p.budget),
        wanCell(p.committed),
        wanCell(p.received),
        wanCell(p.paid),
        wanCell(p.gap),
        dateCell(p.actualCompletion),
        dateCell(p.lastReportedOn),
        p.daysOverdue,
      ],
      p.daysOverdue !== null ? { fill: 'overdue', columns: [1, 3, 4, 14] } : {},
    );
  }
  const last = first + d.projects.length - 1;
  const t = ws.addRow({ name: '合计' });
  for (const k of ['investment', ...money] as const) {
    const col = ws.getColumn(k);
    const v = totals[k as keyof typeof totals];
    t.getCell(col.number).value = sumFormula(col.letter, first, last, Number(fenToWan(v)));
  }
  bodyRow(t, { fill: 'total', bold: true });
  t.commit();
  legend(ws, { overdue: '已逾期项目', total: '合计行', header: '表头' });
  signOff(ws, 14, d.asOf);
  ws.commit();
}

/**
 * 逾期预警's order: red, yellow, blue; then the most days late first; then by project; ties kept
 * in the order the rules gave them. Sorted on keys read once into typed arrays: a comparator
 * reading three fields of two alerts took 90 ms for a province's 24,000.
 */
export function sortedAlerts(alerts: readonly AlertCondition[]): AlertCondition[] {
  const rank = { red: 0, yellow: 1, blue: 2 } as const;
  const n = alerts.length;
  const sev = new Int8Array(n);
  const days = new Float64Array(n);
  const project = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    sev[i] = rank[alerts[i].severity];
    days[i] = alerts[i].daysOverdue;
    project[i] = alerts[i].projectId;
  }
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => sev[a] - sev[b] || days[b] - days[a] || project[a] - project[b] || a - b);
  return idx.map((i) => alerts[i]);
}

/** The milestone a milestone alert's message names: the text in its first 「…」. */
export function milestoneOf(message: string): string {
  const i = message.indexOf('「');
  const j = i >= 0 ? message.indexOf('」', i + 2) : -1;
  if (j > 0) {
    const name = message.slice(i + 1, j);
    if (!name.includes('\n')) return name;
  }
  return /「(.+?)」/.exec(message)?.[1] ?? ''; // what the lines above find, where they cannot
}

async function writeAlerts(wb: ExcelJS.stream.xlsx.WorkbookWriter, d: ReportData): Promise<void> {
  const ws = addReportSheet(
    wb,
    '逾期预警',
    [
      { header: '序号', key: 'no', numFmt: FMT.int },
      { header: '预警等级', key: 'severity' },
      { header: '预警类型', key: 'kind', min: 14 },
      { header: '项目名称', key: 'project', min: 20 },
      { header: '里程碑', key: 'milestone', min: 12 },
      { header: '逾期天数', key: 'days', numFmt: FMT.seats },
      { header: '剩余天数', key: 'left', numFmt: FMT.seats },
      { header: '责任人', key: 'owner' },
      { header: '说明', key: 'message', width: 60, wrap: true },
    ],
    frameOf(d),
  );
  const pace = new SheetPacer(ws);
  const list = sortedAlerts(d.alerts);
  for (const [i, a] of list.entries()) {
    await pace.row();
    // the columns' order (no … message)
    writeBodyRow(
      ws,
      [
        i + 1,
        SEVERITY_LABELS[a.severity],
        ALERT_KIND_LABELS[a.kind],
        d.projectNames.get(a.projectId) ?? '',
        a.milestoneId ? milestoneOf(a.message) : '',
        // late: days past the due day; due soon (a negative count): the days still left
        a.daysOverdue > 0 ? a.daysOverdue : null,
        a.daysOverdue < 0 ? -a.daysOverdue : null,
        a.owner ?? '',
        a.message,
      ],
      { fill: a.severity, columns: [2] },
    );
  }
  legend(ws, { red: '红色预警', yellow: '黄色预警', blue: '蓝色预警', header: '表头' });
  ws.commit();
}

async function writeMilestones(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  d: ReportData,
): Promise<void> {
  const ws = addReportSheet(
    wb,
    '里程碑',
    [
      regionColumn(d),
      projectColumn(d),
      { header: '里程碑', key: 'name', min: 12, sample: ['未排期里程碑 10 个'] },
      { header: '计划时间', key: 'planned', min: 12, sample: ['2026年12月15日'] },
      { header: '实际完成', key: 'actual', numFmt: 'yyyy-mm-dd', min: 12 },
      { header: '状态', key: 'state', sample: ['未到期'] },
      { header: '偏差天数', key: 'delta', numFmt: '#,##0;-#,##0' },
      { header: '责任人', key: 'owner' },
      { header: '备注', key: 'note', min: 20 },
    ],
    frameOf(d),
  );
  const pace = new SheetPacer(ws);
  // a milestone without a planned or actual date has nothing to print but its name: counted instead
  const unscheduled = new Map<string, number>();
  // 100,000 rows over a few hundred distinct days: each printed once
  const printed = new Map<string, string>();
  const printedOnce = (planned: string) => {
    let v = printed.get(planned);
    if (v === undefined) printed.set(planned, (v = printedPlannedDate(planned)));
    return v;
  };
  for await (const page of d.milestones())
    for (const m of page) {
      if (!m.plannedDate && !m.actualDate) {
        const k = `${m.regionName}\u0000${m.projectName}`;
        unscheduled.set(k, (unscheduled.get(k) ?? 0) + 1);
        continue;
      }
      await pace.row();
      // the due day stored beside the planned date (the one the alert rule reads)
      const due = m.plannedDate ? (m.plannedDue ?? dueDate(m.plannedDate)) : null;
      // 逾期 by the alert rule (m.daysOverdue): a cancelled project's milestones are not late
      const state = m.actualDate
        ? '已完成'
        : !due
          ? '未排期'
          : m.daysOverdue !== null
            ? '逾期'
            : due < d.asOf
              ? '项目已取消'
              : '未到期';
      const delta = due && m.actualDate ? daysBetween(due, m.actualDate) : m.daysOverdue;
      // the columns' order (region … note)
      writeBodyRow(
        ws,
        [
          m.regionName,
          m.projectName,
          m.name,
          m.plannedDate ? printedOnce(m.plannedDate) : '',
          dateCell(m.actualDate),
          state,
          delta,
          m.owner ?? '',
          m.note ?? '',
        ],
        state === '逾期' ? { fill: 'overdue', columns: [6] } : {},
      );
    }
  if (unscheduled.size) {
    ws.addRow([]).commit();
    const head = ws.addRow(['未排期的里程碑（无计划时间，未完成）']);
    sectionHeading(head);
    head.commit();
    for (const [k, n] of unscheduled) {
      await pace.row();
      const [region, project] = k.split('\u0000');
      const row = ws.addRow({ region, project, name: `未排期里程碑 ${n} 个` });
      bodyRow(row);
      row.commit();
    }
  }
  legend(ws, { overdue: '已逾期里程碑', header: '表头' });
  ws.commit();
}

function writeFunding(wb: ExcelJS.stream.xlsx.WorkbookWriter, d: ReportData): void {
  const groups = [
    ['completed', STATUS_LABELS.completed],
    ['under_construction', STATUS_LABELS.under_construction],
    ['other', '其他状态'],
  ] as const;
  const ws = addReportSheet(
    wb,
    '资金来源',
    [
      { header: '资金来源', key: 'source', min: 18 },
      ...groups.flatMap(([g, label]) => [
        { header: `${label}·已落实（万元）`, key: `${g}_c`, numFmt: FMT.wan },
        { header: `${label}·已到位（万元）`, key: `${g}_r`, numFmt: FMT.wan },
      ]),
      { header: '合计·已落实（万元）', key: 'c', numFmt: FMT.wan },
      { header: '合计·已到位（万元）', key: 'r', numFmt: FMT.wan },
    ],
    frameOf(d),
  );
  const col: Record<string, bigint> = {};
  let n = 3; // the last row written: the frame's title, information and header rows come first
  for (const s of FUNDING_SOURCES) {
    const lines = d.fundingBySource.filter((f) => f.source === s);
    if (!lines.length) continue;
    const values: Record<string, unknown> = { source: SOURCE_LABELS[s] };
    let c = 0n,
      r = 0n;
    for (const [g] of groups) {
      const l = lines.find((x) => x.group === g);
      values[`${g}_c`] = wanCell(l?.committed ?? 0n);
      values[`${g}_r`] = wanCell(l?.received ?? 0n);
      col[`${g}_c`] = (col[`${g}_c`] ?? 0n) + (l?.committed ?? 0n);
      col[`${g}_r`] = (col[`${g}_r`] ?? 0n) + (l?.received ?? 0n);
      c += l?.committed ?? 0n;
      r += l?.received ?? 0n;
    }
    values.c = wanCell(c);
    values.r = wanCell(r);
    col.c = (col.c ?? 0n) + c;
    col.r = (col.r ?? 0n) + r;
    const row = ws.addRow(values);
    bodyRow(row);
    row.commit();
    n++;
  }
  const t = ws.addRow({ source: '合计' });
  for (const key of [...groups.flatMap(([g]) => [`${g}_c`, `${g}_r`]), 'c', 'r']) {
    const c = ws.getColumn(key);
    t.getCell(c.number).value = sumFormula(c.letter, 4, n, Number(fenToWan(col[key] ?? 0n)));
  }
  bodyRow(t, { fill: 'total', bold: true });
  t.commit();
  legend(ws, { total: '合计行', header: '表头' });
  ws.commit();
}

/**
 * 本月变动: every change whose own date falls in the month — progress reports and the status
 * changes they make, milestones completed, funding committed and received, payments, budget
 * revisions — by project and date; then 录入更正, what was typed this month (the audit log).
 */
function writeChanges(wb: ExcelJS.stream.xlsx.WorkbookWriter, d: ReportData): void {
  const ws = addReportSheet(
    wb,
    '本月变动',
    [
      // 地区 above, 录入时间 (2026-11-05 10:22) in 录入更正
      { ...regionColumn(d), min: 18, max: 18 },
      { header: '项目名称', key: 'project', width: 28, wrap: true },
      { header: '日期', key: 'date', width: 11 },
      { header: '事项', key: 'what', width: 11 },
      { header: '内容', key: 'text', width: 70, wrap: true },
    ],
    frameOf(d),
  );
  if (!d.events.length) ws.addRow({ region: '本月无变动' }).commit();
  for (const e of d.events)
    for (const [what, text] of eventText(e)) {
      const row = ws.addRow({
        region: e.regionName,
        project: e.projectName,
        date: e.date,
        what,
        text,
      });
      bodyRow(row);
      row.commit();
    }
  ws.addRow([]).commit();
  const head = ws.addRow(['录入更正（本月录入的修改，来自操作日志）']);
  sectionHeading(head);
  head.commit();
  const cols = ws.addRow({
    region: '录入时间',
    project: '项目名称',
    date: '操作人',
    what: '操作',
    text: '变更内容（原值 → 新值）',
  });
  headerRow(cols, 22);
  cols.commit();
  if (!d.changes.length) ws.addRow({ region: '本月无录入' }).commit();
  for (const c of changeRows(d)) {
    const row = ws.addRow({
      region: c.at,
      project: c.project,
      date: c.actor,
      what: c.action,
      text: c.text,
    });
    bodyRow(row);
    row.commit();
  }
  legend(ws, { header: '表头' });
  ws.commit();
}

function writePlans(wb: ExcelJS.stream.xlsx.WorkbookWriter, d: ReportData): void {
  const ws = addReportSheet(
    wb,
    '规划目标',
    [
      { header: '规划', key: 'plan', min: 30 },
      {
        header: '地区',
        key: 'region',
        sample: [...new Set(d.plans.map((p) => p.regionName))],
        max: 16,
        wrap: true,
      },
      { header: '指标', key: 'measure', min: 24 },
      { header: '目标', key: 'target', numFmt: FMT.seats },
      { header: '表述', key: 'qualifier' },
      { header: '截止日期', key: 'deadline', min: 12 },
      { header: PLAN_WORDS.delivered, key: 'delivered', numFmt: FMT.seats },
      { header: PLAN_WORDS.underConstruction, key: 'building', numFmt: FMT.seats },
      { header: PLAN_WORDS.notStarted, key: 'planned', numFmt: FMT.seats },
      { header: PLAN_WORDS.percent, key: 'percent', numFmt: FMT.rate },
      { header: PLAN_WORDS.projected, key: 'projected', numFmt: FMT.seats },
      { header: '风险', key: 'risk' },
      { header: PLAN_WORDS.transitional, key: 'transitional', numFmt: FMT.seats },
    ],
    frameOf(d),
  );
  for (const p of d.plans) {
    for (const t of p.targets) {
      const row = ws.addRow({
        plan: p.name,
        region: p.regionName,
        measure: t.label,
        target: t.target,
        qualifier: t.qualifier ?? '',
        deadline: t.deadline,
        delivered: t.delivered,
        building: t.underConstruction,
        planned: t.planned,
        percent: t.percentDelivered,
        projected: t.projectedByDeadline,
        risk: planStanding(t),
        transitional:
          t.transitional.delivered + t.transitional.underConstruction + t.transitional.planned,
      });
      bodyRow(row, t.atRisk && t.outcome !== 'met' ? { fill: 'yellow' } : {});
      row.commit();
    }
  }
  legend(ws, { yellow: '进度滞后的目标', header: '表头' });
  ws.commit();
}

/**
 * 报送情况 (a city's or province's report): each county's report of the month as it stands when the
 * workbook is generated — status, 截止日期, first submitted, approved, 逾期天数 (for a month not yet
 * submitted, the days since the due date), 退回次数 — and its 报送及时率 this year (docs/domain.md).
 */
function writeSubmissions(wb: ExcelJS.stream.xlsx.WorkbookWriter, d: ReportData): void {
  const s = d.submissions;
  if (!s) return;
  const ws = addReportSheet(
    wb,
    '报送情况',
    [
      { header: '县（区）', key: 'region', sample: s.rows.map((r) => r.name), min: 14 },
      { header: '报送状态', key: 'status', width: 16 },
      { header: '截止日期', key: 'due', numFmt: 'yyyy-mm-dd', width: 11 },
      { header: '首次报送时间', key: 'first', width: 17 },
      { header: '通过时间', key: 'approved', width: 17 },
      { header: '逾期天数', key: 'late', numFmt: FMT.seats, width: 9 },
      { header: '退回次数', key: 'returns', numFmt: FMT.seats, width: 9 },
      { header: '本年报送及时率', key: 'rate', numFmt: FMT.rate, width: 13 },
    ],
    frameOf(d, {
      info: `填报单位：${unitOf(d)}\u3000\u3000${monthLabel(d.month)}月报截止日期：${s.dueOn}\u3000\u3000截至日期：${s.today}（报送状态）`,
    }),
  );
  const minute = (iso: string | null) =>
    iso ? dayjs(iso).tz(d.timeZone).format('YYYY-MM-DD HH:mm') : '';
  for (const r of s.rows) {
    const row = ws.addRow({
      region: r.name,
      status:
        SUBMISSION_STATUS_LABELS[r.status as keyof typeof SUBMISSION_STATUS_LABELS] ?? r.status,
      due: dateCell(r.dueOn),
      first: minute(r.firstSubmittedAt),
      approved: minute(r.approvedAt),
      late: r.lateDays,
      returns: r.returnCount,
      rate: r.timelinessRate,
    });
    bodyRow(row, r.lateDays > 0 ? { fill: 'overdue', columns: [1, 2, 6] } : {});
    row.commit();
  }
  legend(ws, { overdue: '逾期报送或逾期未报', header: '表头' });
  ws.commit();
}
